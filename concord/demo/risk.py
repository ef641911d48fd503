"""Risk on the demo cases.

- A completed checklist for a share of the cases led by the IDVA service or the police (the agencies
  that assess at first contact), as assessment_record would keep it: every scored item answered,
  the score, level and result by `scoring.score` with the area's bands, the before-questions, her
  own view and her words, and its timeline event. Drawn from a generator of the case's own, so the
  rest of the case is what it was without it.
- After each batch is written: every case's level, worked out by the functions reconsider() uses
  (concord.risk.services: level_facts_for, work_out) on the anchor day, so that reconsider() on a
  seeded case changes nothing. Its writes are shaped as reconsider's first run leaves them: the
  level kept, the change from "not assessed" with its reasons and its timeline event by the system,
  and a high level's follow-ups. They are stamped when the services would last have reconsidered
  the case in its story (its latest incident or assessment). Follow-ups due before the story ends
  (before the case closed, for a closed case) are done by whoever holds the case there, or by the
  lead agency; the others are still open.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence

from concord.access.models import AgencyAccess
from concord.accounts.models import Sector
from concord.cases.events import kind_of
from concord.cases.models import Case, CaseEvent, Incident
from concord.people.vocabularies import InterpreterNeeded
from concord.risk import catalogue, services
from concord.risk import vocabularies as rv
from concord.risk.events import RiskEventKind
from concord.risk.models import Assessment, CaseRisk, RiskLevelChange, Task
from concord.risk.rules import Rules

from . import people
from .bundle import MINUTE, Story
from .chance import Weighted, between
from .stories import FEARS, FEARS_ABOUT_STATUS, FEARS_WITH_CHILDREN, TASK_OUTCOMES

DAY = datetime.timedelta(days=1)
INSTRUMENT = "checklist"
# The agencies that complete the checklist at first contact, and how often a case they lead has one.
ASSESSING_SECTORS = frozenset({Sector.SPECIALIST_ADVOCACY, Sector.POLICE})
ASSESSED = 0.45
# The level her answers come to (roughly: what incidents she disclosed may add a "yes" or two).
AIM = Weighted(((rv.RiskLevel.STANDARD, 72), (rv.RiskLevel.MEDIUM, 16), (rv.RiskLevel.HIGH, 12)))
# How likely each item is to be among her "yes" (items not named: 1); what the incidents on the case
# already show is "yes" whatever the draw.
YES_WEIGHTS = {"fear": 9, "control_jealousy": 8, "separation": 7, "isolation": 6, "more_often": 6,
               "getting_worse": 6, "depression": 5, "money": 4, "substance_mental_health": 4, "threats_to_kill": 4,
               "criminal_history": 4, "child_contact": 4, "injury": 3, "stalking": 3, "sexual_abuse": 2,
               "strangulation": 2, "his_suicide_threats": 2, "breaches": 2, "others_threatened": 2, "weapons": 1.5}
# How often she does not know (items not named: 3%): most often about his history.
DONT_KNOW = {"criminal_history": 0.3, "his_suicide_threats": 0.15, "breaches": 0.1, "substance_mental_health": 0.1,
             "others_hurt": 0.08, "money": 0.05, "animals_hurt": 0.05}
H = rv.HerViewOfRisk
HER_VIEW: dict[str, Weighted[str]] = {
    rv.RiskLevel.STANDARD: Weighted(((H.VERY, 12), (H.SOME, 45), (H.LITTLE, 33), (H.NOT_SAID, 10))),
    rv.RiskLevel.MEDIUM: Weighted(((H.VERY, 35), (H.SOME, 45), (H.LITTLE, 10), (H.NOT_SAID, 10))),
    rv.RiskLevel.HIGH: Weighted(((H.VERY, 60), (H.SOME, 30), (H.LITTLE, 4), (H.NOT_SAID, 6))),
}
C = rv.AssessmentChannel
CHANNEL: dict[str, Weighted[str]] = {
    Sector.POLICE: Weighted(((C.IN_PERSON, 85), (C.PHONE, 15))),
    Sector.SPECIALIST_ADVOCACY: Weighted(((C.IN_PERSON, 45), (C.PHONE, 50), (C.VIDEO, 5))),
}
SAFE_TO_TALK = Weighted(((rv.SafeToTalk.YES, 94), (rv.SafeToTalk.NOT_SURE, 6)))
# The police assess with her when the incident is reported; an advocate at the first meetings.
WITHIN_DAYS: dict[str, int] = {Sector.POLICE: 2, Sector.SPECIALIST_ADVOCACY: 14}
HURT = frozenset({"minor", "serious"})


# --- The assessment ---------------------------------------------------------------------------------

def _aim_score(rng: random.Random, instrument: catalogue.Instrument, aim: str) -> int:
    """A number of "yes" within the instrument's own band for `aim`: the upper middle of the
    standard band, the low end of those above it."""
    band = [level for level in instrument.levels if level.scale_level == aim]
    low = band[0].at_least or 0
    top = band[-1].at_most if band[-1].at_most is not None else instrument.highest_score
    if aim == rv.RiskLevel.STANDARD:
        return round(rng.triangular(max(low, 1), top, low + (top - low) * 2 / 3))
    return round(rng.triangular(low, min(top, low + 6), low))


def _shown(known: Sequence[Incident]) -> set[str]:
    """Items the incidents on the case already answer "yes"."""
    shown = set()
    if any(i.strangulation == "yes" for i in known):
        shown.add("strangulation")
    if any(i.weapon_used == "yes" for i in known):
        shown.add("weapons")
    types = {code for i in known for code in i.violence_type_codes}
    if types & {"stalking", "harassment"}:
        shown.add("stalking")
    if types & {"sexual_assault", "rape"}:
        shown.add("sexual_abuse")
    if known and max(known, key=lambda i: i.recorded_at).injuries in HURT:
        shown.add("injury")
    return shown


def _answers(rng: random.Random, instrument: catalogue.Instrument, score: int, shown: set[str],
             *, children: bool, age: int) -> dict[str, str]:
    items = [item.id for item in instrument.scored_items]
    weights = {item: YES_WEIGHTS.get(item, 1.0) for item in items}
    if not children:
        weights["child_contact"] = 0
    if age > 45:
        weights["pregnancy"] = 0
    yes = {item for item in shown if item in weights}
    yes |= set(Weighted(weights.items()).sample(rng, score - len(yes), exclude=yes))
    return {item: "yes" if item in yes else "dont_know" if rng.random() < DONT_KNOW.get(item, 0.03) else "no"
            for item in items}


def _her_words(rng: random.Random, story: Story) -> str:
    if rng.random() < 0.15:
        return ""  # she did not want to say
    pool = list(FEARS)
    if story.children:
        pool += FEARS_WITH_CHILDREN
    if story.her.person.immigration_status in people.PRECARIOUS_STATUSES:
        pool += FEARS_ABOUT_STATUS
    return rng.choice(pool)


def assess(story: Story, rules: Rules, *, seed: int) -> None:
    """A completed checklist for some of the cases the IDVA service or the police lead, recorded by
    the lead's worker soon after the case opened."""
    sector = story.lead.sector
    rng = random.Random(f"{seed}:{story.index}:risk")
    if sector not in ASSESSING_SECTORS or rng.random() >= ASSESSED:
        return
    bundle, her = story.bundle, story.her.person
    instrument = catalogue.instrument(INSTRUMENT)
    start = story.clock + 5 * MINUTE  # after what she disclosed at intake
    recorded_at = between(rng, start, min(start + WITHIN_DAYS[sector] * DAY, story.until))
    known = [incident for incident in bundle.incidents if incident.recorded_at <= recorded_at]
    answers = _answers(rng, instrument, _aim_score(rng, instrument, AIM.pick(rng)), _shown(known),
                       children=bool(story.children), age=story.her.age)
    her_words = _her_words(rng, story)
    free = next((item for item in instrument.items if item.free_text), None)
    if free is not None and her_words:
        answers[free.id] = her_words  # as assessment_record keeps them: the instrument's own item
    result = services.score_in_area(instrument, answers, rules)
    interpreter = her.interpreter_needed == InterpreterNeeded.YES and her.first_language not in ("", "English")
    assessment = Assessment(
        case=bundle.case, instrument=instrument.id, instrument_version=instrument.version,
        safe_to_talk=SAFE_TO_TALK.pick(rng), channel=CHANNEL[sector].pick(rng), interpreter_used=interpreter,
        interpreter_language=her.first_language if interpreter else "",
        her_view=HER_VIEW[result.scale_level or rv.RiskLevel.STANDARD].pick(rng), her_words=her_words,
        answers=answers, **services.scored_fields(instrument, result),
        assessed_on=recorded_at.date(), recorded_by=story.worker, recorded_for=story.lead, recorded_at=recorded_at)
    bundle.assessments.append(assessment)
    # As assessment_record writes it, but without the id, as the demo's other seeded events leave
    # theirs out (an incident's event names no incident either): it has none until written.
    params = {key: value for key, value in services.assessment_params(assessment).items() if key != "assessment_id"}
    bundle.event(RiskEventKind.ASSESSMENT_RECORDED, params, recorded_at, story.worker, story.lead)


# --- The level of every case in a batch ----------------------------------------------------------------

def _event(case: Case, kind: str, params: dict, when: datetime.datetime, object_id, *, actor=None,
           agency=None) -> CaseEvent:
    """A timeline event as record_event writes it: by a person for an agency, or by the system."""
    event_kind = kind_of(kind)
    return CaseEvent(case=case, kind=kind, object_type=event_kind.object_type, object_id=str(object_id),
                     facet=event_kind.facet_for(params), params=params, occurred_at=when, actor=actor,
                     agency=agency, system_actor="" if actor else services.RISK_PROCESS.process)


def _last_reconsidered(facts: services.LevelFacts) -> datetime.datetime:
    """When the services last reconsidered the case in its story: its latest incident or assessment."""
    moments = [a.recorded_at for a in facts.latest.values()]
    if facts.last_incident_recorded is not None:
        moments.append(facts.last_incident_recorded)
    return max(moments)


Reach = dict[tuple[int, int], list[tuple[datetime.datetime, datetime.datetime]]]


def _reach(cases: Sequence[Case]) -> Reach:
    """When each agency may open each case (the derived access table, just refreshed)."""
    found: Reach = defaultdict(list)
    rows = (AgencyAccess.objects.filter(case__in=cases).opening()
            .values_list("case_id", "agency_id", "valid_from", "valid_until"))
    for case_id, agency_id, valid_from, valid_until in rows:
        found[case_id, agency_id].append((valid_from, valid_until))
    return found


def _complete(task: Task, case: Case, until: datetime.datetime, reach: Reach) -> None:
    """Done halfway to its deadline if that is before the story ends (on a closed case, before it
    closed, whatever the deadline): by whoever holds the case for the owner, if the owner may open
    the case then, else by the lead agency's worker (the lead may close any task)."""
    if task.due_at > until and case.closed_at is None:
        return
    task.status = rv.TaskStatus.DONE
    done_at = min(task.opened_at + (task.due_at - task.opened_at) / 2, until).replace(second=0, microsecond=0)
    task.done_at = done_at
    owner_may = any(start <= done_at < stop for start, stop in reach.get((case.pk, task.owner_agency_id), []))
    by_owner = task.worker is not None and owner_may
    task.done_by = task.worker if by_owner else case.created_by
    task.done_for = task.owner_agency if by_owner else case.lead_agency
    outcomes = TASK_OUTCOMES[task.kind]
    task.outcome = outcomes[int(case.reference[-5:]) % len(outcomes)]


def levels(cases: Sequence[Case], *, today: datetime.date, end: datetime.datetime) -> None:
    """Work out and keep the level of each case just written (a few queries for the whole batch):
    what reconsider(case, today=today) would keep, and the history of its first run."""
    facts = services.level_facts_for(cases)
    worked = {case.pk: services.work_out(facts[case.pk], today) for case in cases}
    high = [case for case in cases if worked[case.pk].level == rv.RiskLevel.HIGH]
    holders, reach = services.holders_for(high), _reach(high)
    risks, changes, tasks, events = [], [], [], []
    for case in cases:
        level, when = worked[case.pk], _last_reconsidered(facts[case.pk])
        risks.append(CaseRisk(case=case, computed_at=when, **services.risk_fields(level)))
        if not level.level:
            continue  # nothing gives a level: it stays "not assessed", with no change to record
        changes.append(RiskLevelChange(case=case, from_level="", to_level=level.level, reasons=level.reasons,
                                       changed_at=when))
        events.append(_event(case, RiskEventKind.LEVEL_CHANGED, services.level_change_params("", level), when,
                             case.pk))
        if level.level == rv.RiskLevel.HIGH:
            for task in services.follow_ups(case, facts[case.pk].rules, holders[case.pk], when=when):
                _complete(task, case, case.closed_at - 5 * MINUTE if case.closed_at else end, reach)
                tasks.append(task)
    CaseRisk.objects.bulk_create(risks)
    RiskLevelChange.objects.bulk_create(changes)
    Task.objects.bulk_create(tasks)
    for task in tasks:
        # When it opened, as task_params gave it then; and when it was done.
        events.append(_event(task.case, RiskEventKind.TASK_OPENED,
                             {**services.task_params(task), "status": rv.TaskStatus.OPEN, "outcome": ""},
                             task.opened_at, task.pk))
        if task.done_at is not None:
            events.append(_event(task.case, RiskEventKind.TASK_CLOSED, services.task_params(task), task.done_at,
                                 task.pk, actor=task.done_by, agency=task.done_for))
    CaseEvent.objects.bulk_create(events)
    # As record_event does: the case was last updated when its latest event happened.
    updated = []
    for event in events:
        if event.occurred_at > event.case.updated_at:
            event.case.updated_at = event.occurred_at
            updated.append(event.case)
    Case.objects.bulk_update(set(updated), ["updated_at"])
