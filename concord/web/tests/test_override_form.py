"""The override form: no date means 30 days; a date beyond 90 days is refused on the form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import Role
from concord.consent.models import Override
from concord.testing.factories import login, make_actor, make_case


@pytest.fixture
def supervisor(advocacy):
    return make_actor(advocacy, role=Role.SUPERVISOR)


def authorise(client, case, agency, **fields):
    return client.post(reverse("web:override_add", args=[case.reference]), {
        "agency": agency.pk, "legal_basis": "risk_to_life", "reason": "Threat to kill made last night"} | fields)


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_override_without_a_date_expires_in_30_days(client, supervisor, police):
    case = make_case(supervisor)
    login(client, supervisor)

    assert authorise(client, case, police).status_code == 302

    expires_at = Override.objects.get(case=case).expires_at
    assert abs(expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)


def test_override_with_a_date_lasts_to_the_end_of_that_day(client, supervisor, police):
    case = make_case(supervisor)
    login(client, supervisor)

    assert authorise(client, case, police, expires_on=in_days(14)).status_code == 302

    expires_at = timezone.localtime(Override.objects.get(case=case).expires_at)
    assert expires_at.date().isoformat() == in_days(14) and expires_at.time() == datetime.time.max


def test_override_form_refuses_a_date_beyond_90_days(client, supervisor, police):
    case = make_case(supervisor)
    login(client, supervisor)

    response = authorise(client, case, police, expires_on=in_days(91))

    assert response.status_code == 422
    assert "An override must expire within 90 days." in response.text
    assert not Override.objects.filter(case=case).exists()


def test_override_form_accepts_the_90th_day(client, supervisor, police):
    case = make_case(supervisor)
    login(client, supervisor)

    assert authorise(client, case, police, expires_on=in_days(90)).status_code == 302


def test_override_form_says_when_the_expiry_day_has_passed(client, supervisor, police):
    case = make_case(supervisor)
    login(client, supervisor)

    response = authorise(client, case, police, expires_on=in_days(-1))

    assert response.status_code == 422
    assert "That day has passed" in response.text
    assert not Override.objects.filter(case=case).exists()
