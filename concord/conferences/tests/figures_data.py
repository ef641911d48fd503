"""A known quarter of conferences for the figures' tests: January to March 2026 in an area on London
time (British Summer Time from 29 March), built as rows directly (the figures read rows, whichever
service wrote them). `quarter_of_conferences()` returns the area; the expected values are in
test_figures.py."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

from concord.accounts.models import Area, Sector
from concord.cases.models import Case
from concord.conferences import vocabularies as v
from concord.conferences.models import (
    AreaConferenceProfile,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
)
from concord.people.models import Person
from concord.testing.factories import make_agency, make_area, make_user

LONDON = zoneinfo.ZoneInfo("Europe/London")
_numbers = itertools.count(1)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    """A moment on London's clock."""
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


class Builder:
    def __init__(self, area: Area | None = None):
        self.area = area or make_area()
        self.police = make_agency(self.area, Sector.POLICE)
        self.advocacy = make_agency(self.area, Sector.SPECIALIST_ADVOCACY)
        self.housing = make_agency(self.area, Sector.HOUSING)
        self.user = make_user()
        self.series = ConferenceSeries.objects.create(area=self.area, name="MARAC")

    def meeting(self, held_at: datetime.datetime) -> Meeting:
        return Meeting.objects.create(series=self.series, held_at=held_at)

    def person(self, **her) -> Person:
        return Person.objects.create(area=self.area, given_name="Survivor", family_name=f"N{next(_numbers)}",
                                     date_of_birth=her.pop("date_of_birth", datetime.date(1985, 5, 5)),
                                     **({"gender": "woman"} | her))

    def case(self, person: Person) -> Case:
        return Case.objects.create(area=self.area, reference=f"{self.area.code.upper()}-{next(_numbers)}",
                                   survivor=person, lead_agency=self.advocacy, created_by=self.user)

    def discussed(self, meeting: Meeting, referred: datetime.datetime, *, case: Case | None = None,
                  agency=None, repeat: bool = False, children: int | None = 0,
                  status: str = v.ConferenceReferralStatus.DISCUSSED, **her) -> ConferenceReferral:
        criteria = [v.Criterion.VISIBLE_HIGH, v.Criterion.REPEAT] if repeat else [v.Criterion.VISIBLE_HIGH]
        return ConferenceReferral.objects.create(
            case=case or self.case(self.person(**her)), referred_by=self.user,
            referred_for=agency or self.police, referred_at=referred, criteria=criteria,
            consent_basis=v.ConsentBasis.CONSENT, she_knows=v.SheKnows.YES, status=status, meeting=meeting,
            children_in_household=children,
            discussed_at=meeting.held_at if status == v.ConferenceReferralStatus.DISCUSSED else None)

    def action(self, referral: ConferenceReferral, due: datetime.datetime, status: str = v.ActionStatus.OPEN,
               closed: datetime.datetime | None = None) -> ConferenceAction:
        assert referral.meeting is not None
        return ConferenceAction.objects.create(
            referral=referral, meeting=referral.meeting, owner_agency=self.advocacy, description="Action",
            due_at=due, status=status, closed_at=closed, agreed_by=self.user)


def quarter_of_conferences(*, suppress_below: int = 5, adult_women: int | None = 50_000,
                           expected: dict | None = None) -> Area:
    """Ten discussions in the quarter (one woman discussed twice), and what must not be counted: a case
    listed and not discussed, meetings just outside the quarter, another area's meeting."""
    b = Builder(make_area())
    AreaConferenceProfile.objects.create(area=b.area, adult_women=adult_women, suppress_below=suppress_below,
                                         expected=expected or {})
    february = b.meeting(at("2026-02-10"))
    last_minute = b.meeting(at("2026-03-31", "23:30"))  # BST: 22:30 UTC, still the 31st in London
    first_minute = b.meeting(at("2026-01-01", "00:00"))
    # 1–6 at February's meeting, 7–8 at the quarter's last minute, 9 at its first, 10 her second time.
    one = b.discussed(february, at("2026-02-03"), repeat=True, children=2, ethnicity="black")
    b.discussed(february, at("2026-01-27"), sexual_orientation="gay_lesbian", ethnicity="white")
    b.discussed(february, at("2026-02-09"), agency=b.advocacy, repeat=True, children=None, ethnicity="asian",
                disability="yes")
    b.discussed(february, at("2026-01-31"), agency=b.housing, children=3, ethnicity="white_minority", gender="man")
    b.discussed(february, at("2026-02-01"), agency=b.advocacy, date_of_birth=datetime.date(2009, 6, 1),
                gender_identity="trans", ethnicity="white")  # 16
    b.discussed(february, at("2026-01-31", "23:30"), agency=b.advocacy, date_of_birth=datetime.date(2008, 2, 1),
                ethnicity="prefer_not_to_say")  # 17: 18 the next day
    b.discussed(last_minute, at("2026-03-20"), children=None, date_of_birth=None, estimated_age=17,
                estimated_age_on=datetime.date(2025, 6, 1))  # still 17: the estimate's anniversary is in June
    b.discussed(last_minute, at("2026-03-25"), repeat=True, children=1, ethnicity="arab", date_of_birth=None,
                estimated_age=15, estimated_age_on=datetime.date(2024, 1, 1))  # 15 + 2 years
    ninth = b.discussed(first_minute, at("2025-12-20"), gender="non_binary", ethnicity="white")
    b.discussed(february, at("2026-02-05"), case=ninth.case, repeat=True)

    # Not counted: listed but not discussed; withdrawn; meetings a minute outside; another area's.
    b.discussed(february, at("2026-02-01"), status=v.ConferenceReferralStatus.LISTED)
    b.discussed(february, at("2026-02-01"), status=v.ConferenceReferralStatus.WITHDRAWN)
    b.discussed(b.meeting(at("2026-04-01", "00:00")), at("2026-03-30"))
    b.discussed(b.meeting(at("2025-12-31", "23:59")), at("2025-12-01"))
    elsewhere = Builder()
    elsewhere.discussed(elsewhere.meeting(at("2026-02-10")), at("2026-02-01"))

    # Actions due in the quarter: two on time (one closed at the very deadline), one late, one blocked,
    # one not done, one still open; and two just outside it.
    b.action(one, at("2026-02-20"), v.ActionStatus.DONE, at("2026-02-19"))
    b.action(one, at("2026-02-20"), v.ActionStatus.DONE, at("2026-02-21"))
    b.action(one, at("2026-03-01"), v.ActionStatus.BLOCKED, at("2026-02-25"))
    b.action(one, at("2026-03-10"), v.ActionStatus.NOT_DONE, at("2026-03-11"))
    b.action(one, at("2026-03-15"))
    b.action(one, at("2026-03-31", "23:59"), v.ActionStatus.DONE, at("2026-03-31", "23:59"))
    b.action(one, at("2026-04-01", "00:00"), v.ActionStatus.DONE, at("2026-03-01"))
    b.action(one, at("2025-12-31", "23:59"), v.ActionStatus.DONE, at("2025-12-01"))
    return b.area
