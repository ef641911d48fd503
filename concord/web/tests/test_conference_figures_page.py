"""The conference figures page: for the area's conference coordinators and its partnership lead only;
a quarter (the last complete one by default) or two dates, a bad period refused with 422; suppressed
cells marked, never a small count; the CSV return the same figures as the page."""

import csv
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import Role, Sector
from concord.conferences.figures import last_complete_quarter, quarter
from concord.conferences.tests.figures_data import quarter_of_conferences
from concord.testing.factories import login, make_actor, make_agency

pytestmark = pytest.mark.django_db

URL = reverse("web:conference_figures")
Q1 = {"quarter": "2026-Q1"}


@pytest.fixture
def area():
    return quarter_of_conferences(suppress_below=5, expected={"minoritised": 12.5})


def member(area, role):
    return make_actor(make_agency(area, Sector.HOUSING), role)


def shown(page: str) -> dict[str, str]:
    """Each figure's value as the page prints it, by its key."""
    return dict(re.findall(r'<tr data-figure="(\w+)">.*?data-value>([^<]*)<', page, flags=re.DOTALL))


def returned(response) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {row["figure"]: row["value"] for row in rows}


@pytest.mark.parametrize("role", [Role.CONFERENCE_COORDINATOR, Role.PARTNERSHIP_LEAD])
def test_the_coordinator_and_the_partnership_lead_read_the_quarters_figures(client, area, role):
    login(client, member(area, role))
    response = client.get(URL, Q1)
    assert response.status_code == 200
    figures = shown(response.content.decode())
    assert figures["discussed"] == "10" and figures["days_median"] == "9.5" and figures["per_10000_a_year"] == "8.1"
    assert figures["repeat"] == "suppressed" and figures["repeat_percent"] == "suppressed"
    assert "1 Jan 2026" in response.content.decode() and "31 Mar 2026" in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR,
                                  Role.SURVIVOR_PANEL_MEMBER])
def test_anyone_else_is_refused(client, area, role):
    login(client, member(area, role))
    for query in (Q1, Q1 | {"format": "csv"}):
        response = client.get(URL, query)
        assert response.status_code == 403
        assert "conference coordinators" in response.content.decode()


def test_a_coordinator_not_yet_approved_is_refused(client, area):
    actor = make_actor(make_agency(area, Sector.HOUSING), Role.CONFERENCE_COORDINATOR, approved=False)
    login(client, actor)
    response = client.get(URL, Q1)  # a membership not in force is no actor: choose an agency first
    assert response.status_code == 302 and response["Location"] == reverse("web:choose_agency")


def test_a_coordinator_reads_her_own_areas_figures_only(client, area):
    other = quarter_of_conferences(suppress_below=20)
    login(client, member(other, Role.CONFERENCE_COORDINATOR))
    figures = shown(client.get(URL, Q1).content.decode())
    assert figures["discussed"] == "suppressed"  # its own ten, under its threshold of 20


@pytest.mark.parametrize("query, message", [
    ({"start": "2026-03-31", "end": "2026-01-01"}, "The end of the period is before its start."),
    ({"start": "2026-01-01"}, "Give both the start and the end"),
    ({"start": "2026-02-30", "end": "2026-03-31"}, "Enter a valid date."),
    ({"quarter": "2026-Q5"}, "Choose a quarter"),
])
def test_a_bad_period_is_refused_with_the_reason(client, area, query, message):
    login(client, member(area, Role.CONFERENCE_COORDINATOR))
    response = client.get(URL, query)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and 'data-figure="discussed"' not in page
    response = client.get(URL, query | {"format": "csv"})
    assert response.status_code == 422 and message in response.content.decode()


def test_dates_choose_the_period(client, area):
    login(client, member(area, Role.CONFERENCE_COORDINATOR))
    page = client.get(URL, {"start": "2026-03-31", "end": "2026-04-01"}).content.decode()
    assert shown(page)["discussed"] == "suppressed"  # the two discussions of the 31st
    assert "31 Mar 2026" in page and "1 Apr 2026" in page


def test_the_last_complete_quarter_is_the_default(client, area):
    login(client, member(area, Role.CONFERENCE_COORDINATOR))
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(area.time_zone))
    start, end = quarter(*last_complete_quarter(today))
    page = client.get(URL).content.decode()
    assert f"{start.day} {start:%b %Y}" in page and f"{end.day} {end:%b %Y}" in page
    year, number = last_complete_quarter(today)
    assert f'<option value="{year}-Q{number}" selected>' in page


def test_the_csv_return_is_the_page_and_never_a_small_count(client, area):
    login(client, member(area, Role.CONFERENCE_COORDINATOR))
    page = shown(client.get(URL, Q1).content.decode())
    response = client.get(URL, Q1 | {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = returned(response)
    assert rows == page
    assert rows["repeat"] == rows["first_time"] == rows["by_police"] == rows["group_men"] == "suppressed"
    assert rows["without_children"] == "5" and rows["actions_due"] == "6"
    # Beside each figure, the national reference and the area's expectation.
    lines = {row["figure"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert lines["repeat_percent"]["national_reference"] == "32"
    assert lines["per_10000_a_year"]["national_reference"] == "40"
    assert lines["group_minoritised_percent"]["area_expectation"] == "12.5"
    assert lines["discussed"]["from"] == "2026-01-01" and lines["discussed"]["to"] == "2026-03-31"


def test_the_page_explains_suppression_and_names_no_case(client, area):
    login(client, member(area, Role.CONFERENCE_COORDINATOR))
    page = client.get(URL, Q1).content.decode()
    assert "A count from 1 to 5 less one" in page and "Some figures for this period are suppressed." in page
    assert 'class="suppressed"' in page
    main = page.split('<main', 1)[1]
    assert "/cases/" not in main and "Survivor" not in main
