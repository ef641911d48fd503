"""Every member of staff must have TOTP: signed in without it, the only way on is to enrol."""

import pytest
from django.urls import reverse

from .signing_in import sign_in

ENROL_URL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def signed_in_without_totp(client, advocate_without_totp):
    sign_in(client, advocate_without_totp.user)  # no TOTP stage: there is nothing to ask for yet
    return client


def test_enrol_url_is_allauths_totp_activation():
    assert reverse("mfa_activate_totp") == ENROL_URL


@pytest.mark.parametrize(
    "page",
    [
        reverse("web:home"),
        reverse("web:search"),
        reverse("web:choose_agency"),
        reverse("web:intake"),
        reverse("web:case", args=["NTH-0001"]),
        "/no-such-page/",
    ],
)
def test_app_pages_redirect_to_totp_enrolment(signed_in_without_totp, page):
    response = signed_in_without_totp.get(page)

    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_posts_to_app_pages_redirect_to_totp_enrolment(signed_in_without_totp):
    response = signed_in_without_totp.post(reverse("web:intake"), {})

    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/cases/"])
def test_api_answers_401_json_without_totp(signed_in_without_totp, path):
    response = signed_in_without_totp.get(path)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "two-factor" in response.json()["detail"]


def test_enrolment_and_sign_out_stay_reachable(signed_in_without_totp):
    # Straight to the set-up: the password was given a moment ago (accounts.first_sign_in).
    enrol = signed_in_without_totp.get(ENROL_URL, follow=True)
    assert enrol.status_code == 200 and not enrol.redirect_chain

    response = signed_in_without_totp.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in_without_totp.session


def test_user_with_totp_reaches_app_pages(client, advocate):
    sign_in(client, advocate.user)

    response = client.get(reverse("web:home"))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != ENROL_URL
        assert not response["Location"].startswith(reverse("account_login"))


def test_a_session_that_never_passed_totp_is_signed_out(client, advocate):
    """Having TOTP is not enough: this session must have passed it (allauth's form is the only way in)."""
    from django.urls import reverse

    client.force_login(advocate.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session
