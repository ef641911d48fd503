"""Cases: the list (filtered, searchable), intake, one case, closing and reopening, and the agencies
involved. Every lookup goes through concord.policy: a case the actor may not see is a 404."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord.audit.models import ObjectType
from concord.cases import services
from concord.cases import vocabularies as v
from concord.cases.models import Case, CaseAgency
from concord.cases.records import IncidentDetails, NeedDetails, PersonCausingHarm
from concord.cases.selectors import case_list, case_search
from concord.people.details import PersonDetails
from concord.policy import Action

from .auth import actor_of
from .errors import responses
from .pagination import LoggedCasePages, Pages
from .params import Reference
from .reads import case_access, log_read, shown_fields
from .references import area_agency, visible_person
from .schemas import CaseFilters, CaseIntakeIn, CaseListItem, CaseOut, CasePatch, InvolveIn, InvolvementOut

router = Router(tags=["cases"])


@router.get("", response=responses({200: list[CaseListItem]}, 401, 422),
            summary="Cases your agency may see, newest activity first")
@paginate(LoggedCasePages)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    actor = actor_of(request)
    cases = case_list(actor, status=filters.status or "", lead=filters.lead or "",
                      updated_within_days=filters.updated_within_days, risk=filters.risk or "")
    if filters.q:
        # Both selectors start from the policy's scope, so the search can only narrow the list.
        cases = cases.filter(pk__in=case_search(actor, filters.q).values("pk"))
    return cases


def _intake_arguments(request: HttpRequest, payload: CaseIntakeIn) -> dict[str, Any]:
    actor = actor_of(request)
    arguments: dict[str, Any] = {
        "actor": actor,
        "aliases": payload.aliases,
        "needs": [NeedDetails(**need.model_dump()) for need in payload.needs],
        "persons_causing_harm": [PersonCausingHarm(**person.model_dump()) for person in payload.persons_causing_harm],
    }
    if payload.survivor_id is not None:
        arguments["survivor"] = visible_person(actor, payload.survivor_id, field="survivor_id")
    else:
        # A question left out (null) is one not asked: the model's blank.
        survivor = payload.survivor.model_dump(exclude_none=True)  # type: ignore[union-attr]
        arguments["survivor_details"] = PersonDetails(**survivor)
    if payload.first_incident is not None:
        incident = payload.first_incident.model_dump()
        if incident["reporting_agency"] is not None:
            incident["reporting_agency"] = area_agency(actor, incident["reporting_agency"], field="reporting_agency")
        incident["violence_types"] = tuple(incident["violence_types"])
        arguments["first_incident"] = IncidentDetails(**incident)
    return arguments


@router.post("", response=responses({201: CaseOut}, 400, 401, 403, 422),
             summary="Intake: open a case led by your agency")
def open_case(request: HttpRequest, payload: CaseIntakeIn) -> Status:
    case = services.case_open(**_intake_arguments(request, payload))
    return Status(201, case_access(request, case.reference).case)


@router.get("/{reference}", response=responses({200: CaseOut}, 401, 404, 422), summary="A case")
def get_case(request: HttpRequest, reference: Reference) -> Case:
    access = case_access(request, reference)
    log_read(access, ObjectType.CASE, access.case.pk, shown_fields(CaseOut, access))
    return access.case


@router.patch("/{reference}", response=responses({200: CaseOut}, 400, 401, 403, 404, 409, 422),
              summary="Close or reopen a case (lead agency only)")
def change_case_status(request: HttpRequest, reference: Reference, payload: CasePatch) -> Case:
    actor = actor_of(request)
    case = case_access(request, reference).case
    if payload.status == v.CaseStatus.CLOSED:
        services.case_close(actor=actor, case=case, expected_version=payload.version,
                            reason=payload.closure_reason or "", note=payload.closure_note)
    else:
        services.case_reopen(actor=actor, case=case, expected_version=payload.version)
    return case_access(request, reference).case


@router.get("/{reference}/agencies", response=responses({200: list[InvolvementOut]}, 401, 404, 422),
            summary="Agencies involved in a case, past and present (the lead agency is on the case itself)")
@paginate(Pages)
def list_involved_agencies(request: HttpRequest, reference: Reference) -> QuerySet[CaseAgency]:
    access = case_access(request, reference)
    log_read(access, ObjectType.INVOLVEMENT, fields=shown_fields(InvolvementOut, access))
    return access.case.involvements.select_related("agency").order_by("added_at", "pk")


@router.post("/{reference}/agencies", response=responses({201: InvolvementOut}, 400, 401, 403, 404, 422),
             summary="Involve another agency of your area (lead agency only)")
def involve_agency(request: HttpRequest, reference: Reference, payload: InvolveIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    # Asked before the agency is looked up, so an agency that may not do this always hears 403.
    if not access.may(Action.MANAGE):
        raise PermissionDenied(_("Only the lead agency can involve other agencies."))
    agency = area_agency(actor, payload.agency, field="agency")
    involvement = services.agency_involve(actor=actor, case=access.case, agency=agency, reason=payload.reason,
                                          may_correct_details=payload.may_correct_details)
    return Status(201, involvement)
