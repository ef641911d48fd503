"""Incidents of a case. An agency whose access includes incident narratives records them; the agency
that recorded one edits it, and the lead agency may correct it with a reason. An edit carries the
version it was read at, and a stale one is refused with what changed (409)."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord import policy
from concord.audit.models import ObjectType
from concord.cases import services
from concord.cases.models import Incident
from concord.cases.records import IncidentDetails
from concord.policy import Action, Actor

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import IncidentId, Reference
from .reads import case_access, log_read, shown_fields
from .references import area_agency, visible_people
from .schemas import IncidentIn, IncidentOut, IncidentPatch

router = Router(tags=["incidents"])


def _incidents(request: HttpRequest, reference: str, *, read: bool = False) -> QuerySet[Incident]:
    access = case_access(request, reference)
    if read:
        log_read(access, ObjectType.INCIDENT, None, shown_fields(IncidentOut, access))
    return (policy.incidents_of(access).select_related("case", "recorded_for", "reporting_agency")
            .prefetch_related("persons_causing_harm"))


def _fields(actor: Actor, fields: dict[str, Any]) -> dict[str, Any]:
    """A payload's fields as `IncidentDetails` takes them: the agency id becomes the agency (of this
    area, or a 422), the violence types a tuple."""
    if fields.get("reporting_agency") is not None:
        fields["reporting_agency"] = area_agency(actor, fields["reporting_agency"], field="reporting_agency")
    if "violence_types" in fields:
        fields["violence_types"] = tuple(fields["violence_types"])
    return fields


@router.get("/{reference}/incidents", response=responses({200: list[IncidentOut]}, 401, 404, 422),
            summary="Incidents of a case, most recent first")
@paginate(Pages)
def list_incidents(request: HttpRequest, reference: Reference) -> QuerySet[Incident]:
    return _incidents(request, reference, read=True).order_by("-occurred_on", "-occurred_at_time", "-pk")


@router.post("/{reference}/incidents", response=responses({201: IncidentOut}, 400, 401, 403, 404, 422),
             summary="Record an incident")
def record_incident(request: HttpRequest, reference: Reference, payload: IncidentIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    if not access.may(Action.RECORD_INCIDENT):
        raise PermissionDenied(_("Your agency's access to this case does not include recording incidents."))
    details = IncidentDetails(**_fields(actor, payload.model_dump(exclude={"persons_causing_harm"})))
    people = visible_people(actor, payload.persons_causing_harm, field="persons_causing_harm")
    incident = services.incident_record(actor=actor, case=access.case, details=details, persons_causing_harm=people)
    return Status(201, _incidents(request, reference).get(pk=incident.pk))


@router.get("/{reference}/incidents/{incident_id}", response=responses({200: IncidentOut}, 401, 404, 422),
            summary="An incident")
def get_incident(request: HttpRequest, reference: Reference, incident_id: IncidentId) -> Incident:
    incident = get_object_or_404(_incidents(request, reference), pk=incident_id)
    # Logged once it is known to be on the case: a 404 reads nothing.
    access = request.case_access  # type: ignore[attr-defined]
    log_read(access, ObjectType.INCIDENT, incident.pk, shown_fields(IncidentOut, access))
    return incident


@router.patch("/{reference}/incidents/{incident_id}",
              response=responses({200: IncidentOut}, 400, 401, 403, 404, 409, 422),
              summary="Edit an incident: send `version` and the fields that change")
def edit_incident(request: HttpRequest, reference: Reference, incident_id: IncidentId,
                  payload: IncidentPatch) -> Incident:
    actor = actor_of(request)
    incident = get_object_or_404(_incidents(request, reference), pk=incident_id)
    people = None
    if "persons_causing_harm" in payload.model_fields_set:
        people = visible_people(actor, payload.persons_causing_harm, field="persons_causing_harm")
    changes = _fields(actor, payload.model_dump(exclude_unset=True,
                                                exclude={"version", "persons_causing_harm", "correction_reason"}))
    # Only what was sent changes; the schema has already refused a field the incident does not have.
    details = dataclasses.replace(IncidentDetails.of(incident), **changes)
    services.incident_update(actor=actor, incident=incident, expected_version=payload.version, details=details,
                             persons_causing_harm=people, correction_reason=payload.correction_reason)
    return _incidents(request, reference).get(pk=incident.pk)
