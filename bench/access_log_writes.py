"""Access-log writes per second with 1, 4 and 16 concurrent writers, in one area and across areas, and
audit_verify's time per million entries, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres concord_auditbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_auditbench .venv/bin/python bench/access_log_writes.py
    … --writers 1,4,16 --seconds 10 --verify-entries 200000 --listing-lookup
    … --root /tmp/concord-before     # measure another checkout's code (the same script, its concord)
    dropdb -h 127.0.0.1 -U postgres concord_auditbench

Each writer is its own process with its own connection, calling
`concord.audit.services.access_log_append` in a loop (autocommit: one transaction per entry, as a
request outside a service writes it) for --seconds, after all have started. "one-area": every
writer writes entries of the same area; "across-areas": writer i writes area i's;
"beside-a-holder" (not run by default): writer 0 keeps a transaction open for 250 ms after each
entry it appends (a long service that logs early), in area 1, while the others write areas 2…;
only theirs are counted. The entries name stand-in
cases (unsaved Case objects: the log keeps only the id, area and reference), so no case data is
needed; migrations run first. Production settings (CONCORD_DEBUG off), with throw-away keys.

--verify-entries N adds entries (in batches, access_log_append_many) until the log holds N, then
times `manage.py audit_verify` over the whole log: seconds per million entries.

--listing-lookup (this checkout's code only) measures the choice of decision 10: finding the listing
entries that showed one case through the side table (audit_accessloglisting) against a JSON
containment query (`fields @> '["case:<id>"]'`) on a GIN index, and the GIN index's cost to writes.

Progress goes to stderr; Ctrl-C stops at once, reports what was measured so far, and exits 130.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose concord is measured")
    parser.add_argument("--writers", default="1,4,16", help="comma-separated writer counts")
    parser.add_argument("--layouts", default="one-area,across-areas")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--verify-entries", type=int, default=0, help="grow the log to N entries and time audit_verify")
    parser.add_argument("--listing-lookup", action="store_true")
    parser.add_argument("--page-size", type=int, default=0,
                        help="also time logging one listing page of N cases, as the code measured logs it")
    return parser.parse_args()


def setup(root: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throw-away PostgreSQL database (see the docstring).")
    if url.rsplit("/", 1)[-1].split("?")[0] == "concord_bench":
        sys.exit("Not concord_bench: use a database of this benchmark's own.")
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "bench"))
    os.chdir(root)
    import concord_env  # the checkout's own: its production settings' keys

    var = Path(tempfile.mkdtemp(prefix="concord-auditbench-"))
    os.environ.update(CONCORD_VAR_DIR=str(var), CONCORD_DEBUG="0", CONCORD_AUDIT_ANCHORS=str(var / "anchors"))
    # A fixed key: runs against the same database must verify each other's entries. It protects nothing.
    os.environ.setdefault("CONCORD_AUDIT_MAC_KEY", "concord-auditbench-key-protects-nothing")
    concord_env.configure()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def stand_in(area: int, number: int):
    from concord.cases.models import Case

    return Case(pk=number, area_id=area, reference=f"B{area:02d}-2026-{number:06d}")


def writer(index: int, area: int, start, stop, counts, deadline_box, hold: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    from django.db import connections, transaction

    from concord.audit.services import access_log_append

    connections.close_all()
    start.wait()
    deadline = deadline_box.value
    done = 0
    holder = hold and index == 0
    try:
        while holder and not stop.is_set() and time.monotonic() < deadline:
            # A long service (an intake written the old way): its entry first, then 250 ms more work.
            with transaction.atomic():
                access_log_append(actor=None, action="create", object_type="case", case=stand_in(area, 1))
                time.sleep(0.25)
        while not holder and not stop.is_set() and time.monotonic() < deadline:
            access_log_append(actor=None, action="view", object_type="case", object_id=done,
                              case=stand_in(area, done % 5000 + 1), fields=["reference", "survivor_name"],
                              basis="lead")
            done += 1
            counts[index] = done
    finally:
        connections.close_all()


def run(writers: int, layout: str, seconds: float, stop) -> tuple[int, float]:
    from django.db import connections

    connections.close_all()  # forked children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    start = context.Barrier(writers + 1)
    counts = context.Array("q", writers, lock=False)
    deadline = context.Value("d", 0.0, lock=False)
    areas = [1] * writers if layout == "one-area" else list(range(1, writers + 1))
    hold = layout == "beside-a-holder"
    processes = [context.Process(target=writer, args=(i, areas[i], start, stop, counts, deadline, hold))
                 for i in range(writers)]
    for process in processes:
        process.start()
    deadline.value = time.monotonic() + seconds + 0.2  # set before the barrier releases the writers
    start.wait()
    began = time.monotonic()
    try:
        while any(process.is_alive() for process in processes):
            time.sleep(0.5)
            elapsed = time.monotonic() - began
            total = sum(counts)
            print(f"\r  {writers:>2} writers, {layout:<12} {elapsed:5.1f} s  {total:>8,} entries "
                  f"({total / max(elapsed, 0.001):,.0f}/s)", end="", file=sys.stderr, flush=True)
    finally:
        stop.set()
        for process in processes:
            process.join()
        stop.clear()
        print(file=sys.stderr)
    return sum(counts), min(time.monotonic() - began, seconds + 0.2)


def grow(target: int) -> None:
    from concord.audit.models import AccessLogEntry
    from concord.audit.services import access_log_append_many

    have = AccessLogEntry.objects.count()
    batch = 2000
    while have < target:
        size = min(batch, target - have)
        access_log_append_many([
            {"actor": None, "action": "view", "object_type": "case", "object_id": n,
             "case": stand_in(n % 8 + 1, n % 5000 + 1), "fields": ["reference", "survivor_name"], "basis": "lead"}
            for n in range(have, have + size)])
        have += size
        print(f"\r  growing the log: {have:,}/{target:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def verify_seconds() -> tuple[int, float]:
    from django.core.management import call_command

    out = StringIO()
    began = time.monotonic()
    call_command("audit_verify", verbosity=0, stdout=out)
    took = time.monotonic() - began
    line = next(line for line in out.getvalue().splitlines() if line.startswith("OK:"))
    return int(line.split()[1]), took


def page_seconds(size: int, pages: int = 20) -> tuple[float, int]:
    """Logging one page of `size` cases, as the measured code's access_log_listed does it (without
    its one query for the bases): before, one entry per case under one lock; after, one entry and a
    listing row per case. Median seconds per page, and the entries one page writes."""
    from django.db import transaction

    from concord.audit import models
    from concord.audit.services import access_log_append, access_log_append_many

    times, written = [], 0
    for page in range(pages):
        shown = [stand_in(1, page * size + n + 1) for n in range(size)]
        began = time.perf_counter()
        if hasattr(models, "AccessLogListing"):
            with transaction.atomic():
                entry = access_log_append(actor=None, action="view", object_type="listing",
                                          fields=[*(f"case:{case.pk}" for case in shown), "reference"])
                models.AccessLogListing.objects.bulk_create(
                    models.AccessLogListing(entry_id=entry.pk, case_id=case.pk, basis="lead") for case in shown)
            written = 1
        else:
            access_log_append_many([{"actor": None, "action": "view", "object_type": "listing", "object_id": case.pk,
                                     "case": case, "fields": ["reference"], "basis": "lead"} for case in shown])
            written = size
        times.append(time.perf_counter() - began)
    return statistics.median(times), written


def listing_lookup(stop) -> list[str]:
    """Decision 10's measurement: side table against JSON containment on a GIN index."""
    from django.db import connection, transaction

    from concord.audit.models import AccessLogEntry, AccessLogListing
    from concord.audit.services import _append_now, _entry_values

    lines = []
    cases, per_page, pages = 20_000, 50, 20_000
    rng = random.Random(13)
    have = AccessLogListing.objects.values("entry_id").distinct().count()
    while have < pages and not stop.is_set():
        shown = rng.sample(range(1, cases + 1), per_page)
        with transaction.atomic():
            entry = _append_now(_entry_values(actor=None, action="view", object_type="listing",
                                              fields=[*(f"case:{pk}" for pk in shown), "reference"]))
            AccessLogListing.objects.bulk_create(AccessLogListing(entry_id=entry.pk, case_id=pk) for pk in shown)
        have += 1
        if have % 500 == 0:
            print(f"\r  listing pages: {have:,}/{pages:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    probes = rng.sample(range(1, cases + 1), 50)

    def timed(find) -> tuple[float, float]:
        times = []
        for pk in probes:
            began = time.perf_counter()
            find(pk)
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times), statistics.quantiles(times, n=20)[18]

    def side(pk):
        ids = list(AccessLogListing.objects.filter(case_id=pk).values_list("entry_id", flat=True))
        return list(AccessLogEntry.objects.filter(pk__in=ids).values("pk", "fields"))

    def contains(pk):
        return list(AccessLogEntry.objects.filter(fields__contains=[f"case:{pk}"]).values("pk", "fields"))

    total = AccessLogEntry.objects.count()
    lines.append(f"listing lookup: {have:,} pages of {per_page} cases among {cases:,}, log of {total:,} entries")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_accesslogentry; ANALYZE audit_accessloglisting")
    p50, p95 = timed(side)
    lines.append(f"  side table (index on case_id):          p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    p50, p95 = timed(contains)
    lines.append(f"  JSON containment, no index:             p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX audit_bench_fields_gin ON audit_accesslogentry USING gin (fields jsonb_path_ops)")
        cursor.execute("SELECT pg_relation_size('audit_bench_fields_gin'), "
                       "pg_total_relation_size('audit_accessloglisting')")
        gin_size, side_size = cursor.fetchone()
        cursor.execute("ANALYZE audit_accesslogentry")
    try:
        p50, p95 = timed(contains)
        lines.append(f"  JSON containment, GIN jsonb_path_ops:   p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        lines.append(f"  sizes: GIN index {gin_size / 2**20:.1f} MiB, side table with its indexes "
                     f"{side_size / 2**20:.1f} MiB")
        count, took = run(1, "one-area", 5, stop)
        lines.append(f"  writes, 1 writer, with the GIN index:   {count / took:,.0f}/s")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS audit_bench_fields_gin")
    count, took = run(1, "one-area", 5, stop)
    lines.append(f"  writes, 1 writer, without it:           {count / took:,.0f}/s")
    return lines


def main() -> None:
    args = parse()
    setup(args.root.resolve())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(f"code: {args.root.resolve()}  PostgreSQL {server}  Python {platform.python_version()}  "
          f"cores {os.cpu_count()}  load {os.getloadavg()[0]:.1f}", flush=True)
    stop = multiprocessing.get_context("fork").Event()
    results: list[str] = []
    try:
        for layout in args.layouts.split(","):
            for writers in (int(n) for n in args.writers.split(",")):
                count, took = run(writers, layout, args.seconds, stop)
                results.append(f"{layout:<12} {writers:>2} writers: {count / took:>7,.0f} entries/s "
                               f"({count:,} in {took:.1f} s)")
                print(results[-1], flush=True)
        if args.page_size:
            seconds, written = page_seconds(args.page_size)
            results.append(f"one page of {args.page_size} cases: {seconds * 1000:.0f} ms median, {written} entries")
            print(results[-1], flush=True)
        if args.verify_entries:
            grow(args.verify_entries)
            entries, took = verify_seconds()
            results.append(f"audit_verify: {entries:,} entries in {took:.1f} s = "
                           f"{took * 1_000_000 / max(entries, 1):.0f} s per million")
            print(results[-1], flush=True)
        if args.listing_lookup:
            for line in listing_lookup(stop):
                results.append(line)
                print(line, flush=True)
    except KeyboardInterrupt:
        stop.set()
        print("\nInterrupted: results so far:", *results, sep="\n", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
