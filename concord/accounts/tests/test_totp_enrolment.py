"""A member of staff without TOTP enrols through allauth's pages, then reaches the app."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from concord.accounts import second_factors

from .signing_in import LOGIN_URL, MFA_URL, post_password, totp_code, wrong_totp_code
from .test_mfa_required import ENROL_URL


@pytest.fixture
def at_enrolment(client, advocate_without_totp):
    """Signed in with the password, sent to enrol (the password was just given: not asked again)."""
    user = advocate_without_totp.user
    post_password(client, user.email)
    home = client.get(reverse("web:home"))
    assert home["Location"] == ENROL_URL
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    return client, user, page


def test_enrolment_page_shows_the_secret_it_will_check(at_enrolment):
    client, _user, page = at_enrolment

    secret = client.session[SECRET_SESSION_KEY]

    assert len(secret) >= 32  # base32 of 20 random bytes
    assert secret in page.content.decode()
    assert b'name="code"' in page.content


def test_valid_code_activates_totp_and_opens_the_app(at_enrolment):
    client, user, _page = at_enrolment
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(ENROL_URL, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # allauth shows the new recovery codes next.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    home = client.get(reverse("web:home"))
    assert home.status_code in (200, 302)
    assert home.get("Location") != ENROL_URL


def test_wrong_code_does_not_activate_totp(at_enrolment):
    client, user, _page = at_enrolment
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(ENROL_URL, {"code": wrong_totp_code(secret)})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get(reverse("web:home"))["Location"] == ENROL_URL


def test_next_sign_in_asks_for_the_enrolled_code(at_enrolment):
    client, user, _page = at_enrolment
    secret = client.session[SECRET_SESSION_KEY]
    client.post(ENROL_URL, {"code": totp_code(secret)})
    client.post(reverse("account_logout"))

    response = post_password(client, user.email)
    assert response["Location"] == MFA_URL
    response = client.post(MFA_URL, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert LOGIN_URL not in client.get(reverse("web:home")).get("Location", "")


@pytest.mark.django_db(transaction=True)  # allauth announces the enrolment once it is committed
def test_enrolling_counts_as_this_sessions_second_factor(at_enrolment):
    client, _user, _page = at_enrolment
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(ENROL_URL, {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    assert client.get(response["Location"]).status_code == 200  # her new recovery codes, still signed in
    assert client.get(reverse("web:home")).status_code == 200


def test_enrolled_secret_is_stored_encrypted(at_enrolment):
    client, user, _page = at_enrolment
    secret = client.session[SECRET_SESSION_KEY]

    client.post(ENROL_URL, {"code": totp_code(secret)})

    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert second_factors.open_secret(stored) == secret
