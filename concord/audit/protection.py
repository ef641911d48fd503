"""The database's own refusal to change the access log: triggers on PostgreSQL and SQLite.

Used by migration 0002 (install), by the `flush` command (which empties every table, the log
included, in development and between transactional tests) and by the tamper tests.
On PostgreSQL, suspending the trigger needs ownership of the table, which the production
application role does not have (docs/audit.md), so there it is the owner's act alone.
"""

# The SQL below is built from this module's own constant table names, never from input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_accesslogentry"
HEAD_TABLE = "audit_auditchainhead"
LISTING_TABLE = "audit_accessloglisting"
PG_FUNCTION = "audit_accesslog_refuse_change"
PG_TRIGGER = "audit_accesslog_append_only"
MESSAGE = "the access log is append-only"
# An entry is dated by the database's clock: the writer's time may differ from it by this much at most.
CLOCK_TOLERANCE_SECONDS = 30
KEYED = 2  # models.MacVersion.KEYED: the database takes no other scheme

_PG_APPEND_ONLY = [
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
    CREATE OR REPLACE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()
    """,
]

# The chain, as the database sees it (migration 0003). An entry must be the next of its chain (its
# sequence the head's + 1, its prev_hash the head's MAC), in its area's chain, keyed, and dated now;
# inserting it moves the head, and the head moves only forward, to an entry that exists. The database
# cannot check the MAC (it does not hold the key): audit_verify does.
_PG_CHAIN = [
    f"""
    CREATE OR REPLACE FUNCTION audit_accesslog_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        head record;
    BEGIN
        SELECT last_sequence, last_hash INTO head FROM {HEAD_TABLE} WHERE chain = NEW.chain FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the access log refuses this entry: chain % has no head', NEW.chain
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.sequence <> head.last_sequence + 1 OR NEW.prev_hash <> head.last_hash THEN
            RAISE EXCEPTION 'the access log refuses this entry: chain % continues at % from its head, not at %',
                NEW.chain, head.last_sequence + 1, NEW.sequence USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.chain <> coalesce(NEW.area_id, 0) THEN
            RAISE EXCEPTION 'the access log refuses this entry: it belongs to chain %', coalesce(NEW.area_id, 0)
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.mac_version <> {KEYED} THEN
            RAISE EXCEPTION 'the access log refuses this entry: only keyed entries are written now'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF abs(extract(epoch FROM NEW.occurred_at - clock_timestamp())) > {CLOCK_TOLERANCE_SECONDS} THEN
            RAISE EXCEPTION 'the access log refuses this entry: dated %, not now (%)', NEW.occurred_at,
                clock_timestamp() USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    f"""
    CREATE OR REPLACE TRIGGER audit_accesslog_check_entry BEFORE INSERT ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_check_entry()
    """,
    f"""
    CREATE OR REPLACE FUNCTION audit_accesslog_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {HEAD_TABLE} SET last_sequence = NEW.sequence, last_hash = NEW.entry_hash WHERE chain = NEW.chain;
        RETURN NULL;
    END;
    $$
    """,
    f"""
    CREATE OR REPLACE TRIGGER audit_accesslog_advance_head AFTER INSERT ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_advance_head()
    """,
    f"""
    CREATE OR REPLACE FUNCTION audit_chainhead_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND (NEW.chain <> OLD.chain OR NEW.last_sequence < OLD.last_sequence) THEN
            RAISE EXCEPTION 'the chain head only moves forward: % refused on chain %', TG_OP, OLD.chain
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- The tail is read before the head is looked for: each statement here sees what is committed
        -- when it starts, so a writer that made the head and its first entry meanwhile shows in both.
        IF TG_OP = 'INSERT' AND NEW.last_sequence <> coalesce(
                (SELECT max(sequence) FROM {TABLE} WHERE chain = NEW.chain), 0) THEN
            IF EXISTS (SELECT 1 FROM {HEAD_TABLE} WHERE chain = NEW.chain) THEN
                RETURN NEW;  -- another writer made it first: the primary key refuses this one
            END IF;
            RAISE EXCEPTION 'the chain head only moves forward: a new head must be its chain''s last entry'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.last_sequence = 0 AND NEW.last_hash = '{"0" * 64}' THEN
            RETURN NEW;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM {TABLE} WHERE chain = NEW.chain AND sequence = NEW.last_sequence
                       AND entry_hash = NEW.last_hash) THEN
            RAISE EXCEPTION 'the chain head only moves forward: chain % has no entry % with that MAC',
                NEW.chain, NEW.last_sequence USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    f"""
    CREATE OR REPLACE TRIGGER audit_chainhead_forward_only BEFORE INSERT OR UPDATE ON {HEAD_TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_chainhead_forward_only()
    """,
    f"""
    CREATE OR REPLACE TRIGGER audit_accessloglisting_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {LISTING_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()
    """,
]
_PG_CHAIN_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS audit_accesslog_check_entry ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accesslog_advance_head ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON {HEAD_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accessloglisting_append_only ON {LISTING_TABLE}",
    "DROP FUNCTION IF EXISTS audit_accesslog_check_entry()",
    "DROP FUNCTION IF EXISTS audit_accesslog_advance_head()",
    "DROP FUNCTION IF EXISTS audit_chainhead_forward_only()",
]
_PG_UNINSTALL = [f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}", f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]

# SQLite has no TRUNCATE; DELETE without WHERE goes through the delete trigger.
_SQLITE_APPEND_ONLY = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
# The same rules as PostgreSQL's. SQLite keeps datetimes as UTC text, which julianday() reads.
_SQLITE_CHAIN = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accesslog_check_entry BEFORE INSERT ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'the access log refuses this entry: its chain has no head')
            WHERE NOT EXISTS (SELECT 1 FROM {HEAD_TABLE} WHERE chain = NEW.chain);
        SELECT RAISE(ABORT, 'the access log refuses this entry: it does not continue its chain from its head')
            WHERE EXISTS (SELECT 1 FROM {HEAD_TABLE} WHERE chain = NEW.chain
                          AND (NEW.sequence <> last_sequence + 1 OR NEW.prev_hash <> last_hash));
        SELECT RAISE(ABORT, 'the access log refuses this entry: it belongs to its area''s chain')
            WHERE NEW.chain <> coalesce(NEW.area_id, 0);
        SELECT RAISE(ABORT, 'the access log refuses this entry: only keyed entries are written now')
            WHERE NEW.mac_version <> {KEYED};
        SELECT RAISE(ABORT, 'the access log refuses this entry: not dated now')
            WHERE julianday(NEW.occurred_at) IS NULL
               OR abs(julianday(NEW.occurred_at) - julianday('now')) * 86400 > {CLOCK_TOLERANCE_SECONDS};
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accesslog_advance_head AFTER INSERT ON {TABLE}
    BEGIN
        UPDATE {HEAD_TABLE} SET last_sequence = NEW.sequence, last_hash = NEW.entry_hash WHERE chain = NEW.chain;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_chainhead_forward_only BEFORE UPDATE ON {HEAD_TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'the chain head only moves forward, to an entry that exists')
            WHERE NEW.chain <> OLD.chain OR NEW.last_sequence < OLD.last_sequence
               OR NOT EXISTS (SELECT 1 FROM {TABLE} WHERE chain = NEW.chain AND sequence = NEW.last_sequence
                              AND entry_hash = NEW.last_hash);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_chainhead_new BEFORE INSERT ON {HEAD_TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'the chain head only moves forward: a new head must be its chain''s last entry')
            WHERE NEW.last_sequence <> coalesce((SELECT max(sequence) FROM {TABLE} WHERE chain = NEW.chain), 0)
               OR NEW.last_hash <> coalesce((SELECT entry_hash FROM {TABLE} WHERE chain = NEW.chain
                                             ORDER BY sequence DESC LIMIT 1), '{"0" * 64}');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accessloglisting_no_update BEFORE UPDATE ON {LISTING_TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_accessloglisting_no_delete BEFORE DELETE ON {LISTING_TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_TRIGGERS = ("audit_accesslog_no_update", "audit_accesslog_no_delete")
SQLITE_CHAIN_TRIGGERS = ("audit_accesslog_check_entry", "audit_accesslog_advance_head", "audit_chainhead_forward_only",
                         "audit_chainhead_new", "audit_accessloglisting_no_update", "audit_accessloglisting_no_delete")
_SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
_SQLITE_CHAIN_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_CHAIN_TRIGGERS]
# The tables whose triggers `suspended` lifts (PostgreSQL).
_PG_GUARDED = (TABLE, HEAD_TABLE, LISTING_TABLE)


def run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    """Execute DDL statements in order (also used by concord.consent.protection)."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _has_chain_tables(connection: BaseDatabaseWrapper) -> bool:
    return LISTING_TABLE in connection.introspection.table_names()


def install(connection: BaseDatabaseWrapper, *, chain: bool | None = None) -> None:
    """Install the append-only triggers and, once migration 0003 has made its tables (or when `chain`
    says so), the chain's."""
    chain = _has_chain_tables(connection) if chain is None else chain
    if connection.vendor == "postgresql":
        run(connection, _PG_APPEND_ONLY + (_PG_CHAIN if chain else []))
    elif connection.vendor == "sqlite":
        run(connection, _SQLITE_APPEND_ONLY + (_SQLITE_CHAIN if chain else []))


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if _has_chain_tables(connection):
        uninstall_chain(connection)
    if connection.vendor == "postgresql":
        run(connection, _PG_UNINSTALL)
    elif connection.vendor == "sqlite":
        run(connection, _SQLITE_UNINSTALL)


def uninstall_chain(connection: BaseDatabaseWrapper) -> None:
    """Remove only the chain's triggers (reversing migration 0003)."""
    if connection.vendor == "postgresql":
        run(connection, _PG_CHAIN_UNINSTALL)
    elif connection.vendor == "sqlite":
        run(connection, _SQLITE_CHAIN_UNINSTALL)


def _pg_guarded(connection: BaseDatabaseWrapper) -> list[str]:
    present = set(connection.introspection.table_names())
    return [table for table in _PG_GUARDED if table in present]


def _restore(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        run(connection, [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in _pg_guarded(connection)])
    else:
        install(connection)


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the triggers (the log's, its listing rows' and its heads') for the duration of the block,
    and put them back even if it fails. Run it inside a transaction: both databases then also undo the
    suspension on rollback."""
    if connection.vendor == "postgresql":
        run(connection, [f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in _pg_guarded(connection)])
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


@contextmanager
def entry_checks_suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift only the check of new entries (sequence, chain, scheme, date), keeping the head moving
    with them: how a test writes entries dated in the past, as the owner alone could."""
    if connection.vendor == "postgresql":
        run(connection, [f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accesslog_check_entry"])
    else:
        run(connection, ["DROP TRIGGER IF EXISTS audit_accesslog_check_entry"])
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            if not connection.needs_rollback:
                run(connection, [f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_accesslog_check_entry"])
        else:
            install(connection)
