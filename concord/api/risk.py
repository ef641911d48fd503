"""Risk: the instruments Concord ships (reference data), and on a case its assessments and its level.

Every agency that may see a case reads its level, every reason for it, the open tasks it set and each
assessment's result, an agency working with the person causing harm included. How she was asked, what
she answered and what she said are the risk-answers facet: null (and named in `withheld`) for a reader
without it; only an agency whose access includes them records an assessment (403 otherwise)."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord.policy import Action
from concord.risk import catalogue, selectors, services
from concord.risk.catalogue import Instrument
from concord.risk.models import Assessment, Task
from concord.risk.selectors import RiskPicture
from concord.risk.services import BeforeQuestions

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import Reference, TaskId
from .reads import case_access, log_read, shown_fields
from .schemas import (
    AssessmentIn,
    AssessmentOut,
    InstrumentOut,
    JudgementIn,
    RiskOut,
    SeparationIn,
    TaskCloseIn,
    TaskOut,
)

instruments = Router(tags=["instruments"])
router = Router(tags=["risk"])

# The access log's names for what was read, as the risk timeline events name them.
ASSESSMENT = "risk_assessment"
RISK_LEVEL = "risk_level"


def _require_recording(access) -> None:
    """Assessing, judging and recording a separation: for an agency that holds her risk answers (403)."""
    if not access.may(Action.RECORD_RISK):
        raise PermissionDenied(_("Your agency's access to this case does not include her risk assessment answers."))


@instruments.get("", response=responses({200: list[InstrumentOut]}, 401, 422),
                 summary="Every version of every risk instrument, with its items and levels")
@paginate(Pages)
def list_instruments(request: HttpRequest) -> list[Instrument]:
    return list(catalogue.instruments())


def _assessments(request: HttpRequest, reference: str, *, read: bool = False) -> QuerySet[Assessment]:
    access = case_access(request, reference)
    if read:
        log_read(access, ASSESSMENT, None, shown_fields(AssessmentOut, access))
    return selectors.assessments_of(access).select_related("case")


@router.get("/{reference}/assessments", response=responses({200: list[AssessmentOut]}, 401, 404, 422),
            summary="Risk assessments of a case, most recent first (her answers only if your access includes them)")
@paginate(Pages)
def list_assessments(request: HttpRequest, reference: Reference) -> QuerySet[Assessment]:
    return _assessments(request, reference, read=True)


@router.post("/{reference}/assessments", response=responses({201: AssessmentOut}, 400, 401, 403, 404, 422),
             summary="Record a risk assessment: the case's level is worked out again")
def record_assessment(request: HttpRequest, reference: Reference, payload: AssessmentIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    _require_recording(access)
    before = BeforeQuestions(safe_to_talk=payload.safe_to_talk, channel=payload.channel,
                             interpreter_used=payload.interpreter_used,
                             interpreter_language=payload.interpreter_language)
    assessment = services.assessment_record(
        actor=actor, case=access.case, instrument_id=payload.instrument, version=payload.version,
        answers=payload.answers, before=before, her_view=payload.her_view, her_words=payload.her_words,
        practitioner_believes_high=payload.practitioner_believes_high, spoke_to_advocacy=payload.spoke_to_advocacy,
        assessed_on=payload.assessed_on)
    return Status(201, _assessments(request, reference).get(pk=assessment.pk))


@router.get("/{reference}/risk", response=responses({200: RiskOut}, 401, 404, 422),
            summary="The case's risk level now, every reason for it, and the open tasks it set")
def get_risk(request: HttpRequest, reference: Reference) -> RiskPicture:
    access = case_access(request, reference)
    log_read(access, RISK_LEVEL, access.case.pk, shown_fields(RiskOut, access))
    return selectors.risk_picture(access, history=False)


@router.post("/{reference}/judgements", response=responses({201: RiskOut}, 400, 401, 403, 404, 422),
             summary="Raise the level on professional judgement (never lowers it); answers with the level now")
def record_judgement(request: HttpRequest, reference: Reference, payload: JudgementIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    _require_recording(access)
    services.judgement_record(actor=actor, case=access.case, level=payload.level, reason_kind=payload.reason_kind,
                              reason=payload.reason)
    return Status(201, selectors.risk_picture(access, history=False))


@router.post("/{reference}/separations", response=responses({201: RiskOut}, 400, 401, 403, 404, 422),
             summary="Record a separation: the level is worked out again and a reassessment falls due")
def record_separation(request: HttpRequest, reference: Reference, payload: SeparationIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    _require_recording(access)
    services.separation_record(actor=actor, case=access.case, separated_on=payload.separated_on)
    return Status(201, selectors.risk_picture(access, history=False))


@router.post("/{reference}/tasks/{task_id}/close", response=responses({200: TaskOut}, 400, 401, 403, 404, 422),
             summary="Close a task: done, or no longer needed (say why)")
def close_task(request: HttpRequest, reference: Reference, task_id: TaskId, payload: TaskCloseIn) -> Task:
    actor = actor_of(request)
    access = case_access(request, reference)
    task = get_object_or_404(Task.objects.filter(case=access.case), pk=task_id)
    return services.task_complete(actor=actor, task=task, status=payload.status, outcome=payload.outcome)
