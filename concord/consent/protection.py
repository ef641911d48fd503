"""The database's own guard on the consent ledger, overrides and need-to-know grants (PostgreSQL and
SQLite triggers), beneath the models' refusal to save or delete them.

- A consent decision is never changed: a change of mind is a new decision.
- An override or a grant may only be ended (ended_at and ended_by set once) or, for an override,
  shortened; never extended, re-aimed or reworded.
- None of them is deleted while its case is open. Retention deletes closed cases with their ledger
  (and leaves an audit entry); nothing else may.

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


def _pg_statements(tables: dict) -> tuple[list[str], list[str]]:
    install, uninstall = [], []
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
                IF TG_OP = 'DELETE' AND {CASE_IS_OPEN} THEN
                    RAISE EXCEPTION '{MESSAGE}: DELETE refused on % while its case is open', TG_TABLE_NAME
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


def _sqlite_statements(tables: dict) -> tuple[list[str], list[str]]:
    install, uninstall = [], []
    for table, rule in tables.items():
        when = "" if rule is None else f"WHEN {_ending_only(rule[1], distinct='IS NOT', shorten=rule[2])}"
        install += [
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} {when}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} WHEN {CASE_IS_OPEN}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused while its case is open'); END""",
        ]
        uninstall += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return install, uninstall


def _statements(connection: BaseDatabaseWrapper, tables: dict) -> tuple[list[str], list[str]]:
    if connection.vendor == "postgresql":
        return _pg_statements(tables)
    if connection.vendor == "sqlite":
        return _sqlite_statements(tables)
    return [], []


def install(connection: BaseDatabaseWrapper, tables: dict | None = None) -> None:
    """Install the guards; a migration passes the table definitions as they were at that migration."""
    run(connection, _statements(connection, TABLES if tables is None else tables)[0])


def uninstall(connection: BaseDatabaseWrapper, tables: dict | None = None) -> None:
    run(connection, _statements(connection, TABLES if tables is None else tables)[1])


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the guards for the block (run it in a transaction), and put them back afterwards."""
    uninstall(connection)
    try:
        yield
    finally:
        if not connection.needs_rollback:
            install(connection)
