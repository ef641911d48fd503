"""Deadlines on an area's working calendar: across weekends, public holidays (England's and Scotland's
differ), a start on a day that is not a working day, and the clocks changing."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from concord.protocols.calendar import DAY_STARTS, UnknownCalendar, WorkingCalendar, calendar_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
ENGLAND = WorkingCalendar("GB-ENG")
SCOTLAND = WorkingCalendar("GB-SCT")


def at(year, month, day, hour=16, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(("start", "days", "due"), [
    (at(2026, 12, 1), 2, at(2026, 12, 3)),  # Tuesday → Thursday
    (at(2026, 11, 27), 2, at(2026, 12, 1)),  # Friday → Tuesday, over the weekend
    (at(2026, 11, 27), 0, at(2026, 11, 27)),  # no working days: at once
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    (at(2026, 4, 2), 1, at(2026, 4, 7)),
    (at(2026, 4, 2), 2, at(2026, 4, 8)),
    # Christmas 2026: Friday 25th, Boxing Day on the Saturday is observed on Monday 28th.
    (at(2026, 12, 24), 1, at(2026, 12, 29)),
    # Christmas 2027: both days fall at the weekend, observed on Monday 27th and Tuesday 28th.
    (at(2027, 12, 24), 1, at(2027, 12, 29)),
    # Over a year's end: New Year's Day 2027 is a Friday.
    (at(2026, 12, 31), 1, at(2027, 1, 4)),
])
def test_working_days_skip_weekends_and_public_holidays(start, days, due):
    assert ENGLAND.add_working_days(start, days) == due
    assert ENGLAND.due_after(start, working_days=days) == due


@pytest.mark.parametrize(("start", "days", "due"), [
    (at(2026, 11, 28, 10), 1, at(2026, 12, 1, 9)),  # Saturday: counts from Monday 09:00
    (at(2026, 11, 29, 23), 0, at(2026, 11, 30, 9)),  # Sunday night, nothing to add: Monday morning
    (at(2026, 4, 3, 11), 1, at(2026, 4, 8, 9)),  # on Good Friday: from Tuesday 09:00, due Wednesday
])
def test_a_start_on_a_day_off_counts_from_the_next_working_morning(start, days, due):
    assert ENGLAND.add_working_days(start, days) == due
    assert due.time() == DAY_STARTS


def test_scotland_keeps_its_own_bank_holidays():
    new_year = at(2026, 12, 31)  # Thursday; 1 January is off in both, 2 January (observed on the 4th) in Scotland
    assert ENGLAND.add_working_days(new_year, 1) == at(2027, 1, 4)
    assert SCOTLAND.add_working_days(new_year, 1) == at(2027, 1, 5)
    assert SCOTLAND.is_holiday(datetime.date(2027, 1, 4))  # 2 January (a Saturday) observed on the 4th
    assert not ENGLAND.is_holiday(datetime.date(2027, 1, 4))
    st_andrew = at(2026, 11, 27)  # Friday; St Andrew's Day, Monday 30 November, is off in Scotland
    assert ENGLAND.add_working_days(st_andrew, 1) == at(2026, 11, 30)
    assert SCOTLAND.add_working_days(st_andrew, 1) == at(2026, 12, 1)


def test_hours_are_elapsed_time_across_weekends_and_the_clocks_changing():
    friday = at(2026, 11, 27, 15)
    assert ENGLAND.due_after(friday, hours=24) == at(2026, 11, 28, 15)  # a 24-hour protocol runs at weekends
    before_spring = at(2026, 3, 28, 12)  # the clocks go forward at 01:00 on 29 March 2026
    due = ENGLAND.due_after(before_spring, hours=24)
    # Compared in UTC: Python subtracts two datetimes of one zone by their wall clocks.
    assert due.astimezone(datetime.UTC) - before_spring.astimezone(datetime.UTC) == datetime.timedelta(hours=24)
    assert due.astimezone(LONDON).hour == 13
    # Working days keep the local time across the change.
    assert ENGLAND.add_working_days(at(2026, 3, 27, 10), 1).astimezone(LONDON) == at(2026, 3, 30, 10)


def test_a_deadline_is_in_hours_or_in_working_days_and_counts_forwards():
    with pytest.raises(ValueError):
        ENGLAND.due_after(at(2026, 12, 1))
    with pytest.raises(ValueError):
        ENGLAND.due_after(at(2026, 12, 1), hours=24, working_days=1)
    with pytest.raises(ValueError):
        ENGLAND.add_working_days(at(2026, 12, 1), -1)


def test_an_unknown_calendar_is_refused():
    with pytest.raises(UnknownCalendar):
        WorkingCalendar("XX")
    with pytest.raises(UnknownCalendar):
        WorkingCalendar("GB-XYZ")


@pytest.mark.django_db
def test_an_area_names_its_calendar_and_an_unknown_one_is_a_field_error(area):
    assert area.holiday_calendar == "GB-ENG"
    assert calendar_for(area).add_working_days(at(2026, 12, 24), 1) == at(2026, 12, 29)
    area.holiday_calendar = "GB-SCT"
    area.full_clean()
    area.holiday_calendar = "Narnia"
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert "holiday_calendar" in refused.value.message_dict
