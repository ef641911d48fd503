"""The database's own refusal to change the access log: triggers on PostgreSQL and SQLite.

Used by migration 0002 (install), by the `flush` command (which empties every table, the log
included, in development and between transactional tests) and by the tamper tests.
On PostgreSQL, suspending the trigger needs ownership of the table, which the production
application role does not have (docs/audit.md), so there it is the owner's act alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_accesslogentry"
PG_FUNCTION = "audit_accesslog_refuse_change"
PG_TRIGGER = "audit_accesslog_append_only"
SQLITE_TRIGGERS = ("audit_accesslog_no_update", "audit_accesslog_no_delete")
MESSAGE = "the access log is append-only"

_PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    # Statement-level, so TRUNCATE (which fires no row triggers) is refused too.
    f"""
    CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()
    """,
]
_PG_UNINSTALL = [f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}", f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]

# SQLite has no TRUNCATE; DELETE without WHERE goes through the delete trigger.
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {SQLITE_TRIGGERS[0]} BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {SQLITE_TRIGGERS[1]} BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
_SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    """Execute DDL statements in order (also used by concord.consent.protection)."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        run(connection, _PG_INSTALL)
    elif connection.vendor == "sqlite":
        run(connection, _SQLITE_INSTALL)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        run(connection, _PG_UNINSTALL)
    elif connection.vendor == "sqlite":
        run(connection, _SQLITE_UNINSTALL)


def _restore(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        run(connection, [f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRIGGER}"])
    else:
        install(connection)


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the triggers for the duration of the block, and put them back even if it fails.
    Run it inside a transaction: both databases then also undo the suspension on rollback."""
    if connection.vendor == "postgresql":
        run(connection, [f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRIGGER}"])
    else:
        uninstall(connection)
    try:
        yield
    except BaseException:
        # Inside a transaction the rollback restores them (and an aborted PostgreSQL transaction
        # would refuse the statement anyway); outside one, restore now.
        if not connection.in_atomic_block:
            _restore(connection)
        raise
    _restore(connection)
