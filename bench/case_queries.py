"""Time the access-scoped reads on a seeded demo: the home list, search, and one case page's checks.

    .venv/bin/python bench/case_queries.py                 # seeds 10,000 cases into a temp SQLite file
    .venv/bin/python bench/case_queries.py --cases 2000
    DATABASE_URL=postgres://… .venv/bin/python bench/case_queries.py --existing   # an already seeded DB

Every read goes through concord.policy (lead, consent in force, overrides, restriction, conflicts),
so this measures the cost of the access rule where it is paid most: on each list and search.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, run, repeat: int = 15) -> None:
    run()  # warm caches and connections once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<58} median {statistics.median(samples):7.1f} ms   max {max(samples):7.1f} ms")


def measure() -> None:
    import django

    django.setup()
    from concord import policy
    from concord.accounts.models import Membership
    from concord.cases.models import Case
    from concord.cases.selectors import case_list, case_search

    print(f"{Case.objects.count():,} cases")
    for email in ("idva@demo.concord.test", "police@demo.concord.test", "probation@demo.concord.test"):
        membership = Membership.objects.select_related("user", "agency__area").filter(user__email=email).first()
        actor = policy.Actor(user=membership.user, membership=membership)
        who = f"{membership.agency.name[:24]}"
        timed(f"{who}: count of visible cases", lambda a=actor: policy.cases_visible_to(a).count())
        timed(f"{who}: home list, first page", lambda a=actor: list(case_list(a)[:25]))
        timed(f"{who}: search by name", lambda a=actor: list(case_search(a, "khan")[:25]))
        timed(f"{who}: search by phone", lambda a=actor: list(case_search(a, "07700 900123")[:25]))
        case = policy.cases_visible_to(actor).order_by("pk").first()
        if case is not None:
            timed(f"{who}: get_case + can_see_protected + access_basis",
                  lambda a=actor, c=case: (policy.get_case(a, c.reference), policy.can_see_protected(a, c),
                                           policy.access_basis(a, c)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--existing", action="store_true", help="measure the configured database as it is")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    os.environ.setdefault("CONCORD_DEBUG", "1")
    os.environ.setdefault("CONCORD_DEMO", "1")  # manage.py demo runs only in demo mode
    if args.existing:
        measure()
        return 0
    with tempfile.TemporaryDirectory(prefix="concord-bench-") as var_dir:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CONCORD_VAR_DIR"] = var_dir
        for command in (["migrate", "--no-input", "-v", "0"], ["demo", "--cases", str(args.cases)]):
            subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, check=True)  # noqa: S603
        measure()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
