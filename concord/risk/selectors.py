"""Reads of risk, for a reader whose access decision the caller holds (concord.policy).

The level, its reasons, the assessments' results and the tasks are core: every agency that may see
the case reads them. What she answered, her own view and her words, and a judgement's written reason
are the risk-answers facet: absent (None) for a reader without it, never blanked in a template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from concord import policy
from concord.access.facets import Facet
from concord.cases.models import Case
from concord.policy import AccessDecision

from . import catalogue, scoring
from .models import Assessment, CaseRisk, Judgement, RiskLevelChange, Task
from .reasons import due_text, instrument_title, level_label, reason_lines, result_text
from .vocabularies import ANSWER_LABELS, HerViewOfRisk, TaskStatus


@dataclass(frozen=True)
class AssessmentOnPage:
    assessment: Assessment
    title: str
    result: str  # "Risk identification checklist (version 1): 14 of 23 “yes”"
    level_label: str
    # The risk-answers facet: None for a reader without it.
    her_view: str | None = None
    her_words: str | None = None
    answers: list[dict[str, str]] | None = None  # each item: number, text, answer label


@dataclass(frozen=True)
class RiskPicture:
    level: str
    level_label: str
    reasons: list[dict[str, str]]
    is_repeat: bool
    reassess_due: datetime.date | None
    reassess_text: str
    reassess_overdue: bool
    assessments: list[AssessmentOnPage] = field(default_factory=list)  # newest first
    latest: list[AssessmentOnPage] = field(default_factory=list)  # the latest of each instrument
    changes: list[RiskLevelChange] = field(default_factory=list)  # newest first
    judgements: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # open first, by deadline
    sees_answers: bool = False


def _answer_label(code: str) -> str:
    return str(ANSWER_LABELS.get(code, code))


def assessment_on_page(assessment: Assessment, access: AccessDecision, *, with_answers: bool = False
                       ) -> AssessmentOnPage:
    sees = access.sees(Facet.RISK_ANSWERS)
    params = {"instrument": assessment.instrument, "version": assessment.instrument_version,
              "score": assessment.score, "highest": assessment.result.get("highest"),
              "screened_in": assessment.result.get("screened_in"), "how": assessment.result.get("how", []),
              "level": assessment.level}
    answers = None
    if sees and with_answers:
        try:
            instrument = catalogue.instrument(assessment.instrument, assessment.instrument_version)
        except KeyError:
            instrument = None
        items = instrument.items if instrument else ()
        answers = [{"id": item.id, "number": str(item.number), "text": item.text,
                    "answer": (assessment.answers.get(item.id, "") if item.free_text
                               else _answer_label(assessment.answers.get(item.id, "not_answered")))}
                   for item in items]
    return AssessmentOnPage(
        assessment=assessment, title=instrument_title(assessment.instrument, assessment.instrument_version),
        result=result_text(params), level_label=level_label(assessment.scale_level) if assessment.scale_level else "",
        her_view=str(HerViewOfRisk(assessment.her_view).label) if sees and assessment.her_view else None,
        her_words=assessment.her_words if sees else None, answers=answers)


def risk_level_of(case: Case) -> CaseRisk | None:
    return CaseRisk.objects.filter(case=case).first()


def risk_picture(access: AccessDecision, *, history: bool = True) -> RiskPicture:
    """The case's risk as this reader may see it (a few queries; none of her answers without the facet).
    Without `history` (the case page): the level, its reasons, the latest result of each instrument and
    the tasks; with it (the risk page), every assessment, judgement and change of level too."""
    case = access.case
    risk = risk_level_of(case)
    sees = access.sees(Facet.RISK_ANSWERS)
    level = risk.level if risk else ""
    due = risk.reassess_due if risk else None
    # Every assessment recomputes the level, so a case without a level row has none to read.
    assessments = [assessment_on_page(a, access)
                   for a in assessments_of(access).select_related("recorded_by")] if risk is not None else []
    seen: set[str] = set()
    latest = []
    for item in assessments:
        if item.assessment.instrument not in seen:
            seen.add(item.assessment.instrument)
            latest.append(item)
    judgements = []
    if history:
        for judgement in Judgement.objects.filter(case=case).select_related("recorded_for").order_by("-recorded_at"):
            judgements.append({"judgement": judgement, "level_label": level_label(judgement.level),
                               "reason": judgement.reason if sees else None})
    return RiskPicture(
        level=level, level_label=level_label(level), reasons=reason_lines(risk.reasons if risk else []),
        is_repeat=bool(risk and risk.is_repeat), reassess_due=due,
        reassess_text=due_text(due, risk.reassess_because if risk else ""),
        reassess_overdue=bool(due and due <= timezone.localdate()),
        assessments=assessments if history else [], latest=latest,
        changes=list(RiskLevelChange.objects.filter(case=case).order_by("-changed_at", "-id")) if history else [],
        judgements=judgements, tasks=tasks_of(access), sees_answers=sees)


def assessments_of(access: AccessDecision) -> QuerySet[Assessment]:
    """The case's assessments, for a reader who may see the case (their answers: the facet decides)."""
    if not access.sees(Facet.CORE):
        return Assessment.objects.none()
    return Assessment.objects.filter(case=access.case).select_related("recorded_for").order_by("-recorded_at", "-id")


def assessments_with_answers_of(access: AccessDecision) -> QuerySet[Assessment]:
    """The case's assessments, for opening one with her answers: none without the risk-answers facet."""
    if not access.sees(Facet.RISK_ANSWERS):
        return Assessment.objects.none()
    return assessments_of(access)


def tasks_of(access: AccessDecision) -> list[Task]:
    if not access.sees(Facet.CORE):
        return []
    tasks = Task.objects.filter(case=access.case).select_related("owner_agency", "worker")
    return sorted(tasks, key=lambda t: (t.status != TaskStatus.OPEN, t.due_at))


@dataclass(frozen=True)
class InstrumentChoice:
    id: str
    title: str
    suggested: bool


def instruments_to_offer(access: AccessDecision, risk: RiskPicture) -> list[InstrumentChoice]:
    """The latest version of each instrument, for a reader who may assess; an instrument offered only
    on some answers (the stalking screen) is marked suggested when her latest answers (the picture's
    latest assessment of each instrument) call for it."""
    if not access.may(policy.Action.RECORD_RISK):
        return []
    answered = {item.assessment.instrument: item.assessment.answers for item in risk.latest}
    latest: dict[str, catalogue.Instrument] = {}
    for instrument in catalogue.instruments():
        latest[instrument.id] = instrument  # by id then version: the last one is the latest
    return [InstrumentChoice(id=i.id, title=i.title,
                             suggested=bool(i.offered_when) and scoring.offered(i, answered))
            for i in latest.values()]
