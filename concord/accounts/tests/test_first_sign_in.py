"""A new member of staff's first sign-in is one path: her own password (when an administrator gave
her one), her authenticator app, her recovery codes, then the home page; never a second password
prompt one page after the first, nor a page with no way on."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse

from concord.accounts.models import Role, User
from concord.accounts.selectors import AUTHENTICATION_METHODS_KEY
from concord.testing.factories import TEST_PASSWORD, login, make_actor

from .signing_in import post_password, totp_code
from .test_mfa_required import ENROL_URL

NEW_PASSWORD = "larch lantern ribbon 42"
CHANGE_URL = "/accounts/password/change/"
CODES_URL = "/accounts/2fa/recovery-codes/"


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _enrol(client):
    page = client.get(ENROL_URL)
    assert page.status_code == 200, page.get("Location")
    secret = client.session[SECRET_SESSION_KEY]
    return page, client.post(ENROL_URL, {"code": totp_code(secret)})


@pytest.mark.django_db(transaction=True)  # allauth announces the enrolment once it is committed
def test_a_new_worker_with_a_temporary_password_goes_step_by_step_to_her_cases(client, advocacy):
    user = make_actor(advocacy, with_totp=False).user
    User.objects.filter(pk=user.pk).update(password_is_temporary=True)

    signed_in = post_password(client, user.email)
    assert "Successfully signed in" not in " ".join(_messages(signed_in))
    # Step 1: her own password, before anything else: the home page and case pages send her there.
    for path in (reverse("web:home"), reverse("web:search"), ENROL_URL):
        assert client.get(path)["Location"] == CHANGE_URL, path
    page = client.get(CHANGE_URL).text
    assert "Setting up your account: step 1 of 3" in page and "Choose your own password" in page

    changed = client.post(CHANGE_URL, {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD,
                                       "password2": NEW_PASSWORD})
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.password_is_temporary and user.check_password(NEW_PASSWORD)

    # Step 2: the authenticator, at once (no password prompt again), then step 3: the codes.
    assert client.get(reverse("web:home"))["Location"] == ENROL_URL
    page, activated = _enrol(client)
    assert "step 2 of 3" in page.text and "Set up your authenticator app" in page.text
    assert activated["Location"] == CODES_URL
    codes = client.get(CODES_URL).text
    assert "step 3 of 3" in codes and "I have saved them: continue to Concord" in codes
    unused = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert unused and all(code in codes for code in unused)

    home = client.get(reverse("web:home"))
    assert home.status_code == 200 and "Your account is set up." in home.text
    # The path is over: the codes page is just the list of codes now.
    assert "step 3 of 3" not in client.get(CODES_URL).text


@pytest.mark.django_db(transaction=True)
def test_a_worker_with_her_own_password_has_two_steps(client, advocate_without_totp):
    post_password(client, advocate_without_totp.user.email)
    assert client.get(reverse("web:home"))["Location"] == ENROL_URL
    page, activated = _enrol(client)
    assert "step 1 of 2" in page.text
    assert "step 2 of 2" in client.get(activated["Location"]).text


def test_enrolling_long_after_the_password_asks_for_it_again(client, advocate_without_totp):
    post_password(client, advocate_without_totp.user.email)
    session = client.session
    session[AUTHENTICATION_METHODS_KEY] = [{**record, "at": time.time() - 600}
                                           for record in session[AUTHENTICATION_METHODS_KEY]]
    session.save()
    assert client.get(ENROL_URL)["Location"].startswith(reverse("account_reauthenticate"))


def test_a_temporary_password_opens_nothing_else_even_with_an_authenticator(client, advocate):
    User.objects.filter(pk=advocate.user.pk).update(password_is_temporary=True)
    login(client, advocate)
    assert client.get(reverse("web:home"))["Location"] == CHANGE_URL
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get(CHANGE_URL).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_an_administrator_giving_a_password_makes_it_temporary(client, advocacy):
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.org", "first_name": "New", "last_name": "Worker", "is_active": "on",
        "new_password": "larch lantern ribbon 7", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").password_is_temporary
