"""Writes of the risk app: an assessment, a professional judgement, the case's level reconsidered, and
the tasks a high level opens. Each write takes the access decision first and runs in one transaction
with its timeline events, as the case record's services do (concord.cases.services).

The case's level is the highest of three kinds of reason, each kept with it:
- the instruments: the latest assessment of each instrument that gives a level;
- professional judgement: a practitioner's raise, standing until the next assessment;
- the history: the escalation rules and the repeat flag, over every incident any agency recorded.
Nothing lowers the level below what an instrument gave: a judgement can only raise it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Agency, Sector
from concord.cases.events import record_event
from concord.cases.models import Case, CaseAgency, CaseWorker, Incident
from concord.policy import Action, Actor, SystemActor

from . import catalogue, scoring
from . import vocabularies as v
from .escalation import IncidentFacts, escalation_reasons, repeat_reason
from .events import RiskEventKind
from .models import Assessment, CaseRisk, Judgement, RiskLevelChange, Task
from .rules import Rules, rules_for

# The system, when it reconsiders a level or opens a follow-up: the timeline says so.
RISK_PROCESS = SystemActor("risk level")


@dataclass(frozen=True)
class BeforeQuestions:
    """Asked before any question: is it safe to talk, is an interpreter used (which language), how."""

    safe_to_talk: str
    channel: str
    interpreter_used: bool = False
    interpreter_language: str = ""


def _choice(value: str, choices, field: str, errors: dict[str, str], message: str) -> None:
    if value not in choices.values:
        errors[field] = message


def _check_before(before: BeforeQuestions, errors: dict[str, str]) -> None:
    _choice(before.safe_to_talk, v.SafeToTalk, "safe_to_talk", errors, _("Say whether it is safe for her to talk now."))
    if before.safe_to_talk == v.SafeToTalk.NO:
        errors["safe_to_talk"] = _("It is not safe for her to talk now: stop here and arrange a safe time. "
                                   "Nothing has been saved.")
    _choice(before.channel, v.AssessmentChannel, "channel", errors, _("Say how the assessment is done."))
    if before.interpreter_used and not before.interpreter_language.strip():
        errors["interpreter_language"] = _("Say which language the interpreter is using.")


@transaction.atomic
def assessment_record(*, actor: Actor, case: Case, instrument_id: str, answers: Mapping[str, str],
                      before: BeforeQuestions, her_view: str, her_words: str = "", version: int | None = None,
                      practitioner_believes_high: bool = False, spoke_to_advocacy: str | None = None,
                      assessed_on: datetime.date | None = None) -> Assessment:
    """Score an instrument's answers by its rule (the area's bands where it has its own), keep them with
    the instrument's version, and reconsider the case's level. Refuses with field messages (item ids,
    the before-questions, her view) and writes nothing if anything is wrong."""
    access = policy.decide_for_write(actor, case, Action.RECORD_RISK)
    errors: dict[str, str] = {}
    try:
        instrument = catalogue.instrument(instrument_id, version)
    except KeyError:
        raise ValidationError({"instrument": _("There is no such risk instrument.")}) from None
    _check_before(before, errors)
    _choice(her_view, v.HerViewOfRisk, "her_view", errors, _("Record her own view of her risk (or that she did "
                                                              "not say)."))
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate() + datetime.timedelta(days=1):
        errors["assessed_on"] = _("This date is in the future.")
    answers = dict(answers.items())
    her_words = her_words.strip()
    free = next((item for item in instrument.items if item.free_text), None)
    if free is not None:
        # The instrument's own "in her words" item is her words: one text, whichever way it came.
        if her_words:
            answers[free.id] = her_words
        elif isinstance(answers.get(free.id), str):
            her_words = answers[free.id].strip()
    rules = rules_for(case.area)
    bands = rules.bands_for(instrument.id) if instrument.scoring.kind in catalogue.BANDED_KINDS else None
    result = None
    try:
        result = scoring.score(instrument, answers, practitioner_believes_high=practitioner_believes_high,
                               spoke_to_advocacy=spoke_to_advocacy or None, area_bands=bands)
    except scoring.InvalidAnswers as invalid:
        errors.update(invalid.messages)
    if errors or result is None:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        case=case, instrument=instrument.id, instrument_version=instrument.version,
        safe_to_talk=before.safe_to_talk, channel=before.channel, interpreter_used=before.interpreter_used,
        interpreter_language=before.interpreter_language.strip() if before.interpreter_used else "",
        her_view=her_view, her_words=her_words, answers=answers,
        practitioner_believes_high=practitioner_believes_high, spoke_to_advocacy=result.spoke_to_advocacy or "",
        score=result.score, level=result.level.id if result.level else "", scale_level=result.scale_level or "",
        result={"yes": list(result.yes), "dont_know": result.dont_know, "not_answered": result.not_answered,
                "screened_in": result.screened_in, "how": list(result.how), "area_bands": result.area_bands,
                "highest": instrument.highest_score},
        assessed_on=assessed_on, recorded_by=actor.user, recorded_for=actor.agency)
    record_event(access=access, kind=RiskEventKind.ASSESSMENT_RECORDED, object_id=assessment.pk,
                 params=assessment_params(assessment),
                 fields=["answers", "her_view", "her_words", "safe_to_talk", "channel", "interpreter_language"])
    reconsider(case)
    return assessment


def assessment_params(assessment: Assessment) -> dict[str, Any]:
    """What the timeline keeps of an assessment: the instrument and its result, never an answer."""
    return {"assessment_id": assessment.pk, "instrument": assessment.instrument,
            "version": assessment.instrument_version, "score": assessment.score,
            "highest": assessment.result.get("highest"), "level": assessment.level,
            "scale_level": assessment.scale_level, "screened_in": assessment.result.get("screened_in")}


def latest_assessments(case: Case) -> dict[str, Assessment]:
    """The latest assessment of each instrument on the case (one query)."""
    latest: dict[str, Assessment] = {}
    for assessment in Assessment.objects.filter(case=case).order_by("-recorded_at", "-id"):
        latest.setdefault(assessment.instrument, assessment)
    return latest


def instrument_level(latest: Mapping[str, Assessment]) -> str:
    return v.highest(a.scale_level for a in latest.values() if a.scale_level)


@transaction.atomic
def judgement_record(*, actor: Actor, case: Case, level: str, reason_kind: str, reason: str) -> Judgement:
    """Raise the case's level on professional judgement, with the reason written down. It can only
    raise: a level at or below what the instruments gave is refused."""
    access = policy.decide_for_write(actor, case, Action.RECORD_RISK)
    errors: dict[str, str] = {}
    _choice(level, v.RiskLevel, "level", errors, _("Choose the level your judgement raises the case to."))
    _choice(reason_kind, v.JudgementReason, "reason_kind", errors, _("Choose the reason."))
    if not reason.strip():
        errors["reason"] = _("Write down why, in your own words.")
    given = instrument_level(latest_assessments(case))
    if "level" not in errors and given and v.LEVEL_ORDER[level] <= v.LEVEL_ORDER[given]:
        errors["level"] = _("Professional judgement can raise the level, never lower it or keep it: the "
                            "instruments give %(level)s.") % {"level": v.RiskLevel(given).label}
    if errors:
        raise ValidationError(errors)
    judgement = Judgement.objects.create(case=case, level=level, reason_kind=reason_kind, reason=reason.strip()[:2000],
                                         recorded_by=actor.user, recorded_for=actor.agency)
    record_event(access=access, kind=RiskEventKind.JUDGEMENT_RECORDED, object_id=judgement.pk,
                 params={"judgement_id": judgement.pk, "level": level, "reason_kind": reason_kind},
                 fields=["level", "reason_kind", "reason"])
    reconsider(case)
    return judgement


# --- The level, reconsidered ---------------------------------------------------------------------------

def _facts(case: Case) -> tuple[list[IncidentFacts], datetime.datetime | None]:
    """Every incident on the case, whoever recorded it (the rules read them all; only their conclusion
    is shown), and when the latest was recorded."""
    facts, last_recorded = [], None
    # Oldest first, by day, then time, then when recorded: the rules read "the latest" as the last.
    rows = (Incident.objects.filter(case=case).select_related("reporting_agency")
            .order_by("occurred_on", F("occurred_at_time").asc(nulls_first=True), "recorded_at", "pk")
            .only("occurred_on", "occurred_at_time", "weapon_used", "strangulation", "injuries", "violence_type_list",
                  "police_attended", "recorded_at", "reporting_agency__sector"))
    for incident in rows:
        police = incident.police_attended == "yes" or (
            incident.reporting_agency is not None and incident.reporting_agency.sector == Sector.POLICE)
        facts.append(IncidentFacts(occurred_on=incident.occurred_on, weapon_used=incident.weapon_used,
                                   strangulation=incident.strangulation, injuries=incident.injuries,
                                   violence_types=tuple(incident.violence_type_codes), police_reported=police))
        if last_recorded is None or incident.recorded_at > last_recorded:
            last_recorded = incident.recorded_at
    return facts, last_recorded


def last_referral_on(case: Case) -> datetime.date | None:
    """When the case was last referred to the conference: the referral task done (the conference
    issue replaces this with its own referral record)."""
    done = (Task.objects.filter(case=case, kind=v.TaskKind.REFER_TO_CONFERENCE, status=v.TaskStatus.DONE)
            .order_by("-done_at").values_list("done_at", flat=True).first())
    return timezone.localdate(done) if done else None


def _instrument_reasons(latest: Mapping[str, Assessment]) -> list[dict]:
    return [{"source": v.ReasonSource.INSTRUMENT, "level": a.scale_level, "instrument": a.instrument,
             "version": a.instrument_version, "score": a.score, "highest": a.result.get("highest"),
             "instrument_level": a.level, "assessment_id": a.pk, "assessed_on": a.assessed_on.isoformat(),
             "how": a.result.get("how", [])}
            for a in sorted(latest.values(), key=lambda a: a.instrument) if a.scale_level]


def _judgement_reason(case: Case, latest: Mapping[str, Assessment]) -> dict | None:
    since = max((a.recorded_at for a in latest.values()), default=None)
    judgements = Judgement.objects.filter(case=case)
    if since is not None:
        judgements = judgements.filter(recorded_at__gte=since)
    standing = list(judgements.order_by("-recorded_at", "-id")[:20])
    if not standing:
        return None
    top = max(standing, key=lambda j: v.LEVEL_ORDER[j.level])
    return {"source": v.ReasonSource.JUDGEMENT, "level": top.level, "reason_kind": top.reason_kind,
            "judgement_id": top.pk, "recorded_on": timezone.localdate(top.recorded_at).isoformat()}


def _reassessment(latest: Mapping[str, Assessment], last_incident_recorded: datetime.datetime | None,
                  level: str, rules: Rules, today: datetime.date) -> tuple[datetime.date | None, str]:
    """When to assess again, and why: at once after a new incident (or if she was never assessed and
    there is one); otherwise the area's interval for the level after the last assessment."""
    if not latest:
        return (today, "never_assessed") if last_incident_recorded else (None, "")
    newest = max(latest.values(), key=lambda a: a.recorded_at)
    if last_incident_recorded and last_incident_recorded > newest.recorded_at:
        return timezone.localdate(last_incident_recorded), "new_incident"
    return newest.assessed_on + datetime.timedelta(days=rules.reassess_after_days(level)), "interval"


@transaction.atomic
def reconsider(case: Case, *, today: datetime.date | None = None) -> CaseRisk:
    """Work the case's level out again from everything known, and keep it. A change of level is a
    timeline event (by the system); reaching high opens the area's follow-ups."""
    today = today or timezone.localdate()
    rules = rules_for(case.area)
    latest = latest_assessments(case)
    reasons = _instrument_reasons(latest)
    judgement = _judgement_reason(case, latest)
    if judgement:
        reasons.append(judgement)
    incidents, last_recorded = _facts(case)
    checklist = latest.get("checklist")
    recent_checklist = (checklist.answers if checklist and
                        checklist.assessed_on >= today - datetime.timedelta(days=rules.window_days) else None)
    reasons += escalation_reasons(incidents, recent_checklist, rules, today)
    repeat = repeat_reason(incidents, last_referral_on(case), rules)
    if repeat:
        reasons.append(repeat)
    level = v.highest(reason["level"] for reason in reasons)
    due, because = _reassessment(latest, last_recorded, level, rules, today)
    risk, _created = CaseRisk.objects.select_for_update().get_or_create(case=case)
    before = risk.level
    risk.level, risk.reasons, risk.reassess_due, risk.reassess_because = level, reasons, due, because
    risk.repeat_definition = repeat["definition"] if repeat else ""
    risk.repeat_definition_version = repeat["definition_version"] if repeat else None
    risk.computed_at = timezone.now()
    risk.save()
    if level != before:
        RiskLevelChange.objects.create(case=case, from_level=before, to_level=level, reasons=reasons)
        system = policy.decide(RISK_PROCESS, case)
        record_event(access=system, kind=RiskEventKind.LEVEL_CHANGED, object_id=case.pk,
                     params={"from": before, "to": level, "reasons": reasons})
        if level == v.RiskLevel.HIGH:
            _open_follow_ups(case, rules, system)
    return risk


def _owner(case: Case, owner: str) -> Agency:
    if owner != "lead":
        involved = (CaseAgency.objects.filter(case=case, ended_at__isnull=True, agency__sector=owner,
                                              agency__is_active=True)
                    .select_related("agency").order_by("added_at").first())
        if involved is not None:
            return involved.agency
    return case.lead_agency


def _open_follow_ups(case: Case, rules: Rules, system) -> None:
    now = timezone.now()
    for spec in rules.high_follow_ups:
        if Task.objects.filter(case=case, kind=spec["kind"], status=v.TaskStatus.OPEN).exists():
            continue
        agency = _owner(case, spec.get("owner", "lead"))
        held = (CaseWorker.objects.filter(case=case, agency=agency, ended_at__isnull=True)
                .select_related("worker").first())
        task = Task.objects.create(case=case, kind=spec["kind"], owner_agency=agency,
                                   worker=held.worker if held else None,
                                   due_at=now + datetime.timedelta(hours=int(spec["due_hours"])),
                                   opened_by_rule=f"risk_level:{v.RiskLevel.HIGH}")
        record_event(access=system, kind=RiskEventKind.TASK_OPENED, object_id=task.pk, params=task_params(task))


def task_params(task: Task) -> dict[str, Any]:
    return {"task_id": task.pk, "kind": task.kind, "agency_id": task.owner_agency_id, "agency": task.owner_agency.name,
            "worker": str(task.worker) if task.worker else "", "due_at": task.due_at.isoformat(),
            "status": task.status, "outcome": task.outcome}


@transaction.atomic
def task_complete(*, actor: Actor, task: Task, status: str = v.TaskStatus.DONE, outcome: str = "") -> Task:
    """The owner agency (or the lead agency) marks a task done, or no longer needed, saying what was done."""
    access = policy.decide_for_write(actor, task.case)
    if not access.may_complete(task):
        raise PermissionDenied(_("Only the agency this task belongs to, or the lead agency, can close it."))
    # Only the task's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the worker's join.
    current = Task.objects.select_for_update(of=("self",)).select_related("owner_agency", "worker").get(pk=task.pk)
    errors = {}
    if not current.is_open:
        errors["status"] = _("This task is already closed.")
    elif status not in (v.TaskStatus.DONE, v.TaskStatus.CANCELLED):
        errors["status"] = _("Say whether the task was done or is no longer needed.")
    elif status == v.TaskStatus.CANCELLED and not outcome.strip():
        errors["outcome"] = _("Say why the task is no longer needed.")
    if errors:
        raise ValidationError(errors)
    current.status, current.outcome = status, outcome.strip()[:300]
    current.done_at, current.done_by, current.done_for = timezone.now(), actor.user, actor.agency
    current.save()
    record_event(access=access, kind=RiskEventKind.TASK_CLOSED, object_id=current.pk, params=task_params(current),
                 fields=["status", "outcome"])
    if current.kind == v.TaskKind.REFER_TO_CONFERENCE:
        reconsider(current.case)  # a referral starts the repeat window
    return current
