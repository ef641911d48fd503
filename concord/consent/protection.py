"""The database's own guard on the consent ledger, overrides and need-to-know grants (PostgreSQL and
SQLite triggers), beneath the models' refusal to save or delete them.

- A consent decision is never changed: a change of mind is a new decision.
- An override or a grant may only be ended (ended_at and ended_by set once) or, for an override,
  shortened; never extended, re-aimed or reworded.
- None of them is deleted unless its case was closed longer ago than the retention period of closed
  cases (as configured when the guard was installed: migration 0004). Retention deletes such cases
  with their ledger (and leaves an audit entry); closing a case, deleting its refusals and opening it
  again is refused. On PostgreSQL the application role has no DELETE on these tables at all; the
  retention job runs as a role that has (docs/audit.md).

Installed by migration 0002; lifted with the access log's by `flush` (development and tests only:
on PostgreSQL that needs ownership of the tables, which the application role does not have).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

from concord.audit.protection import run

MESSAGE = "the consent ledger is append-only"
CASE_IS_OPEN = "EXISTS (SELECT 1 FROM cases_case WHERE cases_case.id = OLD.case_id AND cases_case.status = 'open')"


def _not_past_retention(days: int | None, *, vendor: str) -> str:
    """When a DELETE is refused: before migration 0004 (days None), while the case is open; since, unless
    the case was closed more than `days` days ago, by the database's own clock."""
    if days is None:
        return CASE_IS_OPEN
    days = int(days)  # DDL takes no parameters: an int, never text
    cutoff = f"now() - interval '{days} days'" if vendor == "postgresql" else f"datetime('now', '-{days} days')"
    return ("NOT EXISTS (SELECT 1 FROM cases_case WHERE cases_case.id = OLD.case_id "  # noqa: S608
            f"AND cases_case.status = 'closed' AND cases_case.closed_at < {cutoff})")


def _changed(columns: list[str], *, distinct: str) -> str:
    return " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in columns)


def _ending_only(fixed: list[str], *, distinct: str, shorten: str | None = None) -> str:
    """A condition that is true for any update other than ending (or shortening) the record."""
    parts = [_changed(fixed, distinct=distinct),
             f"(OLD.ended_at IS NOT NULL AND ({_changed(['ended_at', 'ended_by_id'], distinct=distinct)}))"]
    if shorten:
        parts.append(f"NEW.{shorten} > OLD.{shorten}")
    return " OR ".join(parts)


# table → the condition under which an UPDATE is refused (None: every UPDATE is refused).
TABLES = {
    "consent_consentdecision": None,
    "consent_override": ("override", ["case_id", "agency_id", "legal_basis", "reason", "facets", "authorised_by_id",
                                      "authorised_for_id", "starts_at"], "expires_at"),
    "consent_protectedinfogrant": ("grant", ["case_id", "agency_id", "reason", "granted_by_id", "granted_at"],
                                   None),
}


def _pg_statements(tables: dict, days: int | None) -> tuple[list[str], list[str]]:
    install, uninstall = [], []
    refuse_delete = _not_past_retention(days, vendor="postgresql")
    refusal = "while its case is open" if days is None else "unless its case was closed past retention"
    for table, rule in tables.items():
        refuse_update = "TRUE" if rule is None else _ending_only(rule[1], distinct="IS DISTINCT FROM", shorten=rule[2])
        function, trigger = f"{table}_guard", f"{table}_append_only"
        install += [
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND ({refuse_update}) THEN
                    RAISE EXCEPTION '{MESSAGE}: UPDATE refused on %', TG_TABLE_NAME
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF TG_OP = 'DELETE' AND {refuse_delete} THEN
                    RAISE EXCEPTION '{MESSAGE}: DELETE refused on % {refusal}', TG_TABLE_NAME
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END;
            $$
            """,
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
        uninstall += [f"DROP TRIGGER IF EXISTS {trigger} ON {table}", f"DROP FUNCTION IF EXISTS {function}()"]
    return install, uninstall


def _sqlite_statements(tables: dict, days: int | None) -> tuple[list[str], list[str]]:
    install, uninstall = [], []
    refuse_delete = _not_past_retention(days, vendor="sqlite")
    refusal = "while its case is open" if days is None else "unless its case was closed past retention"
    for table, rule in tables.items():
        when = "" if rule is None else f"WHEN {_ending_only(rule[1], distinct='IS NOT', shorten=rule[2])}"
        install += [
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} {when}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} WHEN {refuse_delete}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused {refusal}'); END""",
        ]
        uninstall += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return install, uninstall


def _statements(connection: BaseDatabaseWrapper, tables: dict, days: int | None) -> tuple[list[str], list[str]]:
    if connection.vendor == "postgresql":
        return _pg_statements(tables, days)
    if connection.vendor == "sqlite":
        return _sqlite_statements(tables, days)
    return [], []


def current_retention_days() -> int:
    from concord.audit.retention import retention_days

    return retention_days()["closed_case"]


def install(connection: BaseDatabaseWrapper, tables: dict | None = None, days: int | None = -1) -> None:
    """Install the guards; a migration passes the table definitions as they were at that migration, and
    the deletion rule (None: while the case is open, before migration 0004). By default, today's."""
    days = current_retention_days() if days == -1 else days
    run(connection, _statements(connection, TABLES if tables is None else tables, days)[0])


def uninstall(connection: BaseDatabaseWrapper, tables: dict | None = None) -> None:
    run(connection, _statements(connection, TABLES if tables is None else tables, None)[1])


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the guards for the block (run it in a transaction), and put them back afterwards."""
    uninstall(connection)
    try:
        yield
    finally:
        if not connection.needs_rollback:
            install(connection)
