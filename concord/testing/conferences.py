"""Building a conference for tests: a high-risk case referred on her consent, and a meeting of the
area's series with the advocacy service coordinating, the police and probation invited, its agenda
built and released. Every step goes through the services, as the pages and the API do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from concord.accounts.models import Agency, Area, Role, Sector
from concord.cases.models import Case
from concord.conferences import services
from concord.conferences.models import ConferenceReferral, ConferenceSeries, Meeting
from concord.conferences.services import ConferenceReferralDetails, MeetingDetails
from concord.consent.services import consent_record
from concord.policy import Actor
from concord.risk.models import CaseRisk

from .factories import make_actor, make_agency, make_area, make_case

HIGH = [{"source": "instrument", "rule": "dash", "instrument": "dash", "version": 1, "level": "high", "score": 15,
         "highest": 23}]
REPEAT = [{"source": "repeat", "rule": "repeat", "level": "high", "definition": "safelives_2023",
           "definition_version": 2}]


def risky_case(actor: Actor, reasons=HIGH, level: str = "high", consent: bool = True, **names) -> Case:
    """A case of the actor's agency at this risk level (its reasons as given), with her consent to be
    discussed at the conference unless `consent` is False."""
    case = make_case(actor, **names)
    CaseRisk.objects.update_or_create(case=case, defaults={"level": level, "reasons": list(reasons),
                                                           "repeat_definition": "safelives_2023",
                                                           "repeat_definition_version": 2})
    if consent:
        consent_record(actor=actor, case=case, scope="conference", decision="given", method="verbal")
    return case


def refer(actor: Actor, case: Case, **details) -> ConferenceReferral:
    return services.conference_refer(actor=actor, case=case, details=ConferenceReferralDetails(
        **({"she_knows": "yes"} | details)))


@dataclass
class Conference:
    area: Area
    advocate: Actor  # the specialist advocacy service: the cases' lead
    coordinator: Actor  # of the community safety team, the coordinating agency (not on the cases)
    police: Actor  # invited; chairs
    probation: Actor  # invited, works with the person causing harm
    uninvited: Actor  # children's services: in the area, not invited
    series: ConferenceSeries
    meeting: Meeting
    referrals: list[ConferenceReferral]

    @property
    def cases(self) -> list[Case]:
        return [r.case for r in self.referrals]

    def refreshed(self) -> Conference:
        self.meeting.refresh_from_db()
        for referral in self.referrals:
            referral.refresh_from_db()
        return self


def conference(*, cases: int = 2, release: bool = True, days_ahead: int = 7, capacity: int = 16,
               build: bool = True) -> Conference:
    area = make_area()
    advocacy = make_agency(area, Sector.SPECIALIST_ADVOCACY, "Northshire IDVA Service")
    advocate = make_actor(advocacy)
    team = make_agency(area, Sector.HOUSING, "Community Safety Team")
    coordinator = make_actor(team, Role.CONFERENCE_COORDINATOR)
    police = make_actor(make_agency(area, Sector.POLICE, "Northshire Police"))
    probation = make_actor(make_agency(area, Sector.PROBATION, "Probation Service"))
    uninvited = make_actor(make_agency(area, Sector.CHILDRENS_SERVICES, "Children's Services"))
    series = ConferenceSeries.objects.create(area=area, name="Northshire MARAC", capacity=capacity,
                                             coordinating_agency=team)
    names = ["Amina", "Beth", "Carla", "Dana", "Esther", "Fay", "Gita", "Hana"]
    referrals = [refer(advocate, risky_case(advocate, given_name=names[i % len(names)], family_name=f"Case{i}"),
                       children_in_household=i % 3)
                 for i in range(cases)]
    meeting = services.meeting_schedule(actor=coordinator, series=series, details=MeetingDetails(
        held_at=timezone.now() + datetime.timedelta(days=days_ahead), chair=police.user,
        invited=(advocacy, police.agency, probation.agency)))
    if build:
        services.agenda_build(actor=coordinator, meeting=meeting)
    if build and release:
        services.agenda_release(actor=coordinator, meeting=meeting)
    setup = Conference(area=area, advocate=advocate, coordinator=coordinator, police=police, probation=probation,
                       uninvited=uninvited, series=series, meeting=meeting, referrals=referrals)
    return setup.refreshed()


def invited_agencies(setup: Conference) -> list[Agency]:
    return list(setup.meeting.invited.order_by("name"))


def all_present(setup: Conference) -> None:
    """The chair records every invited agency as present (a meeting closes only with everyone's attendance)."""
    services.attendance_record(actor=setup.police, meeting=setup.meeting, lines=[
        services.AttendanceLine(agency, "present") for agency in invited_agencies(setup)])
# What each agency brought and took away at a held meeting (held_meeting): every text distinct, so a
# document can be searched for whose words it holds.
POLICE_RESEARCH = "Three call-outs since June"
PROBATION_RESEARCH = "On licence until March"
ADVOCACY_RESEARCH = "Weekly calls with her IDVA"
HER_VIEWS = "She wants him kept away from the school gate"
SUMMARY = "Escalating; strangulation reported. Agreed a joint plan."
POLICE_ACTION = "Flag her address for an urgent response"
PROBATION_ACTION = "Check his licence conditions"
ADVOCACY_ACTION = "Safety plan review with her"
PHONE = "07700 900777"
REFUGE = "4 Hidden Row, Northam"


def held_meeting() -> Conference:
    """A conference whose first case was discussed, researched by the police, probation and the advocacy
    service (her views with the advocacy's), with an action for each of them, attendance recorded and
    the meeting closed. Her phone and refuge are on the case: no minutes may carry them."""
    from concord.cases import people_services
    from concord.cases import services as case_services
    from concord.people.details import ContactDetails

    setup = conference()
    referral = setup.referrals[0]
    case = referral.case
    people_services.contact_point_add(actor=setup.advocate, case=case, person=case.survivor,
                                      details=ContactDetails(kind="mobile", value=PHONE, safe_to_use=True))
    case_services.location_record(actor=setup.advocate, case=case, kind="refuge", address=REFUGE)
    for actor, details in ((setup.police, services.ResearchDetails(involvement=POLICE_RESEARCH)),
                           (setup.probation, services.ResearchDetails(involvement=PROBATION_RESEARCH)),
                           (setup.advocate, services.ResearchDetails(involvement=ADVOCACY_RESEARCH,
                                                                     her_views=HER_VIEWS))):
        services.research_record(actor=actor, referral=referral, details=details)
    services.discussion_record(actor=setup.police, referral=referral, summary=SUMMARY)
    due = timezone.now() + datetime.timedelta(days=14)
    for owner, description in ((setup.police, POLICE_ACTION), (setup.probation, PROBATION_ACTION),
                               (setup.advocate, ADVOCACY_ACTION)):
        services.action_agree(actor=setup.police, referral=referral, details=services.ActionDetails(
            owner_agency=owner.agency, description=description, due_at=due))
    services.attendance_record(actor=setup.police, meeting=setup.meeting, lines=[
        services.AttendanceLine(setup.police.agency, "present", "DI Shah"),
        services.AttendanceLine(setup.advocate.agency, "present", "J. Okafor"),
        services.AttendanceLine(setup.probation.agency, "apologies")])
    services.meeting_close(actor=setup.police, meeting=setup.meeting)
    return setup.refreshed()
