"""15 minutes without activity, or 12 hours in all, and the session signs itself out."""

import time

import pytest
from django.urls import reverse

from concord.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from concord.testing.factories import login

HOME = reverse("web:home")
LOGIN = reverse("account_login")


@pytest.fixture
def signed_in(client, advocate):
    login(client, advocate)
    first = client.get(HOME)
    assert first.status_code in (200, 302)
    assert not first.get("Location", "").startswith(LOGIN)
    return client


def _age_session(client, *, idle_minutes: float = 0, started_hours_ago: float = 0) -> None:
    session = client.session
    now = time.time()
    session[SESSION_LAST_SEEN] = now - idle_minutes * 60
    if started_hours_ago:
        session[SESSION_STARTED] = now - started_hours_ago * 3600
    session.save()


def _signed_out_to_login(client, response) -> bool:
    return (response.status_code == 302 and response["Location"] == LOGIN
            and "_auth_user_id" not in client.session)


def test_first_request_records_start_and_last_seen(signed_in):
    session = signed_in.session

    assert time.time() - session[SESSION_STARTED] < 60
    assert time.time() - session[SESSION_LAST_SEEN] < 60


def test_14_minutes_idle_keeps_the_session(signed_in):
    _age_session(signed_in, idle_minutes=14)

    response = signed_in.get(HOME)

    assert not response.get("Location", "").startswith(LOGIN)
    assert "_auth_user_id" in signed_in.session
    assert time.time() - signed_in.session[SESSION_LAST_SEEN] < 60  # activity moves the clock on


def test_16_minutes_idle_signs_out(signed_in):
    _age_session(signed_in, idle_minutes=16)

    response = signed_in.get(HOME)

    assert _signed_out_to_login(signed_in, response)
    again = signed_in.get(HOME)
    assert again.status_code == 302 and again["Location"].startswith(LOGIN)


def test_idle_sign_out_says_why(signed_in):
    _age_session(signed_in, idle_minutes=16)

    page = signed_in.get(HOME, follow=True)

    assert "15 minutes without activity" in page.content.decode()


def test_each_request_restarts_the_idle_clock(signed_in):
    for _ in range(3):  # 3 × 10 minutes of work with pauses, 30 minutes in all
        _age_session(signed_in, idle_minutes=10)
        assert "_auth_user_id" in signed_in.session
        signed_in.get(HOME)

    assert "_auth_user_id" in signed_in.session


def test_11_hours_59_minutes_keeps_an_active_session(signed_in):
    _age_session(signed_in, idle_minutes=1, started_hours_ago=11 + 59 / 60)

    signed_in.get(HOME)

    assert "_auth_user_id" in signed_in.session


def test_12_hours_signs_out_even_an_active_session(signed_in):
    _age_session(signed_in, idle_minutes=1, started_hours_ago=12 + 1 / 60)

    response = signed_in.get(HOME)

    assert _signed_out_to_login(signed_in, response)


def test_12_hour_sign_out_says_why(signed_in):
    _age_session(signed_in, idle_minutes=1, started_hours_ago=12.1)

    page = signed_in.get(HOME, follow=True)

    assert "reached 12 hours" in page.content.decode()


def test_api_gets_401_json_after_idle_timeout(signed_in):
    _age_session(signed_in, idle_minutes=16)

    response = signed_in.get("/api/v1/openapi.json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "_auth_user_id" not in signed_in.session


def test_htmx_request_is_told_to_redirect_after_idle_timeout(signed_in):
    _age_session(signed_in, idle_minutes=16)

    response = signed_in.get(HOME, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN


def test_old_session_cookie_is_useless_after_timeout(client, signed_in):
    old_cookie = signed_in.cookies["sessionid"].value
    _age_session(signed_in, idle_minutes=16)
    signed_in.get(HOME)

    client.cookies["sessionid"] = old_cookie
    response = client.get(HOME)

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_pages_shown_to_staff_are_never_cached(client, advocate):
    from concord.testing.factories import make_case

    case = make_case(advocate)
    login(client, advocate)
    for url in (reverse("web:home"), reverse("web:case", args=[case.reference]), "/api/v1/cases"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_page_within_half_a_minute_of_the_last_does_not_write_the_session(signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _age_session(signed_in, idle_minutes=0.1)  # six seconds ago
    seen = signed_in.session[SESSION_LAST_SEEN]

    with CaptureQueriesContext(connection) as queries:
        signed_in.get(HOME)

    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert signed_in.session[SESSION_LAST_SEEN] == seen
    _age_session(signed_in, idle_minutes=0.6)  # 36 seconds: the clock moves on
    signed_in.get(HOME)
    assert time.time() - signed_in.session[SESSION_LAST_SEEN] < 5
