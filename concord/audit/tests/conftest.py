from collections.abc import Callable

import pytest
from django.db import connection

from concord.audit import protection
from concord.audit.models import AccessLogEntry, AuditAction
from concord.audit.services import access_log_append

from .stand_ins import case_label


@pytest.fixture
def write_entries(advocate) -> Callable[[int], list[AccessLogEntry]]:
    def write(count: int, actor=advocate) -> list[AccessLogEntry]:
        return [
            access_log_append(actor=actor, action=AuditAction.VIEW, object_type="case", object_id=n,
                              case=case_label(actor.area, n), fields=["survivor", "incidents"], basis="lead",
                              ip_address="192.0.2.7")
            for n in range(1, count + 1)
        ]

    return write


@pytest.fixture
def tamper() -> Callable[..., None]:
    """Run raw SQL on the access log with its triggers lifted, as someone with the owner's rights
    could. The test's transaction (or the restore in `suspended`) puts the triggers back."""

    def run(*statements: str) -> None:
        with protection.suspended(connection), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run
