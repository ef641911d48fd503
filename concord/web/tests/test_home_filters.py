"""The home page's "Updated" filter lists only cases with activity within the chosen window."""

import datetime

from django.urls import reverse
from django.utils import timezone

from concord.cases.models import Case
from concord.testing.factories import login, make_case


def last_updated(case, days_ago: int) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days_ago))


def agency_list(client, **filters) -> str:
    """The agency's list on the home page (the filters apply to it, not to "My cases" above it)."""
    page = client.get(reverse("web:home"), filters).text
    return page[page.index('id="case-list"'):]


def test_recently_updated_filter_lists_only_cases_updated_within_the_window(client, advocate):
    last_updated(make_case(advocate, given_name="Recent"), days_ago=2)
    last_updated(make_case(advocate, given_name="Lastmonth"), days_ago=20)
    last_updated(make_case(advocate, given_name="Longago"), days_ago=45)
    login(client, advocate)

    within_week = agency_list(client, updated="7")
    assert "Recent Khan" in within_week
    assert "Lastmonth Khan" not in within_week and "Longago Khan" not in within_week

    within_month = agency_list(client, updated="30")
    assert "Recent Khan" in within_month and "Lastmonth Khan" in within_month
    assert "Longago Khan" not in within_month

    any_time = agency_list(client)
    assert all(name in any_time for name in ("Recent Khan", "Lastmonth Khan", "Longago Khan"))


def test_recently_updated_filter_answers_htmx_with_the_list_only(client, advocate):
    last_updated(make_case(advocate, given_name="Recent"), days_ago=2)
    last_updated(make_case(advocate, given_name="Longago"), days_ago=45)
    login(client, advocate)

    response = client.get(reverse("web:home"), {"updated": "7"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="case-list"')
    assert "Recent Khan" in response.text and "Longago Khan" not in response.text
