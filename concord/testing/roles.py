"""PostgreSQL roles with the rights docs/audit.md gives production's, for tests that act as them.

The roles are created inside the test's transaction, so they vanish with it. `acting_as` switches
with SET LOCAL ROLE, which also ends with the transaction (or the savepoint's rollback does not undo
it, hence the RESET in `finally`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

LEDGER_TABLES = ("consent_consentdecision", "consent_override", "consent_protectedinfogrant")
AUDIT_APPEND_ONLY = ("audit_accesslogentry", "audit_accessloglisting")
AUDIT_HEAD = "audit_auditchainhead"


def application_role(suffix: str = "app") -> str:
    """A role with the application's grants (docs/audit.md): every table read and written, the
    access log and its listing rows only read and appended to, the chain heads read, created and
    moved (never deleted), the consent ledger never deleted from."""
    role = f"concord_{suffix}_t{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        present = set(connection.introspection.table_names())
        for table in AUDIT_APPEND_ONLY:
            if table in present:
                cursor.execute(f"REVOKE ALL ON {table} FROM {role}")
                cursor.execute(f"GRANT SELECT, INSERT ON {table} TO {role}")
        cursor.execute(f"REVOKE ALL ON {AUDIT_HEAD} FROM {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON {AUDIT_HEAD} TO {role}")
        cursor.execute(f"REVOKE DELETE ON {', '.join(LEDGER_TABLES)} FROM {role}")
    return role


def retention_role() -> str:
    """The retention job's role: the application's rights, and DELETE on the consent ledger."""
    app = application_role("app_r")
    role = f"concord_retention_t{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT {app} TO {role}")
        cursor.execute(f"GRANT DELETE ON {', '.join(LEDGER_TABLES)} TO {role}")
    return role


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    """Run the block's statements as `role` (inside a transaction: SET LOCAL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
