"""The conference's figures for an area and a period (issue 17, section 5): what the partnership sends
its national body each quarter. Counts only, no case named; every count is computed in the database
(three grouped or conditional aggregates, whatever the number of cases), then suppressed where small
(concord.conferences.suppression) before anything leaves this module.

**What is counted.** A *case discussed* is a referral discussed at a meeting of the area's series held
in the period: one case discussed at two meetings in the period counts twice, because each discussion
is a referral of its own (a repeat is a new referral), and the national body counts discussions, not
women (its repeat rate is the share of discussions that are repeats). Everything about "the cases" is
about those discussions; everything about "her" is about the case's survivor as recorded now.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Greatest, TruncDate
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Area, Sector
from concord.people import vocabularies as people

from . import suppression
from . import vocabularies as v
from .models import AreaConferenceProfile, ConferenceAction, ConferenceReferral

# The national body's references, as the issue gives them: cases discussed a year per 10,000 adult
# women, and the share of cases that are repeats. It gives no others: the area's expectations
# (AreaConferenceProfile.expected) are what the representation figures are read against.
NATIONAL_PER_10000_A_YEAR = 40
NATIONAL_REPEAT_PERCENT = 32

SURVIVOR = "case__survivor__"
NOT_AVAILABLE = "not available"  # no population set, or nothing to compute a share of

# Black, Asian and minoritised: every recorded ethnicity but White. White minority (Gypsy, Roma,
# Traveller) is minoritised, as the national body counts it. "Prefer not to say" and not asked are not
# counted in the group (nor out of it: they stay in the denominator, as the national return does).
MINORITISED_ETHNICITIES = (people.Ethnicity.ASIAN, people.Ethnicity.BLACK, people.Ethnicity.MIXED,
                           people.Ethnicity.WHITE_MINORITY, people.Ethnicity.ARAB, people.Ethnicity.OTHER)
# LGBT+: a recorded sexual orientation other than heterosexual; or trans (gender identity different
# from the sex registered at birth); or non-binary (the gender). "In another way" is not counted: her
# own description may say anything.
LGB_ORIENTATIONS = (people.SexualOrientation.GAY_LESBIAN, people.SexualOrientation.BISEXUAL,
                    people.SexualOrientation.OTHER)


def _age_at_referral():
    """Her age in whole years on the day of the referral (the area's day), in the database: from the
    date of birth; else the estimate, a year older on each anniversary of the day it was made
    (Person.age_on, the same rule); else None."""
    return Case(
        When(**{f"{SURVIVOR}date_of_birth__isnull": False},
             then=F("_ref_y") - F("_dob_y") - Case(When(_ref_md__lt=F("_dob_md"), then=Value(1)), default=Value(0))),
        When(**{f"{SURVIVOR}estimated_age__isnull": False},
             then=F(f"{SURVIVOR}estimated_age") + Greatest(
                 F("_ref_y") - F("_est_y") - Case(When(_ref_md__lt=F("_est_md"), then=Value(1)), default=Value(0)),
                 Value(0))),
        default=None, output_field=IntegerField())


def _with_age(referrals: QuerySet[ConferenceReferral], zone: zoneinfo.ZoneInfo) -> QuerySet[ConferenceReferral]:
    dob, estimated_on = f"{SURVIVOR}date_of_birth", f"{SURVIVOR}estimated_age_on"
    return referrals.annotate(
        _ref_y=ExtractYear("referred_at", tzinfo=zone),
        _ref_md=ExtractMonth("referred_at", tzinfo=zone) * 100 + ExtractDay("referred_at", tzinfo=zone),
        _dob_y=ExtractYear(dob), _dob_md=ExtractMonth(dob) * 100 + ExtractDay(dob),
        _est_y=ExtractYear(estimated_on), _est_md=ExtractMonth(estimated_on) * 100 + ExtractDay(estimated_on),
    ).annotate(_age=_age_at_referral())


# Each group, as a condition on the discussed referral (its survivor, as recorded).
GROUPS: dict[str, Q] = {
    v.Group.MINORITISED: Q(**{f"{SURVIVOR}ethnicity__in": MINORITISED_ETHNICITIES}),
    v.Group.LGBT: (Q(**{f"{SURVIVOR}sexual_orientation__in": LGB_ORIENTATIONS})
                   | Q(**{f"{SURVIVOR}gender_identity": people.GenderIdentity.TRANS})
                   | Q(**{f"{SURVIVOR}gender": people.Gender.NON_BINARY})),
    v.Group.DISABLED: Q(**{f"{SURVIVOR}disability": people.YesNoPreferNot.YES}),
    v.Group.MEN: Q(**{f"{SURVIVOR}gender": people.Gender.MAN}),
    # 16 or 17 on the day she was referred (not on the day of the meeting).
    v.Group.AGED_16_17: Q(_age__in=(16, 17)),
}

# The repeat criterion, read from the criteria list as the database stores it (JSON text on SQLite,
# jsonb on PostgreSQL: both print a list's strings in double quotes, and no other code contains
# "repeat" in quotes).
_REPEAT = Q(_criteria__contains=f'"{v.Criterion.REPEAT}"')


def period_bounds(area: Area, start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end] as the area's days: from the start's midnight to the midnight after the end."""
    zone = zoneinfo.ZoneInfo(area.time_zone)
    return (datetime.datetime.combine(start, datetime.time.min, zone),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone))


def discussed(area: Area, start: datetime.date, end: datetime.date) -> QuerySet[ConferenceReferral]:
    """The referrals discussed at the area's meetings held in [start, end] (the area's days)."""
    since, until = period_bounds(area, start, end)
    return ConferenceReferral.objects.filter(meeting__series__area=area, status=v.ConferenceReferralStatus.DISCUSSED,
                                             meeting__held_at__gte=since, meeting__held_at__lt=until)


def _case_counts(area: Area, start: datetime.date, end: datetime.date) -> dict[str, int]:
    zone = zoneinfo.ZoneInfo(area.time_zone)
    referrals = _with_age(discussed(area, start, end), zone).annotate(_criteria=Cast("criteria", TextField()))
    police = Q(referred_for__sector=Sector.POLICE)
    got = referrals.aggregate(
        discussed=Count("pk"),
        repeat=Count("pk", filter=_REPEAT), first_time=Count("pk", filter=~_REPEAT),
        by_police=Count("pk", filter=police), by_others=Count("pk", filter=~police),
        with_children=Count("pk", filter=Q(children_in_household__gt=0)),
        without_children=Count("pk", filter=Q(children_in_household=0)),
        children_not_known=Count("pk", filter=Q(children_in_household__isnull=True)),
        children=Sum("children_in_household", default=0),
        **{f"group_{group}": Count("pk", filter=condition) for group, condition in GROUPS.items()})
    return {key: int(value or 0) for key, value in got.items()}


def _days_to_meeting(area: Area, start: datetime.date, end: datetime.date) -> dict[int, int]:
    """How many discussed cases waited each number of days from the referral to the meeting (the area's
    calendar days: referred on a Monday, discussed the next Monday is 7): one grouped count."""
    zone = zoneinfo.ZoneInfo(area.time_zone)
    waited = ExpressionWrapper(TruncDate("meeting__held_at", tzinfo=zone) - TruncDate("referred_at", tzinfo=zone),
                               output_field=DurationField())
    rows = (discussed(area, start, end).annotate(_waited=waited).values("_waited")
            .annotate(n=Count("pk")).values_list("_waited", "n").order_by())
    return {waited.days: n for waited, n in rows}


def _action_counts(area: Area, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The area's conference actions due in the period: done by the deadline; blocked by a change in her
    circumstances (not a failure to act); and the rest (done late, not done, or still open)."""
    since, until = period_bounds(area, start, end)
    on_time = Q(status=v.ActionStatus.DONE, closed_at__lte=F("due_at"))
    blocked = Q(status=v.ActionStatus.BLOCKED)
    got = ConferenceAction.objects.filter(meeting__series__area=area, due_at__gte=since, due_at__lt=until).aggregate(
        actions_due=Count("pk"), actions_on_time=Count("pk", filter=on_time),
        actions_blocked=Count("pk", filter=blocked), actions_other=Count("pk", filter=~on_time & ~blocked))
    return {key: int(value) for key, value in got.items()}


def counts(area: Area, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Every count of the period, before suppression: for this module and its tests only, never shown."""
    return _case_counts(area, start, end) | _action_counts(area, start, end)


# --- Quarters ------------------------------------------------------------------------------------------

def quarter(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a calendar quarter (1: January to March … 4: October to December; the
    national body's financial-year quarters are the same months, numbered from April)."""
    first = datetime.date(year, 3 * number - 2, 1)
    after = datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, 3 * number + 1, 1)
    return first, after - datetime.timedelta(days=1)


def last_complete_quarter(today: datetime.date) -> tuple[int, int]:
    """(year, number) of the last quarter that ended before today."""
    current = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if current == 1 else (today.year, current - 1)


# --- The averages, from the histogram of days ---------------------------------------------------------

def median(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as {value: how many}; the mean of the middle two for an even count."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(index: int) -> int:  # the index-th value, from 0
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def mean(histogram: Mapping[int, int]) -> float | None:
    total = sum(histogram.values())
    return sum(value * n for value, n in histogram.items()) / total if total else None


# --- What is published -------------------------------------------------------------------------------

# Published counts that add up to a published count: the secondary rule's equations.
SUMS = (
    suppression.Sum("discussed", ("repeat", "first_time")),
    suppression.Sum("discussed", ("by_police", "by_others")),
    suppression.Sum("discussed", ("with_children", "without_children", "children_not_known")),
    suppression.Sum("actions_due", ("actions_on_time", "actions_blocked", "actions_other")),
)
# Each derived figure, and the counts it is computed from (suppressed when any of them is). The number
# of children is a count of children, not of cases, but it is suppressed with the cases it comes from.
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "per_10000_a_year": ("discussed",),
    "repeat_percent": ("repeat", "discussed"),
    "by_others_percent": ("by_others", "discussed"),
    **{f"group_{group}_percent": (f"group_{group}", "discussed") for group in v.Group.values},
    "children": ("with_children",),
    "with_children_percent": ("with_children", "discussed"),
    "actions_on_time_percent": ("actions_on_time", "actions_other"),
    "days_median": ("discussed",),
    "days_mean": ("discussed",),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | None  # None: suppressed, or nothing to compute it from (no population, no cases)
    suppressed: bool
    unit: str  # "count", "percent", "rate" or "days"
    national: float | None = None
    expected: float | None = None

    @property
    def text(self) -> str:
        """As the page and the quarterly return both print it: one spelling for a suppressed cell."""
        if self.suppressed:
            return suppression.SUPPRESSED
        if self.value is None:
            return NOT_AVAILABLE
        return str(int(self.value)) if self.unit == "count" else f"{self.value:.1f}"


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class Figures:
    area: Area
    start: datetime.date
    end: datetime.date
    threshold: int  # counts from 1 to threshold - 1 are suppressed
    adult_women: int | None
    sections: list[Section] = field(default_factory=list)

    @property
    def any_suppressed(self) -> bool:
        return any(figure.suppressed for section in self.sections for figure in section.figures)

    def get(self, key: str) -> Figure:
        return next(figure for section in self.sections for figure in section.figures if figure.key == key)


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _values(raw: Mapping[str, int], days: Mapping[int, int], adult_women: int | None,
            period_days: int) -> dict[str, float | None]:
    """Every figure, computed from the counts (before suppression)."""
    values: dict[str, float | None] = dict(raw)
    discussed_n = raw["discussed"]
    # A year's rate, so that a quarter is read against the national reference (a rate a year).
    values["per_10000_a_year"] = (round(discussed_n * 10_000 / adult_women * 365 / period_days, 1)
                                  if adult_women else None)
    values["repeat_percent"] = _percent(raw["repeat"], discussed_n)
    values["by_others_percent"] = _percent(raw["by_others"], discussed_n)
    values["with_children_percent"] = _percent(raw["with_children"], discussed_n)
    for group in v.Group.values:
        values[f"group_{group}_percent"] = _percent(raw[f"group_{group}"], discussed_n)
    # On time, of the actions due that could have been done (blocked ones are not a failure to act).
    values["actions_on_time_percent"] = _percent(raw["actions_on_time"],
                                                 raw["actions_on_time"] + raw["actions_other"])
    middle, average = median(days), mean(days)
    values["days_median"] = None if middle is None else round(middle, 1)
    values["days_mean"] = None if average is None else round(average, 1)
    return values


Row = tuple[str, str, str, float | None, float | None]  # key, label, unit, national reference, expectation


def _layout(expected: Mapping[str, float]) -> list[tuple[str, list[Row]]]:
    """The sections and their figures, in the order of the page and the return."""
    groups: list[Row] = []
    for group in v.Group:
        groups += [(f"group_{group.value}", str(group.label), "count", None, None),
                   (f"group_{group.value}_percent", str(_("%(group)s, share of cases") % {"group": group.label}),
                    "percent", None, expected.get(group.value))]
    return [
        (str(_("Cases discussed")), [
            ("discussed", str(_("Cases discussed")), "count", None, None),
            ("per_10000_a_year", str(_("Cases a year per 10,000 adult women")), "rate", NATIONAL_PER_10000_A_YEAR,
             None),
            ("repeat", str(_("Repeat cases")), "count", None, None),
            ("first_time", str(_("Cases not repeats")), "count", None, None),
            ("repeat_percent", str(_("Repeat rate")), "percent", NATIONAL_REPEAT_PERCENT, None),
        ]),
        (str(_("Who referred")), [
            ("by_police", str(_("Referred by the police")), "count", None, None),
            ("by_others", str(_("Referred by other agencies")), "count", None, None),
            ("by_others_percent", str(_("Share referred by agencies other than the police")), "percent", None,
             None),
        ]),
        (str(_("Representation")), groups),
        (str(_("Children in the households")), [
            ("with_children", str(_("Cases with children in the household")), "count", None, None),
            ("without_children", str(_("Cases with no children in the household")), "count", None, None),
            ("children_not_known", str(_("Cases where it is not known")), "count", None, None),
            ("with_children_percent", str(_("Share of cases with children")), "percent", None, None),
            ("children", str(_("Children in those households")), "count", None, None),
        ]),
        (str(_("Actions")), [
            ("actions_due", str(_("Actions due in the period")), "count", None, None),
            ("actions_on_time", str(_("Done by the deadline")), "count", None, None),
            ("actions_blocked", str(_("Blocked by a change in her circumstances")), "count", None, None),
            ("actions_other", str(_("Done late, not done, or still open")), "count", None, None),
            ("actions_on_time_percent", str(_("Done on time, of those not blocked")), "percent", None, None),
        ]),
        (str(_("Days from referral to meeting")), [
            ("days_median", str(_("Median")), "days", None, None),
            ("days_mean", str(_("Mean")), "days", None, None),
        ]),
    ]


def figures(area: Area, start: datetime.date, end: datetime.date) -> Figures:
    """The area's conference figures over [start, end] (the area's days), suppressed as the area's
    profile says (counts below its threshold, default 5, and what would give them away)."""
    profile = AreaConferenceProfile.objects.filter(area=area).first() or AreaConferenceProfile(area=area)
    raw = counts(area, start, end)
    hidden = suppression.suppressed_cells(raw, profile.suppress_below, SUMS)
    hidden |= suppression.suppressed_derived(DERIVED_FROM, hidden)
    values = _values(raw, _days_to_meeting(area, start, end), profile.adult_women, (end - start).days + 1)
    expected = {key: float(value) for key, value in (profile.expected or {}).items()}
    sections = [Section(title, [Figure(key=key, label=label, unit=unit, national=national, expected=expectation,
                                       suppressed=key in hidden, value=None if key in hidden else values[key])
                                for key, label, unit, national, expectation in rows])
                for title, rows in _layout(expected)]
    return Figures(area=area, start=start, end=end, threshold=profile.suppress_below,
                   adult_women=profile.adult_women, sections=sections)
