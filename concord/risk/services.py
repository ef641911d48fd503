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
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
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
from concord.protocols.vocabularies import Trigger
from concord.safety.services import ReviewReason, safety_plan_mark_for_review

from . import catalogue, scoring
from . import vocabularies as v
from .escalation import IncidentFacts, escalation_reasons, repeat_reason
from .events import RiskEventKind
from .models import Assessment, CaseRisk, Judgement, RiskLevelChange, Separation, Task
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


def _in_the_future(day: datetime.date) -> bool:
    # A day's grace, as for an incident's date: the worker's clock may be ahead of the server's.
    return day > timezone.localdate() + datetime.timedelta(days=1)


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
    if _in_the_future(assessed_on):
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
    result = None
    try:
        result = score_in_area(instrument, answers, rules_for(case.area),
                               practitioner_believes_high=practitioner_believes_high,
                               spoke_to_advocacy=spoke_to_advocacy or None)
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
        **scored_fields(instrument, result), assessed_on=assessed_on, recorded_by=actor.user,
        recorded_for=actor.agency)
    record_event(access=access, kind=RiskEventKind.ASSESSMENT_RECORDED, object_id=assessment.pk,
                 params=assessment_params(assessment),
                 fields=["answers", "her_view", "her_words", "safe_to_talk", "channel", "interpreter_language"])
    reconsider(case)
    return assessment


def score_in_area(instrument: catalogue.Instrument, answers: Mapping[str, str], rules: Rules, *,
                  practitioner_believes_high: bool = False, spoke_to_advocacy: str | None = None) -> scoring.Result:
    """scoring.score, with the area's own bands for a banded instrument where the area has them."""
    bands = rules.bands_for(instrument.id) if instrument.scoring.kind in catalogue.BANDED_KINDS else None
    return scoring.score(instrument, answers, practitioner_believes_high=practitioner_believes_high,
                         spoke_to_advocacy=spoke_to_advocacy, area_bands=bands)


def scored_fields(instrument: catalogue.Instrument, result: scoring.Result) -> dict[str, Any]:
    """An assessment's result fields, as scored when recorded: score, the instrument's level, the
    level on Concord's scale, and the rest of the result."""
    return {"score": result.score, "level": result.level.id if result.level else "",
            "scale_level": result.scale_level or "",
            "result": {"yes": list(result.yes), "dont_know": result.dont_know, "not_answered": result.not_answered,
                       "screened_in": result.screened_in, "how": list(result.how), "area_bands": result.area_bands,
                       "highest": instrument.highest_score}}


def assessment_params(assessment: Assessment) -> dict[str, Any]:
    """What the timeline keeps of an assessment: the instrument and its result, never an answer."""
    return {"assessment_id": assessment.pk, "instrument": assessment.instrument,
            "version": assessment.instrument_version, "score": assessment.score,
            "highest": assessment.result.get("highest"), "level": assessment.level,
            "scale_level": assessment.scale_level, "screened_in": assessment.result.get("screened_in")}


def latest_assessments(case: Case) -> dict[str, Assessment]:
    """The latest assessment of each instrument on the case (one query)."""
    return _latest_of(Assessment.objects.filter(case=case).order_by("-recorded_at", "-id"))


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


@transaction.atomic
def separation_record(*, actor: Actor, case: Case, separated_on: datetime.date) -> Separation:
    """She has separated from him (or tried to): the level is reconsidered and a reassessment falls due."""
    access = policy.decide_for_write(actor, case, Action.RECORD_RISK)
    if _in_the_future(separated_on):
        raise ValidationError({"separated_on": _("This date is in the future.")})
    separation = Separation.objects.create(case=case, separated_on=separated_on, recorded_by=actor.user,
                                           recorded_for=actor.agency)
    record_event(access=access, kind=RiskEventKind.SEPARATION_RECORDED, object_id=separation.pk,
                 params={"separation_id": separation.pk, "separated_on": separated_on.isoformat()},
                 fields=["separated_on"])
    reconsider(case)
    return separation


# --- The level, reconsidered ---------------------------------------------------------------------------
#
# In three parts, so that a caller writing many new cases at once (the demo's seeding) works their
# levels out exactly as reconsider() does without a dozen queries per case:
# - the facts: read for one case (level_facts) or for many in a few queries (level_facts_for);
# - work_out: the level, its reasons and the reassessment from the facts, on a given day (no query);
# - keep_level: reconsider's writes (the level kept, a change on the timeline, a high level's tasks).

@dataclass(frozen=True)
class LevelFacts:
    """Everything a case's level is worked out from."""

    rules: Rules
    latest: Mapping[str, Assessment]  # the latest assessment of each instrument
    judgements: Sequence[Judgement]  # every judgement on the case
    incidents: Sequence[IncidentFacts]  # every incident, whoever recorded it
    last_incident_recorded: datetime.datetime | None
    last_referral_on: datetime.date | None
    separations: Sequence[Separation] = ()  # newest first


@dataclass(frozen=True)
class WorkedOut:
    """A case's level as work_out found it: what CaseRisk keeps."""

    level: str
    reasons: list[dict]
    repeat: dict | None
    reassess_due: datetime.date | None
    reassess_because: str


def _incident_rows():
    # The rules read every incident (only their conclusion is shown); police_reported needs the sector.
    # Oldest first, by day, then time, then when recorded: the rules read "the latest" as the last.
    return (Incident.objects.select_related("reporting_agency")
            .order_by("occurred_on", F("occurred_at_time").asc(nulls_first=True), "recorded_at", "pk")
            .only("case_id", "occurred_on", "occurred_at_time", "weapon_used", "strangulation", "injuries",
                  "violence_type_list", "police_attended", "order_breached", "recorded_at",
                  "reporting_agency__sector"))


def _incident_facts(incident: Incident) -> IncidentFacts:
    police = incident.police_attended == "yes" or (
        incident.reporting_agency is not None and incident.reporting_agency.sector == Sector.POLICE)
    return IncidentFacts(occurred_on=incident.occurred_on, weapon_used=incident.weapon_used,
                         strangulation=incident.strangulation, injuries=incident.injuries,
                         violence_types=tuple(incident.violence_type_codes), police_reported=police,
                         order_breached=incident.order_breached)


def _referral_rows():
    """When the case was last referred to the conference, as the high level's follow-up recorded it
    (the task done); the conference's own referrals are read beside it (level_facts_for)."""
    return (Task.objects.filter(kind=v.TaskKind.REFER_TO_CONFERENCE, status=v.TaskStatus.DONE)
            .order_by("-done_at"))


def _latest_of(assessments) -> dict[str, Assessment]:
    """The first of each instrument, from assessments newest first."""
    latest: dict[str, Assessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.instrument, assessment)
    return latest


def _facts(rules: Rules, assessments, judgements, incidents, referral: datetime.datetime | None,
           separations=()) -> LevelFacts:
    return LevelFacts(rules=rules, latest=_latest_of(assessments), judgements=list(judgements),
                      incidents=[_incident_facts(incident) for incident in incidents],
                      last_incident_recorded=max((incident.recorded_at for incident in incidents), default=None),
                      last_referral_on=timezone.localdate(referral) if referral else None,
                      separations=list(separations))


def level_facts(case: Case) -> LevelFacts:
    """The facts of one case (six queries)."""
    return level_facts_for([case])[case.pk]


def level_facts_for(cases: Sequence[Case]) -> dict[int, LevelFacts]:
    """The facts of many cases, by case id, in a few queries whatever their number: the same facts
    level_facts reads for each."""
    ids = [case.pk for case in cases]
    rules = {area_id: rules_for(area) for area_id, area in {case.area_id: case.area for case in cases}.items()}
    assessments: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(case_id__in=ids).order_by("-recorded_at", "-id"):
        assessments[assessment.case_id].append(assessment)
    judgements: dict[int, list[Judgement]] = defaultdict(list)
    for judgement in Judgement.objects.filter(case_id__in=ids):
        judgements[judgement.case_id].append(judgement)
    incidents: dict[int, list[Incident]] = defaultdict(list)
    for incident in _incident_rows().filter(case_id__in=ids):
        incidents[incident.case_id].append(incident)
    referrals: dict[int, datetime.datetime] = {}
    for case_id, done in _referral_rows().filter(case_id__in=ids).values_list("case_id", "done_at"):
        referrals.setdefault(case_id, done)
    from concord.conferences.selectors import last_referred  # the conference builds on risk

    for case_id, referred in last_referred(ids).items():
        referrals[case_id] = max(referred, referrals.get(case_id, referred))
    separations: dict[int, list[Separation]] = defaultdict(list)
    for separation in Separation.objects.filter(case_id__in=ids).order_by("-separated_on", "-id"):
        separations[separation.case_id].append(separation)
    return {case.pk: _facts(rules[case.area_id], assessments[case.pk], judgements[case.pk], incidents[case.pk],
                            referrals.get(case.pk), separations[case.pk])
            for case in cases}


def _instrument_reasons(latest: Mapping[str, Assessment]) -> list[dict]:
    return [{"source": v.ReasonSource.INSTRUMENT, "level": a.scale_level, "instrument": a.instrument,
             "version": a.instrument_version, "score": a.score, "highest": a.result.get("highest"),
             "instrument_level": a.level, "assessment_id": a.pk, "assessed_on": a.assessed_on.isoformat(),
             "how": a.result.get("how", [])}
            for a in sorted(latest.values(), key=lambda a: a.instrument) if a.scale_level]


def _judgement_reason(judgements: Sequence[Judgement], latest: Mapping[str, Assessment]) -> dict | None:
    """The highest of the judgements standing (those since the latest assessment; the newest 20)."""
    since = max((a.recorded_at for a in latest.values()), default=None)
    standing = sorted((j for j in judgements if since is None or j.recorded_at >= since),
                      key=lambda j: (j.recorded_at, j.pk), reverse=True)[:20]
    if not standing:
        return None
    top = max(standing, key=lambda j: v.LEVEL_ORDER[j.level])
    return {"source": v.ReasonSource.JUDGEMENT, "level": top.level, "reason_kind": top.reason_kind,
            "judgement_id": top.pk, "recorded_on": timezone.localdate(top.recorded_at).isoformat()}


def _reassessment(latest: Mapping[str, Assessment], last_incident_recorded: datetime.datetime | None,
                  level: str, rules: Rules, today: datetime.date, separations: Sequence[Separation] = ()
                  ) -> tuple[datetime.date | None, str]:
    """When to assess again, and why: at once after a new incident or a separation (or if she was never
    assessed and there is an incident); otherwise the area's interval for the level after the last
    assessment."""
    if not latest:
        return (today, "never_assessed") if last_incident_recorded else (None, "")
    newest = max(latest.values(), key=lambda a: a.recorded_at)
    if last_incident_recorded and last_incident_recorded > newest.recorded_at:
        return timezone.localdate(last_incident_recorded), "new_incident"
    separated = [s.recorded_at for s in separations if s.recorded_at > newest.recorded_at]
    if separated:
        return timezone.localdate(max(separated)), "separation"
    return newest.assessed_on + datetime.timedelta(days=rules.reassess_after_days(level)), "interval"


def work_out(facts: LevelFacts, today: datetime.date) -> WorkedOut:
    """The case's level on `today` from its facts, with every reason: no query, nothing written."""
    rules, latest = facts.rules, facts.latest
    reasons = _instrument_reasons(latest)
    judgement = _judgement_reason(facts.judgements, latest)
    if judgement:
        reasons.append(judgement)
    checklist = latest.get("checklist")
    recent_checklist = (checklist.answers if checklist and
                        checklist.assessed_on >= today - datetime.timedelta(days=rules.window_days) else None)
    separated_on = facts.separations[0].separated_on if facts.separations else None
    reasons += escalation_reasons(facts.incidents, recent_checklist, rules, today, separated_on=separated_on)
    repeat = repeat_reason(facts.incidents, facts.last_referral_on, rules)
    if repeat:
        reasons.append(repeat)
    level = v.highest(reason["level"] for reason in reasons)
    due, because = _reassessment(latest, facts.last_incident_recorded, level, rules, today, facts.separations)
    return WorkedOut(level=level, reasons=reasons, repeat=repeat, reassess_due=due, reassess_because=because)


def risk_fields(worked: WorkedOut) -> dict[str, Any]:
    """CaseRisk's fields for a level worked out (all but the case and computed_at)."""
    repeat = worked.repeat
    return {"level": worked.level, "reasons": worked.reasons, "reassess_due": worked.reassess_due,
            "reassess_because": worked.reassess_because,
            "repeat_definition": repeat["definition"] if repeat else "",
            "repeat_definition_version": repeat["definition_version"] if repeat else None}


def level_change_params(before: str, worked: WorkedOut) -> dict[str, Any]:
    """What the timeline keeps of a change of level (by the system): from, to, and every reason."""
    return {"from": before, "to": worked.level, "reasons": worked.reasons}


@transaction.atomic
def reconsider(case: Case, *, today: datetime.date | None = None) -> CaseRisk:
    """Work the case's level out again from everything known, and keep it. A change of level is a
    timeline event (by the system); reaching high opens the area's follow-ups."""
    facts = level_facts(case)
    return keep_level(case, work_out(facts, today or timezone.localdate()), facts.rules)


def keep_level(case: Case, worked: WorkedOut, rules: Rules) -> CaseRisk:
    """reconsider's writes: the level kept; if it changed, the change, its timeline event and, on
    reaching high, the follow-ups."""
    risk, _created = CaseRisk.objects.select_for_update().get_or_create(case=case)
    before = risk.level
    for name, value in risk_fields(worked).items():
        setattr(risk, name, value)
    risk.computed_at = timezone.now()
    risk.save()
    if worked.level != before:
        RiskLevelChange.objects.create(case=case, from_level=before, to_level=worked.level, reasons=worked.reasons)
        system = policy.decide(RISK_PROCESS, case)
        record_event(access=system, kind=RiskEventKind.LEVEL_CHANGED, object_id=case.pk,
                     params=level_change_params(before, worked))
        safety_plan_mark_for_review(case, ReviewReason.RISK_LEVEL_CHANGED)
        if worked.level == v.RiskLevel.HIGH:
            _open_follow_ups(case, rules, system)
    return risk


# --- A high level's follow-ups -------------------------------------------------------------------------

@dataclass(frozen=True)
class Holders:
    """Who may own a case's follow-ups: the agencies involved now (first involved first) and the
    worker each names on the case."""

    involved: Sequence[Agency]
    workers: Mapping[int, Any]  # agency id -> the user holding the case there


def _involved_rows():
    return (CaseAgency.objects.filter(ended_at__isnull=True, agency__is_active=True).select_related("agency")
            .order_by("added_at", "id"))


def _worker_rows():
    return CaseWorker.objects.filter(ended_at__isnull=True).select_related("worker")


def holders(case: Case) -> Holders:
    """Who may own one case's follow-ups (two queries)."""
    return holders_for([case])[case.pk]


def holders_for(cases: Sequence[Case]) -> dict[int, Holders]:
    """Who may own the follow-ups of many cases (two queries whatever their number), by case id."""
    ids = [case.pk for case in cases]
    involved: dict[int, list[Agency]] = defaultdict(list)
    for row in _involved_rows().filter(case_id__in=ids):
        involved[row.case_id].append(row.agency)
    workers: dict[int, dict[int, Any]] = defaultdict(dict)
    for worker in _worker_rows().filter(case_id__in=ids):
        workers[worker.case_id][worker.agency_id] = worker.worker
    return {case.pk: Holders(involved=involved[case.pk], workers=workers[case.pk]) for case in cases}


def owner_on(case: Case, owner: str, involved: Sequence[Agency]) -> Agency:
    """"lead", or a sector: the first involved agency of that sector, else the lead agency."""
    if owner != "lead":
        agency = next((agency for agency in involved if agency.sector == owner), None)
        if agency is not None:
            return agency
    return case.lead_agency


def follow_ups(case: Case, rules: Rules, who: Holders, *, when: datetime.datetime,
               open_kinds: Collection[str] = ()) -> list[Task]:
    """The tasks a high level opens (unsaved), each but those of a kind already open on the case."""
    tasks: list[Task] = []
    for spec in rules.high_follow_ups:
        if spec["kind"] in open_kinds or any(task.kind == spec["kind"] for task in tasks):
            continue
        agency = owner_on(case, spec.get("owner", "lead"), who.involved)
        due_at = when + datetime.timedelta(hours=int(spec["due_hours"]))
        tasks.append(Task(case=case, kind=spec["kind"], owner_agency=agency, worker=who.workers.get(agency.pk),
                          due_at=due_at, escalate_at=due_at,
                          opened_by_rule=f"risk_level:{v.RiskLevel.HIGH}", opened_at=when))
    return tasks


def _open_follow_ups(case: Case, rules: Rules, system) -> None:
    """The area's protocols for a high level first; then the risk rules' follow-ups of any other kind."""
    from concord.protocols.services import fire

    fire(Trigger.HIGH_RISK, case)
    open_kinds = set(Task.objects.filter(case=case, status=v.TaskStatus.OPEN).values_list("kind", flat=True))
    for task in follow_ups(case, rules, holders(case), when=timezone.now(), open_kinds=open_kinds):
        task.save()
        record_event(access=system, kind=RiskEventKind.TASK_OPENED, object_id=task.pk, params=task_params(task))


def task_params(task: Task) -> dict[str, Any]:
    params = {"task_id": task.pk, "kind": task.kind, "agency_id": task.owner_agency_id,
              "agency": task.owner_agency.name, "worker": str(task.worker) if task.worker else "",
              "due_at": task.due_at.isoformat(), "status": task.status, "outcome": task.outcome}
    if task.protocol_version_id:
        params["protocol"] = str(task.protocol_version)
    if task.escalated_at:
        params["escalated_to"] = str(task.escalated_to) if task.escalated_to else task.owner_agency.name
    return params


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
