"""Notes beside an incident or a need: how an agency adds its word to a record it did not write (the
record itself is edited only by the agency that recorded it, or corrected by the lead). Read and
written by an agency whose access includes the record's facet; 404 for a record not on the case."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from concord import policy
from concord.access.facets import Facet
from concord.cases import services
from concord.cases.models import Incident, Need, RecordNote
from concord.policy import AccessDecision

from .auth import actor_of
from .errors import responses
from .params import IncidentId, NeedId, Reference
from .reads import case_access, log_read
from .schemas import IncidentNoteOut, NeedNoteOut, NoteIn

router = Router(tags=["notes"])

_NOT_INCLUDED = {
    "incident": _("Your agency's access to this case does not include incident details."),
    "need": _("Your agency's access to this case does not include her needs."),
}


def _record(request: HttpRequest, reference: str, kind: str, record_id: int) -> tuple[AccessDecision, Incident | Need]:
    """The decision and the record (404 if it is not on a case the caller sees; 403 without its facet)."""
    access = case_access(request, reference)
    if kind == "incident":
        if not access.sees(Facet.INCIDENT_NARRATIVES):
            raise PermissionDenied(_NOT_INCLUDED[kind])
        return access, get_object_or_404(policy.incidents_of(access), pk=record_id)
    if not access.sees(Facet.NEEDS):
        raise PermissionDenied(_NOT_INCLUDED[kind])
    return access, get_object_or_404(policy.needs_of(access), pk=record_id)


def _notes(access: AccessDecision, record: Incident | Need) -> QuerySet[RecordNote]:
    notes = RecordNote.objects.filter(case=access.case).select_related("case", "recorded_for", "recorded_by")
    return notes.filter(incident=record) if isinstance(record, Incident) else notes.filter(need=record)


def _list(request: HttpRequest, reference: str, kind: str, record_id: int, schema) -> list[RecordNote]:
    access, record = _record(request, reference, kind, record_id)
    notes = list(_notes(access, record))
    # Logged once the record is known to be on the case: a 404 reads nothing.
    log_read(access, "note", record.pk, schema.model_fields)
    return notes


def _add(request: HttpRequest, reference: str, kind: str, record_id: int, payload: NoteIn) -> Status:
    access, record = _record(request, reference, kind, record_id)
    note = services.note_add(actor=actor_of(request), record=record, text=payload.text)
    return Status(201, _notes(access, record).get(pk=note.pk))


@router.get("/{reference}/incidents/{incident_id}/notes",
            response=responses({200: list[IncidentNoteOut]}, 401, 403, 404, 422),
            summary="Notes beside an incident, oldest first")
def list_incident_notes(request: HttpRequest, reference: Reference, incident_id: IncidentId) -> list[RecordNote]:
    return _list(request, reference, "incident", incident_id, IncidentNoteOut)


@router.post("/{reference}/incidents/{incident_id}/notes",
             response=responses({201: IncidentNoteOut}, 400, 401, 403, 404, 422),
             summary="Add your agency's note beside an incident")
def add_incident_note(request: HttpRequest, reference: Reference, incident_id: IncidentId, payload: NoteIn) -> Status:
    return _add(request, reference, "incident", incident_id, payload)


@router.get("/{reference}/needs/{need_id}/notes", response=responses({200: list[NeedNoteOut]}, 401, 403, 404, 422),
            summary="Notes beside a need, oldest first")
def list_need_notes(request: HttpRequest, reference: Reference, need_id: NeedId) -> list[RecordNote]:
    return _list(request, reference, "need", need_id, NeedNoteOut)


@router.post("/{reference}/needs/{need_id}/notes", response=responses({201: NeedNoteOut}, 400, 401, 403, 404, 422),
             summary="Add your agency's note beside a need")
def add_need_note(request: HttpRequest, reference: Reference, need_id: NeedId, payload: NoteIn) -> Status:
    return _add(request, reference, "need", need_id, payload)
