"""The demo's multi-agency risk conference (issue 17): Northshire MARAC, fortnightly, coordinated by
the IDVA service's conference coordinator and chaired by the police detective sergeant.

- Its past meetings, over the seeded history's last five months: each discussed the high-risk cases
  referred before it, with research from the police and the IDVA service, a shared summary and
  actions for the agencies (most done, some late, one blocked by a change in her circumstances, the
  latest still open: their owners see them as tasks). These give the figures page its quarter.
- High-risk cases referred since, waiting for the next meeting, which is scheduled for next week with
  its agenda not yet built: the coordinator builds it in the walk-through.

Past records are written as the services would have written them, dated in the history (the services
refuse to schedule a meeting in the past); the derived access table is refreshed for every case
touched. Run once: a second seeding finds the series there."""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from concord import policy
from concord.access.derive import refresh_cases
from concord.accounts.models import Agency, Area, Membership, Role
from concord.cases.events import record_event
from concord.cases.models import Case, CaseEvent
from concord.conferences import services
from concord.conferences import vocabularies as v
from concord.conferences.events import ConferenceEventKind
from concord.conferences.models import (
    AreaConferenceProfile,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    Research,
)
from concord.consent.events import ConsentEventKind
from concord.consent.models import ConsentDecision
from concord.policy import Actor
from concord.risk.models import CaseRisk, Task
from concord.risk.vocabularies import RiskLevel, TaskKind

from .partnership import AGENCIES, AREA, EMAIL_DOMAIN

SERIES_NAME = "Northshire MARAC"
COORDINATOR, CHAIR = "marac", "police-supervisor"  # demo logins
INVITED = ("idva", "police", "probation", "health", "housing", "childrens", "refuge")  # agency keys
PAST_MEETINGS = 11  # fortnightly, the last one a week before the anchor
PER_MEETING = 3
WAITING = 8  # referred since the last meeting
ADULT_WOMEN = 18_000  # a small demo area: its 300 cases make a rate near the national 40 a year per 10,000
EXPECTED = {v.Group.MINORITISED: 12.0, v.Group.LGBT: 3.0, v.Group.DISABLED: 16.0, v.Group.MEN: 5.0,
            v.Group.AGED_16_17: 2.0}
SUMMARY = ("Agencies shared that the abuse is escalating. Her advocate says she wants to stay in her home with "
           "better security. Agreed: a target-hardening referral, a flag on her address, and a review of child "
           "contact arrangements.")
ACTIONS = (
    ("police", "Place a flag on her address so that any call is treated as urgent."),
    ("housing", "Refer her home for target hardening (locks, door chain, window alarms)."),
    ("childrens", "Review the child contact arrangements with the family court adviser."),
    ("probation", "Check his licence conditions and tell the police of any breach."),
    ("health", "Flag her records so that she is seen alone at appointments."),
)
RESEARCH = {
    "police": ("Three call-outs to her address in the past year; the last involved a threat to kill.",
               "Attempted strangulation reported at the last call-out; he was arrested and bailed.",
               "Bail conditions: not to contact her or go to her street."),
    "idva": ("Allocated an IDVA after the last call-out; in contact weekly.",
             "She describes the abuse as getting worse since she ended the relationship.",
             "She is frightened he will find her new workplace."),
}
HER_VIEWS = "She wants to stay in her home with better locks, and for the police to respond quickly if he comes."


def _actor(local_part: str, area: Area) -> Actor:
    membership = (Membership.objects.select_related("user", "agency__area")
                  .get(user__email=f"{local_part}@{EMAIL_DOMAIN}", agency__area=area))
    return Actor(user=membership.user, membership=membership)


def _lead_actor(case: Case) -> Actor | None:
    membership = (Membership.objects.in_force().select_related("user", "agency__area")
                  .filter(agency_id=case.lead_agency_id, role=Role.PRACTITIONER).order_by("pk").first())
    return Actor(user=membership.user, membership=membership) if membership else None


def _zone(area: Area) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(area.time_zone)


def _high_risk_cases(area: Area) -> list[Case]:
    """Open high-risk cases not referred yet, each with when it became high (`high_since`), oldest first."""
    cases = list(Case.objects.filter(area=area, status="open", risk__level=RiskLevel.HIGH,
                                     conference_referrals__isnull=True).select_related("risk", "lead_agency")
                 .annotate(high_since=Max("risk_level_changes__changed_at")).order_by("high_since", "pk"))
    return [case for case in cases if case.high_since is not None]


@transaction.atomic
def conferences_seed(anchor: datetime.date, seed: int = 1) -> ConferenceSeries | None:
    area = Area.objects.get(code=AREA["code"])
    if ConferenceSeries.objects.filter(area=area).exists():
        return None
    agencies = {key: Agency.objects.get(area=area, name=name) for key, name in _agency_names().items()}
    coordinator, chair = _actor(COORDINATOR, area), _actor(CHAIR, area)
    series = ConferenceSeries.objects.create(area=area, name=SERIES_NAME, every_days=14,
                                             coordinating_agency=coordinator.agency)
    AreaConferenceProfile.objects.create(area=area, adult_women=ADULT_WOMEN,
                                         expected={str(k): value for k, value in EXPECTED.items()})
    chance = random.Random(seed)
    zone = _zone(area)
    candidates = _high_risk_cases(area)
    touched: list[int] = []
    last_meeting = anchor - datetime.timedelta(days=7)
    for n in range(PAST_MEETINGS, 0, -1):
        day = last_meeting - datetime.timedelta(days=14 * (n - 1))
        held_at = datetime.datetime.combine(day, datetime.time(10, 0), zone)
        due = [c for c in candidates if c.high_since < held_at - datetime.timedelta(days=9)][:PER_MEETING]
        for case in due:
            candidates.remove(case)
        touched += _past_meeting(series, held_at, due, agencies, coordinator, chair, chance, anchor)
    # Referred since: waiting for next week's meeting (referred through the service, then dated two
    # days before the anchor, as everything seeded is dated in the history).
    referred = datetime.datetime.combine(anchor - datetime.timedelta(days=2), datetime.time(11, 0), zone)
    for case in candidates[:WAITING]:
        lead = _lead_actor(case)
        if lead is None:
            continue
        _consent(case, lead, referred - datetime.timedelta(hours=1))
        started, computed = timezone.now(), case.risk.computed_at
        referral = services.conference_refer(actor=lead, case=case, details=services.ConferenceReferralDetails(
            she_knows=v.SheKnows.YES, children_in_household=chance.choice((0, 0, 1, 2, 3))))
        ConferenceReferral.objects.filter(pk=referral.pk).update(referred_at=referred)
        CaseEvent.objects.filter(case=case, occurred_at__gte=started).update(occurred_at=referred)
        Task.objects.filter(case=case, done_at__gte=started).update(done_at=referred)
        CaseRisk.objects.filter(case=case, computed_at__gte=started).update(computed_at=computed)
        touched.append(case.pk)
    next_week = datetime.datetime.combine(anchor + datetime.timedelta(days=7), datetime.time(10, 0), zone)
    if next_week > timezone.now():
        services.meeting_schedule(actor=coordinator, series=series, details=services.MeetingDetails(
            held_at=next_week, chair=chair.user, invited=tuple(agencies[key] for key in INVITED)))
    refresh_cases(touched)
    for case_id in touched:  # a case's last change is its latest event
        last = CaseEvent.objects.filter(case_id=case_id).aggregate(last=Max("occurred_at"))["last"]
        Case.objects.filter(pk=case_id).update(updated_at=last)
    return series


def _agency_names() -> dict[str, str]:
    return {agency.key: agency.name for agency in AGENCIES}


def _consent(case: Case, lead: Actor, at: datetime.datetime) -> ConsentDecision:
    """Her consent to be discussed, recorded through the ledger's service and dated when she gave it."""
    from concord.consent.services import consent_record

    started = timezone.now()
    decision = consent_record(actor=lead, case=case, scope="conference", decision="given", method="verbal",
                              decided_at=at, note="She agreed to her case being discussed at the MARAC.")
    CaseEvent.objects.filter(case=case, kind=ConsentEventKind.CONSENT_RECORDED, occurred_at__gte=started).update(
        occurred_at=at)
    return decision


def _dated(case: Case, kind: str, object_id: int, at: datetime.datetime) -> None:
    CaseEvent.objects.filter(case=case, kind=kind, object_id=str(object_id)).update(occurred_at=at)


def _past_meeting(series: ConferenceSeries, held_at: datetime.datetime, cases: list[Case],
                  agencies: dict[str, Agency], coordinator: Actor, chair: Actor, chance: random.Random,
                  anchor: datetime.date) -> list[int]:
    """A meeting held and closed, as its coordinator and chair would have recorded it."""
    released = held_at - datetime.timedelta(days=5)
    meeting = Meeting.objects.create(series=series, held_at=held_at, chair=chair.user, coordinator=coordinator.user,
                                     agenda_released_at=released, closed_at=held_at + datetime.timedelta(hours=3))
    meeting.invited.set([agencies[key] for key in INVITED])
    for key in INVITED:
        apologies = key == "refuge" and chance.random() < 0.5
        Attendance.objects.create(meeting=meeting, agency=agencies[key], recorded_by=chair.user, recorded_at=held_at,
                                  status=v.AttendanceStatus.APOLOGIES if apologies else v.AttendanceStatus.PRESENT)
    system = services.AGENDA
    for position, case in enumerate(cases, start=1):
        lead = _lead_actor(case)
        if lead is None:
            continue
        earliest = max(case.high_since + datetime.timedelta(hours=1), held_at - datetime.timedelta(days=20))
        referred = earliest + (held_at - datetime.timedelta(days=8) - earliest) * chance.random()
        consent = _consent(case, lead, referred - datetime.timedelta(hours=1))
        risk = CaseRisk.objects.filter(case=case).first()
        criteria = services.criteria_from_risk(risk) or [v.Criterion.VISIBLE_HIGH]
        if chance.random() < 0.3 and v.Criterion.REPEAT not in criteria:
            criteria = [c for c in v.Criterion.values if c in {*criteria, v.Criterion.REPEAT}]
        referral = ConferenceReferral.objects.create(
            case=case, referred_by=lead.user, referred_for=lead.agency, referred_at=referred, criteria=criteria,
            risk_level=RiskLevel.HIGH, consent_basis=v.ConsentBasis.CONSENT, consent_decision=consent,
            she_knows=v.SheKnows.YES, status=v.ConferenceReferralStatus.DISCUSSED, meeting=meeting,
            position=position, children_in_household=chance.choice((0, 0, 1, 1, 2, 3)),
            discussion_summary=SUMMARY, discussed_at=held_at,
            repeat_definition="safelives_2023" if v.Criterion.REPEAT in criteria else "",
            repeat_definition_version=1 if v.Criterion.REPEAT in criteria else None)
        decision = policy.decide(system, case)
        record_event(access=decision, kind=ConferenceEventKind.REFERRED, object_id=referral.pk,
                     params={"criteria": criteria, "basis": v.ConsentBasis.CONSENT, "agency": lead.agency.name})
        _dated(case, ConferenceEventKind.REFERRED, referral.pk, referred)
        _follow_up_done(case, referred)
        for key, (involvement, incidents, risks) in RESEARCH.items():
            Research.objects.create(referral=referral, agency=agencies[key], involvement=involvement,
                                    incidents=incidents, risks=risks, recorded_by=chair.user,
                                    her_views=HER_VIEWS if key == "idva" else "", recorded_at=released)
        record_event(access=decision, kind=ConferenceEventKind.DISCUSSED, object_id=referral.pk,
                     params={"meeting_on": held_at.date().isoformat()})
        _dated(case, ConferenceEventKind.DISCUSSED, referral.pk, held_at)
        for key, text in chance.sample(ACTIONS, 2):
            _past_action(referral, meeting, agencies[key], text, chair, held_at, chance, anchor)
    return [case.pk for case in cases]


def _follow_up_done(case: Case, at: datetime.datetime) -> None:
    """The high level's "refer to the conference" is done, by the system, when she was referred."""
    from concord.protocols.services import satisfy

    started = timezone.now()
    satisfy(case, subject="", kinds=[TaskKind.REFER_TO_CONFERENCE], outcome="Referred to the conference")
    Task.objects.filter(case=case, done_at__gte=started).update(done_at=at)
    CaseEvent.objects.filter(case=case, kind="task_closed", occurred_at__gte=started).update(occurred_at=at)


def _past_action(referral: ConferenceReferral, meeting: Meeting, owner: Agency, text: str, chair: Actor,
                 held_at: datetime.datetime, chance: random.Random, anchor: datetime.date) -> None:
    due = held_at + datetime.timedelta(days=14)
    end = datetime.datetime.combine(anchor - datetime.timedelta(days=1), datetime.time(17, 0), held_at.tzinfo)
    action = ConferenceAction(referral=referral, meeting=meeting, owner_agency=owner, description=text, due_at=due,
                              agreed_by=chair.user, agreed_at=held_at)
    roll = chance.randint(1, 20)
    if due > end or roll == 1:  # the latest meetings' actions are still open; now and then one is forgotten
        action.save()
        task = Task.objects.create(case=referral.case, kind=TaskKind.CONFERENCE_ACTION, owner_agency=owner,
                                   due_at=due, escalate_at=due + services.ESCALATE_AFTER,
                                   remind_at=due - services.REMIND_BEFORE, subject=action.subject,
                                   opened_at=held_at, opened_by_rule=f"conference:{meeting.pk}")
        action.task = task
        action.save(update_fields=["task"])
    else:
        closed = due + datetime.timedelta(days=chance.randint(1, 6)) if roll <= 4 else (
            held_at + datetime.timedelta(days=chance.randint(2, 13)))
        action.status = v.ActionStatus.BLOCKED if roll == 2 else v.ActionStatus.DONE
        action.status_reason = "She moved out of the area to stay with family." if roll == 2 else ""
        action.closed_at, action.closed_by = closed, chair.user
        action.save()
    record_event(access=policy.decide(services.AGENDA, referral.case), kind=ConferenceEventKind.ACTION_AGREED,
                 object_id=action.pk, params={"agency": owner.name, "due": due.date().isoformat()})
    _dated(referral.case, ConferenceEventKind.ACTION_AGREED, action.pk, held_at)


def find_next_meeting() -> Meeting | None:
    return (Meeting.objects.filter(series__area__code=AREA["code"], closed_at__isnull=True)
            .order_by("held_at").first())


def try_line() -> str:
    meeting = find_next_meeting()
    waiting = ConferenceReferral.objects.filter(case__area__code=AREA["code"],
                                                status=v.ConferenceReferralStatus.PENDING).count()
    if meeting is None:
        return ""
    return (f"Conference: as {COORDINATOR}, open Conferences and build the agenda of {meeting.held_at:%d %b} from the "
            f"{waiting} waiting high-risk cases, then release it; as police and idva, add research; as {CHAIR}, "
            f"chair it, agree actions, close it; each agency downloads its own minutes; the figures page shows "
            f"the quarter.")
