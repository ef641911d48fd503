"""A member of staff who left a session open elsewhere ends it from allauth's sessions page."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from concord.testing.factories import login

from .signing_in import sign_in

SESSIONS_URL = "/accounts/sessions/"
HOME = reverse("web:home")
LOGIN = reverse("account_login")


def _reaches_app(client) -> bool:
    response = client.get(HOME)
    return response.status_code in (200, 302) and not response.get("Location", "").startswith(LOGIN)


@pytest.fixture
def office_and_laptop(advocate):
    """The same person signed in twice: at the office through the real form, on a laptop too."""
    office = Client(HTTP_USER_AGENT="Office PC")
    sign_in(office, advocate.user)
    laptop = Client(HTTP_USER_AGENT="Laptop")
    # The office sign-in used this 30-second TOTP code; a second form sign-in would need the next
    # one, so the laptop is signed in directly. Either way it is a session of the same user.
    login(laptop, advocate)
    assert _reaches_app(office) and _reaches_app(laptop)
    return office, laptop


def test_sessions_url_is_allauths():
    assert reverse("usersessions_list") == SESSIONS_URL


def test_sessions_page_lists_both_sessions(office_and_laptop, advocate):
    office, _laptop = office_and_laptop

    response = office.get(SESSIONS_URL)

    assert response.status_code == 200
    assert response.context["session_count"] == 2
    assert UserSession.objects.filter(user=advocate.user).count() == 2


def test_ending_other_sessions_signs_the_laptop_out(office_and_laptop, advocate):
    office, laptop = office_and_laptop

    response = office.post(SESSIONS_URL, {})

    assert response.status_code == 302
    assert not _reaches_app(laptop)
    assert "_auth_user_id" not in laptop.session
    assert _reaches_app(office)
    assert UserSession.objects.filter(user=advocate.user).count() == 1


def test_ending_other_sessions_leaves_other_users_alone(office_and_laptop, officer):
    office, _laptop = office_and_laptop
    colleague = Client()
    login(colleague, officer)
    assert _reaches_app(colleague)

    office.post(SESSIONS_URL, {})

    assert _reaches_app(colleague)


def test_sessions_page_needs_sign_in(client, db):
    response = client.get(SESSIONS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_sessions_list_is_kept_up_to_date_without_a_write_on_every_page(advocate):
    laptop = Client(HTTP_USER_AGENT="Laptop")
    login(laptop, advocate)
    assert _reaches_app(laptop)
    listed = UserSession.objects.get(user=advocate.user)
    seen = listed.last_seen_at
    for _ in range(3):
        assert _reaches_app(laptop)
    assert UserSession.objects.get(pk=listed.pk).last_seen_at == seen  # within the minute: no write

    # A new address is noticed at once (and the IP shown on the Sessions page is the new one).
    assert laptop.get(HOME, REMOTE_ADDR="203.0.113.9").status_code in (200, 302)
    moved = UserSession.objects.get(pk=listed.pk)
    assert moved.ip == "203.0.113.9" and moved.last_seen_at > seen


def test_the_sessions_list_is_brought_up_to_date_after_a_minute(advocate, settings):
    from concord.accounts import middleware

    laptop = Client(HTTP_USER_AGENT="Laptop")
    login(laptop, advocate)
    assert _reaches_app(laptop)
    listed = UserSession.objects.get(user=advocate.user)
    session = laptop.session
    when, client = session[middleware.SESSION_LISTED]
    session[middleware.SESSION_LISTED] = (when - middleware.USER_SESSION_REFRESH_SECONDS, client)
    session.save()
    assert _reaches_app(laptop)
    assert UserSession.objects.get(pk=listed.pk).last_seen_at > listed.last_seen_at
