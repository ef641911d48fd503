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


def conference(*, cases: int = 2, release: bool = True, days_ahead: int = 7, capacity: int = 16) -> Conference:
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
    services.agenda_build(actor=coordinator, meeting=meeting)
    if release:
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
