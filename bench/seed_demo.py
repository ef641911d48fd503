"""Time `manage.py demo --cases 10000` into a throwaway SQLite database.

    .venv/bin/python bench/seed_demo.py              # 10,000 cases
    .venv/bin/python bench/seed_demo.py --cases 2000 --seed 3

The database, its development keys and static files live in a temporary CONCORD_VAR_DIR that is
removed afterwards; DATABASE_URL is ignored so the real database is never touched. Migrations run
first and are not timed; the timed part is the whole `demo` command, Python start-up included.
Target: under 60 s for 10,000 cases.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def manage(*args: str, env: dict[str, str]) -> None:
    # Our own interpreter and manage.py, with arguments built in this file: nothing untrusted.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="concord-bench-") as var_dir:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(CONCORD_VAR_DIR=var_dir, CONCORD_DEBUG="1", CONCORD_DEMO="1")
        manage("migrate", "--no-input", "-v", "0", env=env)
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        manage("demo", "--cases", str(args.cases), "--seed", str(args.seed), env=env)
        seconds = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of the demo process: what the wall time would be on an otherwise idle machine
        # (it is single-threaded), so a busy machine can be told from a slow seeder.
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        size_mb = sum(f.stat().st_size for f in Path(var_dir).glob("concord.sqlite3*")) / 1e6

    rate = args.cases / seconds
    cores = os.cpu_count()
    verdict = "within" if args.cases != 10_000 or seconds < TARGET_SECONDS else "OVER"
    print(f"{args.cases:,} cases in {seconds:.1f} s ({rate:,.0f} cases/s), {cpu:.1f} s of CPU, "
          f"database {size_mb:.0f} MB")
    print(f"machine: {cores} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, load average {load_before:.1f} at start")
    if args.cases == 10_000:
        print(f"{verdict} the {TARGET_SECONDS} s target")
    print("README row:")
    print(f"| {datetime.date.today()} | {cores} cores, load {load_before:.1f} | "
          f"`bench/seed_demo.py --cases {args.cases}` | {seconds:.1f} s | {cpu:.1f} s | {rate:,.0f} |")
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    sys.exit(main())
