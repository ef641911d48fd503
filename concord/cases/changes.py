"""Which case changed: a row for each case a write touched, appended by the database's own triggers.

The case page keeps what it rendered (concord.web.case_page) under the newest change of its case and
the newest change of everything shown on every case (an agency renamed, a member of staff's name). A
kept page is used only while both are still the newest, so a change made by any writer (a service,
a background job, the admin, a data migration, SQL typed by hand) is seen on the very next request:
nothing in Python has to remember to say that it changed something.

The triggers are worked out from the models and installed after every `migrate` (post_migrate),
for every table of Concord's models, so a model added later is covered without editing this file:

- the case's own table: that case;
- a table with a foreign key to the case (its incidents, needs, consent decisions, tasks…): those cases;
- otherwise, a table with a foreign key to such a table (an incident's violence types, a safety
  plan's steps, a conference referral's research), to a person (her aliases and contact rules), or
  to a table in THROUGH (a meeting: the cases on its agenda): the cases reached through it;
- a person: the cases where she or he is the survivor or a participant;
- a history table (simple-history's copies of each version): as the table it copies;
- any other table (agencies, staff, conference series, protocols, the area's rules): every case,
  which a NULL row stands for, except the tables in NOT_SHOWN, which no case page reads.

On PostgreSQL the triggers are per statement, reading the statement's rows from transition tables
(one INSERT whatever the number of rows); on SQLite, per row. A bulk load may disable them for the
load (bench/seed_national.py does, with the foreign keys): no page of a case can have been kept
before the case existed.
"""

# The SQL below is built from the models' own table and column names, never from input.
# ruff: noqa: S608

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

CHANGES_TABLE = "cases_casechange"
PREFIX = "concord_changed_"

# Tables no case page reads, or whose writes never alter one: the change log itself, the access log
# (written by every page view), service tokens.
NOT_SHOWN = frozenset({CHANGES_TABLE, "audit_accesslogentry", "audit_auditchainhead", "audit_accessloglisting",
                       "accounts_servicetoken"})
# A table of every case, of which only these columns are shown: the others change all day (a sign-in
# writes last_login) and would make every kept page useless.
SHOWN_COLUMNS = {"accounts_user": ("first_name", "last_name", "email", "is_active")}
# (model, the model with a case whose foreign key points at it): a meeting's cases are those on its agenda.
THROUGH = {"conferences.Meeting": ("conferences.ConferenceReferral", "meeting")}


@dataclass(frozen=True)
class Join:
    """The cases of a changed row: `table.case_column` where `table.on_column` = the row's `row_column`
    (with no table: the row's own `row_column` is the case)."""

    row_column: str
    table: str | None = None
    case_column: str = "case_id"
    on_column: str = "id"


@dataclass(frozen=True)
class Feed:
    table: str
    joins: tuple[Join, ...]  # empty: every case
    columns: tuple[str, ...] = ()  # every case, and only when one of these is updated

    @property
    def every_case(self) -> bool:
        return not self.joins


def _column(model_or_field: type[models.Model] | models.Field | models.ForeignObjectRel) -> str:
    """A model's primary-key column, or a field's column (every field here has one)."""
    field = model_or_field._meta.pk if isinstance(model_or_field, type) else model_or_field
    column = getattr(field, "column", None)
    assert isinstance(column, str), field
    return column


def _case_model() -> type[models.Model]:
    return apps.get_model("cases", "Case")


def _person_model() -> type[models.Model]:
    return apps.get_model("people", "Person")


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _case_columns(model: type[models.Model]) -> list[str]:
    case = _case_model()
    return [_column(f) for f in _foreign_keys(model) if f.related_model is case]


def _person_joins(row_column: str) -> tuple[Join, ...]:
    case = _case_model()
    participant = apps.get_model("cases", "CaseParticipant")
    return (Join(row_column, case._meta.db_table, "id", _column(case._meta.get_field("survivor"))),
            Join(row_column, participant._meta.db_table, _column(participant._meta.get_field("case")),
                 _column(participant._meta.get_field("person"))))


def _through_joins(model: type[models.Model], row_column: str) -> tuple[Join, ...]:
    child_label, field_name = THROUGH[model._meta.label]
    child = apps.get_model(child_label)
    pointing = _column(child._meta.get_field(field_name))
    return (Join(row_column, child._meta.db_table, _case_columns(child)[0], pointing),)


def feed_of(model: type[models.Model]) -> Feed | None:
    """How a write to this model's table reaches the cases it shows on (None: it shows on none)."""
    table = model._meta.db_table
    if table in NOT_SHOWN:
        return None
    copied = getattr(model, "instance_type", None)  # a simple-history table: as the table it copies
    if copied is not None:
        feed = feed_of(copied)
        return None if feed is None else Feed(table, feed.joins, feed.columns)
    pk = _column(model)
    if model is _case_model():
        return Feed(table, (Join(pk),))
    if model is _person_model():
        return Feed(table, _person_joins(pk))
    if model._meta.label in THROUGH:
        return Feed(table, _through_joins(model, pk))
    direct = _case_columns(model)
    if direct:
        return Feed(table, tuple(Join(column) for column in direct))
    joins: list[Join] = []
    for fk in _foreign_keys(model):
        target = fk.related_model
        if target is _person_model():
            joins += _person_joins(_column(fk))
        elif target._meta.label in THROUGH:
            joins += _through_joins(target, _column(fk))
        else:
            parent_columns = _case_columns(target)
            if parent_columns:
                joins.append(Join(_column(fk), target._meta.db_table, parent_columns[0], _column(target)))
    if joins:
        return Feed(table, tuple(joins))
    return Feed(table, (), SHOWN_COLUMNS.get(table, ()))


def feeds() -> list[Feed]:
    """Every table of Concord's models (many-to-many tables included) and how it reaches its cases."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("concord.") or not model._meta.managed or model._meta.proxy:
            continue
        feed = feed_of(model)
        if feed is not None:
            found.append(feed)
    return sorted(found, key=lambda f: f.table)


# --- the triggers ----------------------------------------------------------------------------------

def _selects(feed: Feed, rows: str, *, per_row: bool) -> list[str]:
    """The cases of the rows a statement wrote: `rows` a transition table (per statement, PostgreSQL)
    or NEW / OLD (per row, SQLite)."""
    selects = []
    for join in feed.joins:
        row = rows if per_row else "r"
        source = "" if per_row else f" FROM {rows} r"
        if join.table is None:
            selects.append(f"SELECT {row}.{join.row_column} AS case_id{source}")
        elif per_row:
            selects.append(f"SELECT t.{join.case_column} AS case_id FROM {join.table} t "
                           f"WHERE t.{join.on_column} = {row}.{join.row_column}")
        else:
            selects.append(f"SELECT t.{join.case_column} AS case_id FROM {join.table} t "
                           f"JOIN {rows} r ON t.{join.on_column} = r.{join.row_column}")
    return selects


def _insert(selects: list[str]) -> str:
    if not selects:
        return f"INSERT INTO {CHANGES_TABLE} (case_id) VALUES (NULL)"
    union = " UNION ".join(selects)
    return (f"INSERT INTO {CHANGES_TABLE} (case_id) SELECT DISTINCT case_id FROM ({union}) AS touched "
            "WHERE case_id IS NOT NULL")


# (operation, suffix of its trigger's name, the rows it has: OLD and NEW, as SQLite names them and as
# PostgreSQL's transition tables old_rows and new_rows are named here)
OPERATIONS = (("insert", "i", ("NEW",)), ("update", "u", ("OLD", "NEW")), ("delete", "d", ("OLD",)))


def _function_name(table: str, suffix: str) -> str:
    """A name PostgreSQL keeps whole (63 characters at most), one per table and operation."""
    name = f"{PREFIX}{table}_{suffix}"
    if len(name) <= 63:
        return name
    digest = hashlib.blake2b(table.encode(), digest_size=4).hexdigest()
    return f"{PREFIX}{table[:63 - len(PREFIX) - len(digest) - len(suffix) - 2]}{digest}_{suffix}"


def _event(feed: Feed, operation: str) -> str:
    """What fires the trigger: the operation, or for a table of every case, an update of its shown columns."""
    if operation == "update" and feed.columns:
        return f"UPDATE OF {', '.join(feed.columns)}"
    return operation.upper()


def _pg_statements(feed: Feed) -> list[str]:
    statements = []
    for operation, suffix, rows in OPERATIONS:
        name = f"{PREFIX}{suffix}"
        function = _function_name(feed.table, suffix)
        tables = [f"{row.lower()}_rows" for row in rows]
        selects = [s for table in tables for s in _selects(feed, table, per_row=False)]
        statements.append(f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                          f"BEGIN {_insert(selects)}; RETURN NULL; END; $$")
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {feed.table}")
        # A table of every case reads no rows (and PostgreSQL allows no transition tables with UPDATE OF).
        referencing = "" if feed.every_case else "REFERENCING " + " ".join(
            f"{row} TABLE AS {table}" for row, table in zip(rows, tables, strict=True)) + " "
        statements.append(f"CREATE TRIGGER {name} AFTER {_event(feed, operation)} ON {feed.table} {referencing}"
                          f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    return statements


def _sqlite_statements(feed: Feed) -> list[str]:
    statements = []
    for operation, suffix, rows in OPERATIONS:
        name = f"{PREFIX}{feed.table}_{suffix}"
        selects = [s for row in rows for s in _selects(feed, row, per_row=True)]
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} AFTER {_event(feed, operation)} ON {feed.table} FOR EACH ROW "
                          f"BEGIN {_insert(selects)}; END")
    return statements


def install(connection: BaseDatabaseWrapper) -> int:
    """(Re)install the triggers of every table that exists; returns how many tables have them."""
    existing = set(connection.introspection.table_names())
    if CHANGES_TABLE not in existing:
        return 0
    statements_of = _pg_statements if connection.vendor == "postgresql" else _sqlite_statements
    installed = 0
    with connection.cursor() as cursor:
        for feed in feeds():
            if feed.table not in existing:
                continue
            for statement in statements_of(feed):
                cursor.execute(statement)
            installed += 1
    return installed


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    install(connections[using])


def newest_by_reference(connection: BaseDatabaseWrapper, area_id: int, reference: str) -> tuple[int, int]:
    """(The newest change of the area's case with this reference, the newest change of every case): 0
    where there is none. Two index probes, backwards along (case_id, id)."""
    from concord.statements import fetch

    case = apps.get_model("cases", "Case")._meta.db_table
    ((own, everyone),) = fetch(f"SELECT (SELECT max(c.id) FROM {CHANGES_TABLE} c WHERE c.case_id = "
                               f"(SELECT k.id FROM {case} k WHERE k.area_id = %s AND k.reference = %s)), "
                               f"(SELECT max(id) FROM {CHANGES_TABLE} WHERE case_id IS NULL)", [area_id, reference],
                               using=connection)
    return own or 0, everyone or 0


def prune(connection: BaseDatabaseWrapper, batch: int = 5000) -> int:
    """Delete the changes that are not the newest of their case (nor the newest of every case): only the
    newest is ever read, so this never changes what a page is kept under, whenever it runs and whatever
    is being written meanwhile (a row is deleted only when a newer one of its case is visible). Returns
    how many were deleted, a batch per transaction."""
    statements = (
        f"DELETE FROM {CHANGES_TABLE} WHERE id IN (SELECT c.id FROM {CHANGES_TABLE} c WHERE c.case_id IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM {CHANGES_TABLE} n WHERE n.case_id = c.case_id AND n.id > c.id) LIMIT %s)",
        f"DELETE FROM {CHANGES_TABLE} WHERE id IN (SELECT c.id FROM {CHANGES_TABLE} c WHERE c.case_id IS NULL "
        f"AND c.id < (SELECT max(n.id) FROM {CHANGES_TABLE} n WHERE n.case_id IS NULL) LIMIT %s)",
    )
    deleted = 0
    for statement in statements:
        while True:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(statement, [batch])
                count = cursor.rowcount
            deleted += count
            if count < batch:
                break
    return deleted
