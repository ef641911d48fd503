"""Multi-agency risk conferences (issue 17): the meetings your agency is invited to (or you coordinate
or chair), each one's agenda, the research and actions on the cases you read, and your agency's
redacted minutes once it is closed. A meeting you may not see answers 404; a case on its agenda that
you do not read shows only its position. Each row about a case is read under that case's own access
decision (concord.policy.MeetingAccess.item), which the output schemas ask."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord import policy
from concord.audit.models import AuditAction
from concord.audit.services import access_log_decisions
from concord.conferences import selectors, services
from concord.conferences.models import RESEARCH_TEXTS, ConferenceAction, Meeting, Research
from concord.conferences.selectors import HeldItem
from concord.policy import MeetingAccess, MeetingAction
from concord.web.minutes import log_minutes, minutes_filename, minutes_pdf
from concord.web.pdf import PdfUnavailable, pdf_response

from .auth import actor_of
from .errors import ErrorOut, responses
from .pagination import Pages
from .params import MeetingId
from .references import area_agency, area_worker
from .schemas import (
    AgendaItemOut,
    ConferenceActionIn,
    ConferenceActionOut,
    MeetingDetailOut,
    MeetingOut,
    ResearchIn,
    ResearchOut,
)

router = Router(tags=["conferences"])

PDF_RESPONSE = {"responses": {200: {"description": "Your agency's minutes of the meeting, as a PDF document.",
                                    "content": {"application/pdf": {"schema": {"type": "string",
                                                                               "format": "binary"}}}}}}


def _held(seen: MeetingAccess, referral_id: int) -> HeldItem:
    """An agenda item of this meeting the caller reads now; else 422 on the body's `referral_id`, the same
    answer whether it is not on the agenda or not the caller's to read."""
    for item in selectors.items_held(seen):
        if item.referral.pk == referral_id:
            return item
    raise ValidationError({"referral_id": _("Choose a case on this meeting's agenda that you read.")})


def _log(items: list[HeldItem], object_type: str, fields: dict[int, list[str]]) -> None:
    """One entry per case whose item the response showed, with what of it, on the item's basis."""
    access_log_decisions(action=AuditAction.VIEW, object_type=object_type,
                         shown=[(item.referral.pk, item.decision, fields[item.referral.pk]) for item in items
                                if fields.get(item.referral.pk)])


@router.get("", response=responses({200: list[MeetingOut]}, 401, 422),
            summary="The meetings your agency is invited to, or you coordinate or chair, soonest first")
@paginate(Pages)
def list_conferences(request: HttpRequest) -> QuerySet[Meeting]:
    return (policy.meetings_visible_to(actor_of(request)).select_related("series", "chair", "coordinator")
            .prefetch_related("invited").order_by("held_at", "pk"))


@router.get("/{meeting_id}", response=responses({200: MeetingDetailOut}, 401, 404, 422),
            summary="One meeting: who is invited, who came, and what you may do at it")
def get_conference(request: HttpRequest, meeting_id: MeetingId) -> Meeting:
    seen = policy.meeting_access(actor_of(request), meeting_id)
    seen.meeting.you_may = sorted(seen.actions)  # type: ignore[attr-defined]
    return seen.meeting


@router.get("/{meeting_id}/agenda", response=responses({200: list[AgendaItemOut]}, 401, 404, 422),
            summary="The agenda in order: each case you read (reference, name, risk level), else its position")
def get_conference_agenda(request: HttpRequest, meeting_id: MeetingId) -> list[Any]:
    seen = policy.meeting_access(actor_of(request), meeting_id)
    rows = []
    for line in selectors.agenda_of(seen):
        line.referral.decision = line.decision  # type: ignore[attr-defined]  # what the output schema asks
        rows.append(line.referral)
    held = [HeldItem(r, r.decision) for r in rows if r.decision is not None]  # type: ignore[attr-defined]
    _log(held, "conference_item", {item.referral.pk: ["reference", "name", "risk_level"] for item in held})
    return rows


def _research_rows(seen: MeetingAccess, items: list[HeldItem], **only: Any) -> list[Research]:
    decisions = {item.referral.pk: item.decision for item in items}
    rows = selectors.research_on(seen, items, **only)
    for row in rows:
        row.decision = decisions[row.referral_id]  # type: ignore[attr-defined]
    return rows


@router.get("/{meeting_id}/research", response=responses({200: list[ResearchOut]}, 401, 404, 422),
            summary="The research of every agency on the cases you read (her views never to an agency "
                    "working with the person causing harm)")
def list_conference_research(request: HttpRequest, meeting_id: MeetingId) -> list[Research]:
    seen = policy.meeting_access(actor_of(request), meeting_id)
    items = selectors.items_held(seen)
    rows = _research_rows(seen, items)
    shown: dict[int, list[str]] = {}
    for row in rows:
        shown.setdefault(row.referral_id, []).extend(
            f"research:{row.pk}.{name}" for name in RESEARCH_TEXTS if getattr(row, name) is not None)
    _log(items, "conference_research", shown)
    return rows


@router.post("/{meeting_id}/research", response=responses({200: ResearchOut}, 400, 401, 403, 404, 422),
             summary="Record your agency's research on one case of the agenda (from its release until the "
                     "meeting closes)")
def record_conference_research(request: HttpRequest, meeting_id: MeetingId, payload: ResearchIn) -> Research:
    actor = actor_of(request)
    seen = policy.meeting_access(actor, meeting_id)
    item = _held(seen, payload.referral_id)
    research = services.research_record(actor=actor, referral=item.referral, version=payload.version,
                                         details=services.ResearchDetails(
                                             **{name: getattr(payload, name) for name in RESEARCH_TEXTS},
                                             nothing_held=payload.nothing_held))
    (row,) = [r for r in _research_rows(seen, [item], own_only=True) if r.pk == research.pk]
    return row


def _action_rows(seen: MeetingAccess, items: list[HeldItem]) -> list[ConferenceAction]:
    decisions = {item.referral.pk: item.decision for item in items}
    runs_it = seen.coordinates or seen.chairs
    rows = selectors.actions_on(items)
    for row in rows:
        row.decision = decisions[row.referral_id]  # type: ignore[attr-defined]
        row.reads_reason = runs_it or row.owner_agency_id == seen.actor.agency.pk  # type: ignore[attr-defined]
    return rows


@router.get("/{meeting_id}/actions", response=responses({200: list[ConferenceActionOut]}, 401, 404, 422),
            summary="The actions agreed on the cases you read, in the agenda's order")
def list_conference_actions(request: HttpRequest, meeting_id: MeetingId) -> list[ConferenceAction]:
    seen = policy.meeting_access(actor_of(request), meeting_id)
    items = selectors.items_held(seen)
    rows = _action_rows(seen, items)
    shown: dict[int, list[str]] = {}
    for row in rows:
        shown.setdefault(row.referral_id, []).append(f"action:{row.pk}")
    _log(items, "conference_action", shown)
    return rows


@router.post("/{meeting_id}/actions", response=responses({201: ConferenceActionOut}, 400, 401, 403, 404, 422),
             summary="Agree an action on one case of the agenda (the chair or the coordinator, while the "
                     "meeting is open); it becomes the owner agency's task")
def agree_conference_action(request: HttpRequest, meeting_id: MeetingId, payload: ConferenceActionIn) -> Status:
    actor = actor_of(request)
    seen = policy.meeting_access(actor, meeting_id)
    if not seen.may(MeetingAction.CHAIR):
        raise PermissionDenied(_("Only the chair or the coordinator records the meeting, while it is open."))
    item = _held(seen, payload.referral_id)
    action = services.action_agree(actor=actor, referral=item.referral, details=services.ActionDetails(
        owner_agency=area_agency(actor, payload.owner_agency, field="owner_agency"),
        description=payload.description, due_at=payload.due_at,
        worker=area_worker(actor, payload.worker, field="worker") if payload.worker is not None else None))
    (row,) = [r for r in _action_rows(seen, [item]) if r.pk == action.pk]
    return Status(201, row)


@router.get("/{meeting_id}/minutes", response=responses({503: ErrorOut}, 401, 403, 404, 422),
            openapi_extra=PDF_RESPONSE,
            summary="Your agency's minutes of a closed meeting (PDF): the shared summaries, your own research "
                    "and actions")
def get_conference_minutes(request: HttpRequest, meeting_id: MeetingId) -> Any:
    actor = actor_of(request)
    seen = policy.meeting_access(actor, meeting_id)
    if not seen.may(MeetingAction.MINUTES):
        raise PermissionDenied(_("The minutes are ready once the chair closes the meeting."))
    minutes = selectors.minutes_for(actor, seen.meeting, seen=seen)
    try:
        content = minutes_pdf(minutes)
    except PdfUnavailable:
        return Status(503, {"detail": _("The PDF cannot be made on this server.")})
    log_minutes(minutes)
    response: HttpResponse = pdf_response(content, minutes_filename(minutes))
    return response
