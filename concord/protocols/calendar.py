"""Deadlines on an area's working calendar: "within 24 hours" is elapsed time; "within 2 working days"
skips weekends and the area's public holidays (issue 16).

Public holidays come from the maintained `holidays` package, by country and subdivision ("GB-ENG"
for England, "GB-SCT" for Scotland: their bank holidays differ), never from a list kept by hand. An
area names its calendar (`Area.holiday_calendar`); times are in the area's own time zone.

Working days, as the field counts them:
- a working day is Monday to Friday and not a public holiday of the calendar;
- N working days after a moment is the same local time N working days later (a referral sent at
  16:00 on a Friday, due in 2 working days, is due at 16:00 on the Tuesday);
- a moment on a day that is not a working day counts from the start of the next working day
  (`DAY_STARTS`, 09:00 local): sent on Saturday, due in 1 working day, is due at 09:00 on Tuesday.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass

import holidays

DAY_STARTS = datetime.time(9, 0)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday
DEFAULT_CALENDAR = "GB-ENG"


class UnknownCalendar(ValueError):
    pass


def _split(code: str) -> tuple[str, str | None]:
    country, _, subdivision = code.partition("-")
    return country.upper(), (subdivision.upper() or None)


def check_calendar(code: str) -> None:
    """Refuse a calendar the holidays package does not know (country, or its subdivision)."""
    country, subdivision = _split(code)
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise UnknownCalendar(f"{code!r}: no public holidays are known for country {country!r}")
    if subdivision is not None and subdivision not in supported[country]:
        raise UnknownCalendar(f"{code!r}: {country} has no subdivision {subdivision!r}")


@functools.cache
def _holidays(code: str, year: int) -> frozenset[datetime.date]:
    country, subdivision = _split(code)
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=[year]))


@dataclass(frozen=True)
class WorkingCalendar:
    code: str = DEFAULT_CALENDAR
    time_zone: str = "Europe/London"

    def __post_init__(self) -> None:
        check_calendar(self.code)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_holiday(self, day: datetime.date) -> bool:
        return day in _holidays(self.code, day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() not in WEEKEND and not self.is_holiday(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day after `day`."""
        day += datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.datetime, days: int) -> datetime.datetime:
        """`days` working days after `start` (an aware datetime), at the same local time; see the module."""
        if days < 0:
            raise ValueError("a deadline counts forwards")
        local = start.astimezone(self.zone)
        day, at = local.date(), local.time()
        if not self.is_working_day(day):
            day, at = self.next_working_day(day), DAY_STARTS
        for _ in range(days):
            day = self.next_working_day(day)
        return datetime.datetime.combine(day, at, tzinfo=self.zone)

    def due_after(self, start: datetime.datetime, *, hours: int | None = None,
                  working_days: int | None = None) -> datetime.datetime:
        """A protocol's deadline: elapsed hours, or working days on this calendar (exactly one)."""
        if (hours is None) == (working_days is None):
            raise ValueError("give a deadline in hours or in working days, not both")
        if hours is not None:
            # In UTC: arithmetic on a datetime in a zone with summer time is wall-clock arithmetic in
            # Python, so "24 hours" across the clocks changing would be 23 or 25.
            return (start.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(self.zone)
        assert working_days is not None
        return self.add_working_days(start, working_days)


def calendar_for(area) -> WorkingCalendar:
    """The working calendar of an area: its public holidays and its time zone."""
    return WorkingCalendar(code=area.holiday_calendar, time_zone=area.time_zone)
