"""Tasks: the open tasks of the caller's agency (or the caller's own, or those escalated past their
deadline), soonest deadline first. A task is listed only where the caller may open its case, or read
the packet of the referral it is about; a task is closed on its case (POST
/cases/{reference}/tasks/{id}/close), a referral's by answering the referral."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from concord.audit.models import AuditAction
from concord.audit.services import access_log_append
from concord.protocols import selectors
from concord.protocols.selectors import TaskRow

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .schemas import AgencyTaskOut, TaskFilters

router = Router(tags=["tasks"])

LISTED_AT_MOST = 500


@router.get("", response=responses({200: list[AgencyTaskOut]}, 401, 422),
            summary="Your agency's open tasks (or yours, or those escalated), soonest deadline first")
@paginate(Pages)
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> list[TaskRow]:
    actor = actor_of(request)
    rows = selectors.tasks_for(actor, filters.which, limit=LISTED_AT_MOST)
    if rows:
        access_log_append(actor=actor, action=AuditAction.VIEW, object_type="task",
                          fields=[f"task:{row.task.pk}" for row in rows])
    return rows
