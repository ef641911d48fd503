"""The conference figures on a known quarter (figures_data.py): every count and figure, the edges of the
period in the area's time, and what is suppressed at the area's threshold."""

import datetime

import pytest

from concord.conferences import figures
from concord.conferences.models import AreaConferenceProfile

from .figures_data import Builder, at, quarter_of_conferences

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

EXPECTED_COUNTS = {
    "discussed": 10, "repeat": 4, "first_time": 6, "by_police": 6, "by_others": 4,
    "group_minoritised": 4,  # black, asian, white minority, arab (not white, not "prefer not", not blank)
    "group_lgbt": 4,  # lesbian, trans, and the non-binary woman discussed twice
    "group_disabled": 1, "group_men": 1,
    "group_aged_16_17": 4,  # two by date of birth, two by estimate
    "with_children": 3, "without_children": 5, "children_not_known": 2, "children": 6,
    "actions_due": 6, "actions_on_time": 2, "actions_blocked": 1, "actions_other": 3,
}


def test_every_count_of_the_quarter():
    area = quarter_of_conferences()
    assert figures.counts(area, *Q1) == EXPECTED_COUNTS


def test_every_figure_of_the_quarter_when_nothing_is_suppressed():
    area = quarter_of_conferences(suppress_below=1, expected={"minoritised": 12.5, "men": 5})
    result = figures.figures(area, *Q1)
    values = {figure.key: figure.value for section in result.sections for figure in section.figures}
    assert values == EXPECTED_COUNTS | {
        # 10 cases in 90 days among 50,000 women: 2 per 10,000, or 8.1 a year.
        "per_10000_a_year": 8.1,
        "repeat_percent": 40.0, "by_others_percent": 40.0, "with_children_percent": 30.0,
        "group_minoritised_percent": 40.0, "group_lgbt_percent": 40.0, "group_disabled_percent": 10.0,
        "group_men_percent": 10.0, "group_aged_16_17_percent": 40.0,
        "actions_on_time_percent": 40.0,  # 2 of the 5 not blocked
        # Waits of 1, 5, 6, 7, 9, 10, 10, 11, 12 and 14 days.
        "days_median": 9.5, "days_mean": 8.5,
    }
    assert not result.any_suppressed
    assert result.get("per_10000_a_year").national == 40 and result.get("repeat_percent").national == 32
    assert result.get("group_minoritised_percent").expected == 12.5
    assert result.get("group_men_percent").expected == 5.0 and result.get("group_lgbt_percent").expected is None


def test_the_figures_take_four_queries_whatever_the_number_of_cases(django_assert_num_queries):
    area = quarter_of_conferences()
    with django_assert_num_queries(4):  # the profile, the cases, the waits, the actions
        figures.figures(area, *Q1)


def test_the_period_is_the_areas_days():
    area = quarter_of_conferences(suppress_below=1)
    # The quarter's first minute and its last (in summer time) are in; a minute either side is not.
    assert figures.counts(area, datetime.date(2026, 1, 1), datetime.date(2026, 1, 1))["discussed"] == 1
    assert figures.counts(area, datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))["discussed"] == 2
    assert figures.counts(area, datetime.date(2026, 4, 1), datetime.date(2026, 4, 1))["discussed"] == 1
    assert figures.counts(area, datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))["discussed"] == 1
    # An action due at the last minute of the quarter is in it; one due at the next minute is not.
    assert figures.counts(area, datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))["actions_due"] == 1
    assert figures.counts(area, datetime.date(2026, 4, 1), datetime.date(2026, 4, 1))["actions_due"] == 1


def test_a_case_discussed_twice_counts_twice():
    b = Builder()
    first = b.discussed(b.meeting(at("2026-01-14")), at("2026-01-02"))
    b.discussed(b.meeting(at("2026-02-11")), at("2026-01-20"), case=first.case, repeat=True)
    assert figures.counts(b.area, *Q1)["discussed"] == 2


def test_an_area_without_a_profile_suppresses_below_five_and_has_no_rate():
    b = Builder()
    meeting = b.meeting(at("2026-02-10"))
    for _i in range(5):
        b.discussed(meeting, at("2026-02-01"))
    result = figures.figures(b.area, *Q1)
    assert result.threshold == 5 and result.get("discussed").value == 5
    assert result.get("per_10000_a_year").value is None and not result.get("per_10000_a_year").suppressed
    assert result.get("per_10000_a_year").text == figures.NOT_AVAILABLE


def test_a_count_one_below_the_threshold_is_suppressed_and_one_at_it_shown():
    area = quarter_of_conferences(suppress_below=4)
    assert figures.figures(area, *Q1).get("repeat").value == 4
    AreaConferenceProfile.objects.filter(area=area).update(suppress_below=5)
    result = figures.figures(area, *Q1)
    assert result.get("repeat").suppressed and result.get("repeat").value is None
    assert result.get("repeat").text == "suppressed"


def test_at_the_threshold_of_five_the_small_cells_and_what_gives_them_away_are_suppressed():
    area = quarter_of_conferences(suppress_below=5)
    result = figures.figures(area, *Q1)
    hidden = {figure.key for section in result.sections for figure in section.figures if figure.suppressed}
    assert hidden == {
        # Primary: 1 to 4.
        "repeat", "by_others", "group_minoritised", "group_lgbt", "group_disabled", "group_men",
        "group_aged_16_17", "with_children", "children_not_known", "actions_on_time", "actions_blocked",
        "actions_other",
        # Secondary: 6 cases not repeats would give the 4 repeats away (10 - 6); 6 by the police the 4 by
        # others. With children and not known are two suppressed already: the 5 without are shown.
        "first_time", "by_police",
        # Derived: every share of a suppressed count, and the children in the households with it.
        "repeat_percent", "by_others_percent", "group_minoritised_percent", "group_lgbt_percent",
        "group_disabled_percent", "group_men_percent", "group_aged_16_17_percent", "with_children_percent",
        "children", "actions_on_time_percent",
    }
    # What is shown is the true value; no suppressed figure carries one.
    assert result.get("discussed").value == 10 and result.get("without_children").value == 5
    assert result.get("actions_due").value == 6 and result.get("days_median").value == 9.5
    assert result.get("per_10000_a_year").value == 8.1
    assert all(figure.value is None for section in result.sections for figure in section.figures
               if figure.suppressed)


def test_the_averages_of_too_few_cases_are_suppressed():
    b = Builder()
    meeting = b.meeting(at("2026-02-10"))
    b.discussed(meeting, at("2026-02-01"))
    result = figures.figures(b.area, *Q1)
    assert result.get("discussed").suppressed
    assert result.get("days_median").suppressed and result.get("days_mean").suppressed
    assert result.get("per_10000_a_year").suppressed  # from the suppressed count, population or not


def test_median_of_a_histogram():
    assert figures.median({}) is None
    assert figures.median({3: 1}) == 3
    assert figures.median({1: 1, 5: 1, 9: 2}) == 7
    assert figures.median({2: 3, 10: 1}) == 2
    assert figures.mean({2: 3, 10: 1}) == 4


def test_quarters():
    assert figures.quarter(2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert figures.quarter(2025, 4) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert figures.last_complete_quarter(datetime.date(2026, 1, 1)) == (2025, 4)
    assert figures.last_complete_quarter(datetime.date(2026, 6, 30)) == (2026, 1)
    assert figures.last_complete_quarter(datetime.date(2026, 7, 1)) == (2026, 2)
