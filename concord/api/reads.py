"""Every API read of case data goes in the access log, as the UI's do."""

from collections.abc import Iterable
from typing import Any

from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.cases.models import Case
from concord.policy import Actor


def log_read(actor: Actor, case: Case, object_type: str, object_id: Any = None, fields: Iterable[str] = ()) -> None:
    access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=object_type,
                    object_id=object_id, fields=fields)
