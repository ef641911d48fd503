"""Seed the demo partnership with a national-scale caseload on PostgreSQL, written with COPY.

    createdb -h 127.0.0.1 -U postgres concord_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_bench
    CONCORD_DEBUG=1 .venv/bin/python manage.py migrate
    .venv/bin/python bench/seed_national.py --cases 1000000 --vacuum   # --workers 3 --batch-size 2000

The rows are the demo generator's own (concord.demo.caseload.Caseload.build: unsaved model instances
in CaseBundle objects, the tables in concord.demo.seeding.WRITE_ORDER), so they are shaped as the
services would leave them. What differs from `manage.py demo` is only how they reach the database:

- COPY instead of bulk_create. Columns are every concrete field of each model, in model order, and
  every value goes through `field.pre_save(obj, add=True)` and `field.get_db_prep_save(value,
  connection)`, as Django's INSERT compiler does, so defaults, auto_now, choices, JSON and the
  encrypted fields come out as the ORM would write them, and a field added to a model is written
  without changing this file.
- Primary keys are taken from each table's own sequence (`nextval` over `generate_series`) before
  COPY, and foreign keys are filled in from the parent instances, as bulk_create does after it has
  inserted the parents.
- Worker processes (--workers, default 3) each build a batch, reserve its ids and COPY it in their
  own transaction; a batch commits only when the area's case counter says every earlier batch has
  committed, and it advances the counter in the same transaction (locked with SELECT ... FOR UPDATE,
  as concord.demo.seeding.write_batch does). So a batch is whole or absent, batches commit in order,
  and case references rise with opening dates. Ctrl+C (or kill) stops the workers; what is left is
  the committed batches, and the counter matches them. --resume, with the same --cases, --seed,
  --batch-size and --anchor, continues with the next batch.
- Each batch builds its cases with a fresh Caseload, so the content depends on --seed and
  --batch-size but not on the number of workers. (Within a batch a case may reuse a recent case's
  partner as a serial perpetrator, as in the demo; across batches it does not.) With one batch
  (--batch-size >= --cases) the rows are those of `manage.py demo` with the same --seed and --anchor,
  ids included, apart from encryption nonces and people's `updated_at`.
- The foreign keys of the tables written are dropped for the load and put back afterwards, exactly
  as they were (pg_get_constraintdef): PostgreSQL then checks each constraint over the whole table
  in one pass, instead of one lookup per inserted row at each commit (a fifth of the load). The
  statements that put them back are written to $CONCORD_VAR_DIR first, in case this process is
  killed. --keep-foreign-keys keeps them; --defer-indexes also drops and rebuilds plain secondary
  indexes (measured: no faster overall at 40,000 cases, so off by default).

The derived access table (concord.access.models.AgencyAccess) is written in each batch's transaction,
as `manage.py demo` and the services do: the rule recomputed from the ledger rows just copied
(concord.access.derive.expected_rows), COPYed like the rest. Afterwards ANALYZE (VACUUM ANALYZE with
--vacuum).
The cases' risk levels are not worked out here: the seeded checklists are written (they are in
WRITE_ORDER), but the levels, their changes and a high level's tasks are written only by `manage.py
demo`, batch by batch (concord.demo.risk.levels), so these cases show "not assessed".
Seeded rows have no simple-history rows and no access-log entries, as with `manage.py demo`.

Keys: see bench/concord_env.py. The seeder runs with production settings unless CONCORD_DEBUG=1 is
set, with the field keys of the environment or, when none are set, of var/dev-keys.json, which is
what bench/national_reads.py gives the gunicorn server.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import multiprocessing
import os
import queue
import signal
import statistics
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import concord_env  # noqa: E402

BATCH_SIZE = 2000
START_AGAIN = ("Start from an empty, migrated database: dropdb/createdb it, then manage.py migrate "
               "(see the docstring of bench/seed_national.py).")


@dataclass(frozen=True)
class Plan:
    total: int
    batch_size: int
    seed: int
    anchor: datetime.date
    first_number: int
    workers: int
    start_batch: int = 0
    django_constructors: bool = False

    @property
    def batches(self) -> int:
        return (self.total + self.batch_size - 1) // self.batch_size


def _plain_pre_save(field) -> bool:
    """Whether field.pre_save(obj, add=True) is only getattr(obj, attname) for this field (Django's own
    Field.pre_save, or a date/time field without auto_now/auto_now_add): then the getattr is used."""
    from django.db.models import fields

    method = type(field).pre_save
    if method is fields.Field.pre_save:
        return True
    timed = (fields.DateField.pre_save, fields.DateTimeField.pre_save, fields.TimeField.pre_save)
    return method in timed and not field.auto_now and not field.auto_now_add


def _django_own(field) -> bool:
    """Whether the field converts values with Django's own methods only (so a given str, int or bool
    always prepares to the same value); not so for concord.crypto's encrypted fields, for example."""
    methods = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")
    fields = [field, field.target_field] if field.is_relation else [field]
    return all(getattr(type(f), name).__module__.startswith("django.") for f in fields for name in methods)


# Values of one column that can be looked up by value without two of them comparing equal across types
# (True == 1): all of one of these kinds, or None.
MEMO_KINDS = (frozenset({str, type(None)}), frozenset({int, type(None)}), frozenset({bool, type(None)}))


class Table:
    """How one model's instances become COPY rows: every concrete column, each value prepared by its
    field as Django's INSERT compiler prepares it (pre_save, then get_db_prep_save)."""

    def __init__(self, model, connection):
        meta = model._meta
        if meta.parents:
            raise RuntimeError(f"{meta.label} inherits from another model: not supported by this seeder.")
        self.model = model
        self.label = meta.label
        self.fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
        self.pk = meta.pk
        self.relations = [(f.attname, f, f.target_field.attname) for f in self.fields if f.is_relation]
        self.columns = [(f, f.attname if _plain_pre_save(f) else None, _django_own(f)) for f in self.fields]
        self.connection = connection
        self.quote = connection.ops.quote_name
        self.table = meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.quote(self.table), self.pk.column])
            self.sequence = cursor.fetchone()[0]

    def reserve_ids(self, cursor, objs: list) -> None:
        """Give every instance without a primary key one from the table's sequence."""
        missing = [obj for obj in objs if obj.pk is None]
        if not missing:
            return
        if self.sequence is None:
            raise RuntimeError(f"{self.label} has no primary-key sequence and the generator gave no key.")
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, len(missing)])
        for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
            obj.pk = pk

    def rows(self, objs: list) -> list[tuple]:
        for obj in objs:
            # What bulk_create does before inserting children: take the parent's key, now assigned.
            for attname, field, target in self.relations:
                if getattr(obj, attname) is None and field.is_cached(obj):
                    parent = field.get_cached_value(obj)
                    if parent is not None:
                        value = getattr(parent, target)
                        if value is None:
                            raise RuntimeError(f"{self.label}.{field.name} points at an unsaved row: "
                                               "check WRITE_ORDER.")
                        setattr(obj, attname, value)
        connection = self.connection
        columns = []
        for field, attname, own in self.columns:
            values = ([getattr(obj, attname) for obj in objs] if attname
                      else [field.pre_save(obj, True) for obj in objs])
            prepare = field.get_db_prep_save
            kinds = set(map(type, values)) if own else None
            if kinds and any(kinds <= allowed for allowed in MEMO_KINDS):
                # Django's own conversion of a str, int or bool depends on the value only: convert each
                # distinct value once (most columns repeat a few: agency and user ids, codes, flags).
                prepared = {value: prepare(value, connection) for value in set(values)}
                columns.append([prepared[value] for value in values])
            else:
                columns.append([prepare(value, connection) for value in values])
        return list(zip(*columns, strict=True))

    def copy(self, cursor, objs: list) -> float:
        """COPY the rows; returns the seconds spent preparing them in Python."""
        if not objs:
            return 0.0
        started = time.perf_counter()
        rows = self.rows(objs)
        fields = self.fields
        expression_columns = [i for i, value in enumerate(rows[0]) if hasattr(value, "resolve_expression")]
        if expression_columns:
            # db_default: leave the column out and let the database fill it, if no row sets it.
            if any(not hasattr(row[i], "resolve_expression") for row in rows for i in expression_columns):
                raise RuntimeError(f"{self.label}: some rows use a database default and others a value.")
            keep = [i for i in range(len(fields)) if i not in expression_columns]
            fields = [fields[i] for i in keep]
            rows = [[row[i] for i in keep] for row in rows]
        columns = ", ".join(self.quote(f.column) for f in fields)
        prepared = time.perf_counter() - started
        with cursor.copy(f"COPY {self.quote(self.table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return prepared


def fast_constructors(models) -> None:
    """Make Model(**kwargs) cheaper for these models, in this (worker) process only: the instance comes
    out as Django's Model.__init__ leaves it (the same __dict__, the same related-object cache), with
    the per-field choices Django makes on every call (is it a relation, was it given, through which
    descriptor) made once per model. A batch's 90,000 constructors were half of its build time.

    Positional arguments, and models with pre_init/post_init receivers, keep Django's own constructor."""
    import inspect

    from django.db import router
    from django.db.models import signals
    from django.db.models.base import ModelState
    from django.db.models.fields.related import ForeignKey, OneToOneField

    for model in models:
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            continue
        meta = model._meta
        plan = []
        for field in meta.fields:
            if field.column is None or getattr(field, "generated", False):
                continue
            if isinstance(field, ForeignKey) and len(field.foreign_related_fields) == 1:
                kind = "one-to-one" if isinstance(field, OneToOneField) else "many-to-one"
                target = field.foreign_related_fields[0].attname
            else:
                descriptor = inspect.getattr_static(model, field.attname, None)
                kind = "data" if hasattr(type(descriptor), "__set__") else "plain"
                target = None
            plan.append((kind, field.name, field.attname, target, field))
        original, property_names = model.__init__, meta._property_names

        def __init__(self, *args, _plan=tuple(plan), _original=original, _properties=property_names, **kwargs):
            if args:
                _original(self, *args, **kwargs)
                return
            self._state = state = ModelState()
            values = self.__dict__
            for kind, name, attname, target, field in _plan:
                if target is not None and name in kwargs:  # a foreign key given as an object
                    related = kwargs.pop(name)
                    if related is not None:  # as ForwardManyToOneDescriptor.__set__ checks and routes it
                        if not isinstance(related, field.remote_field.model._meta.concrete_model):
                            raise ValueError(f"{type(self).__name__}.{name} must be a "
                                             f"{field.remote_field.model.__name__} instance.")
                        if state.db is None:
                            state.db = router.db_for_write(type(self), instance=related)
                        if related._state.db is None:
                            related._state.db = router.db_for_write(type(related), instance=self)
                        if not router.allow_relation(related, self):
                            raise ValueError(f"The database router prevents {type(self).__name__}.{name}.")
                    values[attname] = None if related is None else getattr(related, target)
                    state.fields_cache[field.cache_name] = related
                    if kind == "one-to-one" and related is not None:
                        field.remote_field.set_cached_value(related, self)
                    continue
                value = kwargs.pop(attname) if attname in kwargs else field.get_default()
                if kind == "data":
                    setattr(self, attname, value)
                else:
                    values[attname] = value
            for name, value in kwargs.items():  # what is left: properties (Django's rule)
                if name not in _properties:
                    raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
                setattr(self, name, value)

        model.__init__ = __init__


class Deferred:
    """Foreign keys (and, with --defer-indexes, plain secondary indexes) of the tables being written,
    dropped for the load and put back exactly as they were (pg_get_constraintdef / pg_get_indexdef),
    under their own names; their change-log triggers disabled for the load and enabled again. Put
    back, PostgreSQL checks every foreign key in one pass per constraint, instead of one lookup per
    inserted row at each commit. The statements that put them back are also
    written to a file first, for the case where this process dies before it can run them."""

    def __init__(self, connection, tables: list[str], *, constraints: bool, indexes: bool, path: Path):
        self.connection, self.path = connection, path
        self.lifted = False
        self.drop: list[str] = []
        self.restore: list[str] = []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            names = [[quote(t) for t in tables]]
            if indexes:
                cursor.execute("""
                    SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                    FROM pg_index i
                    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                    ORDER BY 1, 2""", names)
                for _table, index, definition in cursor.fetchall():
                    self.drop.append(f"DROP INDEX {index}")
                    self.restore.append(definition)
            # The triggers that log which case changed (concord.cases.changes): no case page can have
            # been kept before its case existed, and they would write a row for every case written.
            cursor.execute("""
                SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t
                WHERE t.tgrelid = ANY(%s::regclass[]) AND NOT t.tgisinternal AND t.tgname LIKE 'concord\\_changed\\_%%'
                ORDER BY 1, 2""", names)
            for table, name in cursor.fetchall():
                self.drop.append(f"ALTER TABLE {table} DISABLE TRIGGER {quote(name)}")
                self.restore.append(f"ALTER TABLE {table} ENABLE TRIGGER {quote(name)}")
            if constraints:
                cursor.execute("""
                    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                    FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
                    ORDER BY 1, 2""", names)
                for table, name, definition in cursor.fetchall():
                    self.drop.append(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                    self.restore.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")

    def __len__(self) -> int:
        return len(self.restore)

    def lift(self) -> None:
        from django.db import transaction

        if not self.drop:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("".join(f"{statement};\n" for statement in self.restore))
        with transaction.atomic(), self.connection.cursor() as cursor:  # all of them or none
            for statement in self.drop:
                cursor.execute(statement)
        self.lifted = True

    def put_back(self) -> float:
        if not self.lifted:
            return 0.0
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET work_mem = '256MB'")
            for statement in self.restore:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("RESET work_mem")
        self.path.unlink(missing_ok=True)
        self.lifted = False
        return time.perf_counter() - started


def partnership_read(area):
    """The Partnership partnership_create returned, read back: the same agencies, and the same staff
    in the same order (DEMO_LOGINS'), so resumed batches are built exactly as they would have been."""
    from concord.accounts.models import Agency, Role, User
    from concord.demo.partnership import AGENCIES, DEMO_LOGINS, Partnership

    agencies = {a.key: Agency.objects.get(area=area, name=a.name) for a in AGENCIES}
    practitioners: dict[str, list] = {key: [] for key in agencies}
    supervisors: dict[str, list] = {key: [] for key in agencies}
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        for agency_key, role in login.memberships:
            if role == Role.PRACTITIONER:
                practitioners[agency_key].append(user)
            elif role == Role.SUPERVISOR:
                supervisors[agency_key].append(user)
    return Partnership(area=area, agencies=agencies, practitioners=practitioners, supervisors=supervisors)


def resume_plan(args, anchor: datetime.date):
    """Where an interrupted run stopped: it committed whole batches in order, so the cases written say
    which batch comes next. Checks that the last case written is the one this plan would build."""
    from concord.accounts.models import Area
    from concord.cases.models import Case
    from concord.demo.caseload import Caseload
    from concord.demo.partnership import AREA

    area = Area.objects.get(code__iexact=AREA["code"])
    partnership = partnership_read(area)
    written = Case.objects.filter(area=area).count()
    first_number = area.next_case_number - written
    if written % args.batch_size and written < args.cases:
        raise SystemExit(f"{written:,} cases is not a whole number of batches of {args.batch_size}: "
                         "give the --batch-size of the interrupted run.")
    if written:
        caseload = Caseload(partnership, seed=args.seed, total=args.cases, anchor=anchor)
        rebuilt = caseload.build(written - 1).case
        reference = f"{area.code.upper()}-{rebuilt.opened_at.year}-{first_number + written - 1:05d}"
        last = Case.objects.filter(area=area, reference=reference).select_related("survivor").first()
        if last is None or (rebuilt.opened_at, rebuilt.survivor.name_key) != (last.opened_at, last.survivor.name_key):
            raise SystemExit("The last case written is not the one this plan builds: give the --cases, --seed, "
                             "--batch-size and --anchor of the interrupted run.")
    plan = Plan(total=args.cases, batch_size=args.batch_size, seed=args.seed, anchor=anchor,
                first_number=first_number, workers=args.workers, start_batch=written // args.batch_size,
                django_constructors=args.django_constructors)
    return partnership, plan, written


def _backend_cpu(pid: int) -> float:
    """CPU seconds used so far by a PostgreSQL backend on this machine (0 if it is not local)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(index: int, plan: Plan, partnership, reports) -> None:
    """Build, number, key and COPY every `plan.workers`-th batch, each in its own transaction."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and stops a worker with SIGTERM: its transaction dies with it
    try:
        from django.db import DEFAULT_DB_ALIAS, connections, transaction

        from concord.accounts.models import Area
        from concord.demo.caseload import Caseload
        from concord.demo.seeding import WRITE_ORDER

        connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the thread-local proxy
        area = partnership.area
        tables = [(Table(model, connection), attribute) for model, attribute in WRITE_ORDER]
        from concord.access.derive import expected_rows
        from concord.access.models import AgencyAccess

        derived = Table(AgencyAccess, connection)
        if not plan.django_constructors:
            fast_constructors([model for model, _attribute in WRITE_ORDER])
        code = area.code.upper()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        # A batch is some 80,000 new instances that live until it is written. With the default
        # thresholds the cyclic collector keeps walking them (a quarter of the build time): keep what
        # exists now out of its way, collect young objects rarely, and collect fully between batches.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 1_000)
        for batch in range(plan.start_batch + index, plan.batches, plan.workers):
            started = time.perf_counter()
            cpu_started, backend_started = time.process_time(), _backend_cpu(backend)
            first, last = batch * plan.batch_size, min(plan.total, (batch + 1) * plan.batch_size)
            caseload = Caseload(partnership, seed=plan.seed, total=plan.total, anchor=plan.anchor)
            bundles = [caseload.build(i) for i in range(first, last)]
            number = plan.first_number + first
            for offset, bundle in enumerate(bundles):
                case = bundle.case
                # As write_batch numbers them: the year it opened, in the area's time zone.
                case.reference = f"{code}-{case.opened_at.year}-{number + offset:05d}"
            groups = [(table, [b.case for b in bundles] if attribute is None
                       else [row for b in bundles for row in getattr(b, attribute)])
                      for table, attribute in tables]
            built = time.perf_counter()
            with connection.cursor() as cursor:
                for table, objs in groups:
                    table.reserve_ids(cursor, objs)
            with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
                preparing = sum(table.copy(cursor, objs) for table, objs in groups)
                # The derived access table, in the batch's transaction as the services write it: the rule
                # recomputed from the ledger rows just copied (concord.access.derive.expected_rows), so
                # every committed batch is usable as it stands and nothing is left to rebuild afterwards.
                access_rows = expected_rows([b.case.pk for b in bundles])
                derived.reserve_ids(cursor, access_rows)
                preparing += derived.copy(cursor, access_rows)
                groups.append((derived, access_rows))
                copied = time.perf_counter()
                # Commit in batch order: wait until every earlier batch has advanced the counter.
                while True:
                    cursor.execute("SELECT next_case_number FROM accounts_area WHERE id = %s", [area.pk])
                    current = cursor.fetchone()[0]
                    if current == number:
                        break
                    if current > number:
                        raise RuntimeError(f"The case counter is at {current}, past batch {batch} ({number}): "
                                           "something else is writing cases to this area.")
                    time.sleep(0.01)
                waited = time.perf_counter()
                locked = Area.objects.select_for_update().get(pk=area.pk)
                if locked.next_case_number != number:
                    raise RuntimeError("The case counter moved while the batch waited for its turn.")
                Area.objects.filter(pk=area.pk).update(next_case_number=number + len(bundles))
            committed = time.perf_counter()
            rows = sum(len(objs) for _table, objs in groups)
            cases = len(bundles)
            del bundles, groups, caseload
            gc.collect()
            reports.put(("batch", index, cases, rows, built - started, preparing,
                         copied - built - preparing, waited - copied, committed - waited,
                         time.process_time() - cpu_started, _backend_cpu(backend) - backend_started))
        reports.put(("done", index))
    except BaseException:  # report it to the main process, which stops the others
        reports.put(("error", index, traceback.format_exc()))
        raise SystemExit(1) from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", type=datetime.date.fromisoformat, default=None,
                        help="day the demo history ends, YYYY-MM-DD (default today)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"cases per transaction ({BATCH_SIZE})")
    parser.add_argument("--workers", type=int, default=3,
                        help="processes building and copying batches (3: on 2 cores, one builds while "
                             "another waits for PostgreSQL)")
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE at the end instead of ANALYZE")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted run (same --cases, --seed, --batch-size and --anchor)")
    parser.add_argument("--keep-foreign-keys", action="store_true",
                        help="leave foreign keys in place during the load (checked row by row at each commit)")
    parser.add_argument("--defer-indexes", action="store_true",
                        help="drop plain secondary indexes for the load and rebuild them at the end")
    parser.add_argument("--django-constructors", action="store_true",
                        help="build the instances with Django's own Model.__init__ (see fast_constructors)")
    args = parser.parse_args()
    if args.cases < 1 or args.batch_size < 1 or args.workers < 1:
        parser.error("--cases, --batch-size and --workers must be at least 1")

    # Ctrl+C, or SIGTERM (kill): stop after the batches already committed. Installed explicitly because a
    # shell starts background jobs with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    chosen = concord_env.configure()
    import django

    django.setup()
    from django.db import connection, connections
    from django.db.models import Q
    from django.utils import timezone
    from tqdm import tqdm

    from concord.accounts.models import Area
    from concord.cases.models import Case
    from concord.demo.partnership import AREA, partnership_create

    if connection.vendor != "postgresql":
        print(f"This seeder writes with PostgreSQL COPY; DATABASE_URL points at {connection.vendor}.", file=sys.stderr)
        return 2
    exists = Area.objects.filter(Q(code__iexact=AREA["code"]) | Q(name=AREA["name"])).exists()
    if args.resume != exists or (not exists and Case.objects.exists()):
        print("--resume needs a database with Northshire in it." if args.resume else
              f"The database already has Northshire or cases (--resume continues an interrupted run). "
              f"{START_AGAIN}", file=sys.stderr)
        return 2
    anchor = args.anchor or timezone.localdate()
    keys = "var/dev-keys.json" if "CONCORD_FIELD_KEYS" in chosen else "the environment"
    settings_name = "development (CONCORD_DEBUG=1)" if os.environ.get("CONCORD_DEBUG") == "1" else "production"
    print(f"database {connection.settings_dict['NAME']}; {settings_name} settings; field keys from {keys} "
          f"(fingerprint {concord_env.key_fingerprint()}); anchor {anchor}; {args.workers} workers, "
          f"batches of {args.batch_size}", flush=True)

    wall_started = time.perf_counter()
    if args.resume:
        partnership, plan, already = resume_plan(args, anchor)
        print(f"resuming after {already:,} cases (batch {plan.start_batch} of {plan.batches})", flush=True)
    else:
        partnership, already = partnership_create(), 0
        plan = Plan(total=args.cases, batch_size=args.batch_size, seed=args.seed, anchor=anchor,
                    first_number=Area.objects.get(pk=partnership.area.pk).next_case_number, workers=args.workers,
                    django_constructors=args.django_constructors)
    from concord.demo.seeding import WRITE_ORDER

    var_dir = Path(os.environ.get("CONCORD_VAR_DIR", concord_env.ROOT / "var"))
    from concord.access.models import AgencyAccess

    deferred = Deferred(connection, sorted({model._meta.db_table for model, _attribute in WRITE_ORDER}
                                           | {AgencyAccess._meta.db_table}),
                        constraints=not args.keep_foreign_keys, indexes=args.defer_indexes,
                        path=var_dir / f"seed_national-{connection.settings_dict['NAME']}-restore.sql")
    timings: list[tuple[float, ...]] = []
    load_at_start = os.getloadavg()[0]
    every = max(1, min(25, plan.batches // 20))  # a log line every this many batches
    rows_written = 0
    done: set[int] = set()
    failure = None
    interrupted = False
    processes: list = []
    bar = None
    try:
        deferred.lift()
        if len(deferred):
            print(f"{len(deferred)} foreign keys/indexes lifted for the load; if this process dies before putting "
                  f"them back, run {deferred.path} with psql", flush=True)
        connections.close_all()  # each worker opens its own connection after the fork
        context = multiprocessing.get_context("fork")
        reports = context.Queue()
        processes = [context.Process(target=worker, args=(i, plan, partnership, reports), name=f"seed-worker-{i}")
                     for i in range(min(args.workers, plan.batches - plan.start_batch))]
        for process in processes:
            process.start()
        bar = tqdm(total=plan.total, initial=already, unit="case", desc="Northshire", smoothing=0.05,
                   mininterval=1 if sys.stderr.isatty() else 30, file=sys.stderr)
        while len(done) < len(processes) and failure is None:
            try:
                message = reports.get(timeout=1)
            except queue.Empty:
                dead = [p for p in processes if p.exitcode not in (None, 0)]
                if dead:
                    failure = f"{dead[0].name} exited with {dead[0].exitcode}"
                continue
            if message[0] == "batch":
                _kind, _index, cases, rows, *seconds = message
                bar.update(cases)
                rows_written += rows
                timings.append(tuple(seconds))
                if len(timings) % every == 0:
                    elapsed = time.perf_counter() - wall_started
                    recent = timings[-every:]
                    means = [statistics.fmean(t[i] for t in recent) for i in range(7)]
                    bar.write(f"{bar.n:>9,} cases, {rows_written:>11,} rows, {elapsed:6.0f} s, "
                              f"{(bar.n - already) / elapsed:4.0f} cases/s | per batch: build {means[0]:.1f} s, "
                              f"prepare {means[1]:.1f} s, copy {means[2]:.1f} s, wait {means[3]:.1f} s, "
                              f"commit {means[4]:.2f} s; CPU: worker {means[5]:.1f} s, postgres {means[6]:.1f} s "
                              f"| load {os.getloadavg()[0]:.1f}", file=sys.stdout)
                    sys.stdout.flush()
            elif message[0] == "done":
                done.add(message[1])
            else:
                failure = f"worker {message[1]} failed:\n{message[2]}"
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()
        if interrupted or failure:
            for process in processes:
                process.terminate()  # its open transaction dies with its connection
        for process in processes:
            process.join()
        loaded_seconds = time.perf_counter() - wall_started
        if deferred.lifted:
            print(f"putting back {len(deferred)} foreign keys/indexes...", flush=True)
            print(f"put back in {deferred.put_back():.0f} s", flush=True)
    seeding_seconds = time.perf_counter() - wall_started
    written = Area.objects.get(pk=partnership.area.pk).next_case_number - plan.first_number
    this_run = max(written - already, 1)
    print(f"{written - already:,} cases ({rows_written:,} rows) loaded in {loaded_seconds:.0f} s, "
          f"{seeding_seconds:.0f} s with constraints/indexes back: {this_run / seeding_seconds:,.0f} cases/s"
          + (f"; {written:,} in the database" if already else ""), flush=True)
    worker_cpu, backend_cpu = sum(t[5] for t in timings), sum(t[6] for t in timings)
    print(f"CPU: workers {worker_cpu:.0f} s ({1000 * worker_cpu / this_run:.2f} ms/case; build "
          f"{1000 * sum(t[0] for t in timings) / this_run:.2f} ms/case of wall), their postgres backends "
          f"{backend_cpu:.0f} s ({1000 * backend_cpu / this_run:.2f} ms/case); load average "
          f"{load_at_start:.1f} at start, {os.getloadavg()[0]:.1f} at the end", flush=True)
    if interrupted or failure:
        print(failure or "Interrupted.", file=sys.stderr)
        print(f"Stopped: {written:,} of {plan.total:,} cases were written, in whole batches (the area's case "
              f"counter matches them) and their derived access, with their foreign keys checked. Continue with the "
              f"same arguments and --resume (and --anchor {plan.anchor}), or use the database as it is. Or: "
              f"{START_AGAIN}", file=sys.stderr)
        return 130 if interrupted else 1

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if args.vacuum else "ANALYZE")
    print(f"{'VACUUM ANALYZE' if args.vacuum else 'ANALYZE'}: {time.perf_counter() - started:.0f} s", flush=True)
    total_seconds = time.perf_counter() - wall_started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"done in {total_seconds:.0f} s ({total_seconds / 60:.1f} min) all told; database {size}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
