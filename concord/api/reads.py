"""Every API read of case data goes in the access log, as the UI's do; and every operation on a case
takes its access decision once, where the schemas read it (request.case_access)."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from concord import policy
from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.policy import AccessDecision

from .auth import actor_of


def case_access(request: HttpRequest, reference: str) -> AccessDecision:
    """The caller's decision for this case (404 if none), kept on the request for the output schemas."""
    access = policy.case_access(actor_of(request), reference)
    request.case_access = access  # type: ignore[attr-defined]
    return access


def log_read(access: AccessDecision, object_type: str, object_id: Any = None, fields: Iterable[str] = ()) -> None:
    """The read, with the fields the caller's facets let through."""
    access_log_case(actor=access.actor, case=access.case, action=AuditAction.VIEW, object_type=object_type,
                    object_id=object_id, fields=fields, basis=access.basis_label)


def shown_fields(schema: Any, access: AccessDecision) -> list[str]:
    """The fields of an output schema this decision shows (for the access log)."""
    facets = getattr(schema, "FACETS", {})
    return [name for name in schema.model_fields if access.sees(facets.get(name, "core"))]
