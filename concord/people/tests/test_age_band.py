"""A person's age band is derived, never stored: from her date of birth, or from an estimated age
that grows with the time since it was estimated."""

import datetime

import pytest
from django.utils import timezone

from concord.people.models import Person


@pytest.fixture
def today(monkeypatch):
    """today(day) makes `day` the current local date for the rest of the test."""
    return lambda day: monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def person(area, **fields) -> Person:
    made = Person.objects.create(area=area, given_name="Amina", **fields)
    return Person.objects.get(pk=made.pk)


def test_age_band_from_date_of_birth_moves_up_on_her_birthday_not_the_day_before(area, today):
    amina = person(area, date_of_birth=datetime.date(2008, 6, 15))

    today(datetime.date(2026, 6, 14))
    assert amina.age_band == "16–17"
    today(datetime.date(2026, 6, 15))
    assert amina.age_band == "18–24"


def test_age_band_from_date_of_birth_before_sixteen_is_under_16(area, today):
    amina = person(area, date_of_birth=datetime.date(2010, 6, 15))

    today(datetime.date(2026, 6, 14))
    assert amina.age_band == "Under 16"
    today(datetime.date(2026, 6, 15))
    assert amina.age_band == "16–17"


def test_estimated_age_moves_up_a_band_a_year_after_it_was_estimated(area, today):
    today(datetime.date(2026, 3, 1))
    amina = person(area, estimated_age=17)
    assert amina.estimated_age_on == datetime.date(2026, 3, 1)  # recorded when the estimate was made
    assert amina.age_band == "16–17"

    today(datetime.date(2027, 2, 28))
    assert amina.age_band == "16–17"
    today(datetime.date(2027, 3, 1))
    assert amina.age_band == "18–24"


def test_estimated_age_keeps_growing_over_the_years(area, today):
    today(datetime.date(2020, 1, 10))
    amina = person(area, estimated_age=60)

    today(datetime.date(2025, 1, 10))
    assert amina.age_band == "65 and over"


def test_date_of_birth_wins_over_an_estimate(area, today):
    today(datetime.date(2026, 6, 15))
    amina = person(area, date_of_birth=datetime.date(1990, 1, 1), estimated_age=20)

    assert amina.age_band == "35–44"


def test_age_band_is_not_known_without_date_of_birth_or_estimate(area):
    assert person(area).age_band == "Not known"


def test_an_estimate_grows_on_its_anniversary_across_leap_years():
    person = Person(given_name="Amina", estimated_age=30, estimated_age_on=datetime.date(2023, 3, 1))
    assert person.age_on(datetime.date(2027, 2, 28)) == 33  # 1,460 days, yet the fourth anniversary is tomorrow
    assert person.age_on(datetime.date(2027, 3, 1)) == 34
