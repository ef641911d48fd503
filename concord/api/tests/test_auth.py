"""Two ways in, both ending as an Actor: a service token, or a staff session with MFA and an agency."""

import pytest
from django.test import Client
from django.utils import timezone

from concord.accounts.models import Role, ServiceToken
from concord.api.urls import api
from concord.cases.models import Need
from concord.testing.factories import login, make_actor, make_agency, make_user

from .conftest import ApiClient

CSRF_SECRET = "a" * 32


def every_operation():
    """(method, path) of every operation in the schema, with placeholder path parameters."""
    placeholders = {"{reference}": "NTH-2026-00001", "{incident_id}": "1", "{need_id}": "1",
                    "{person_id}": "1", "{area_id}": "1", "{agency_id}": "1"}
    for path, methods in api.get_openapi_schema()["paths"].items():
        for placeholder, value in placeholders.items():
            path = path.replace(placeholder, value)
        for method in methods:
            yield method, path


@pytest.mark.parametrize(("method", "path"), list(every_operation()))
def test_every_operation_without_credentials_is_401(db, method, path):
    response = ApiClient().call(method, path, {})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_service_token_acts_for_its_agency(advocate_api, advocate):
    response = advocate_api.call("get", "/agencies")
    assert response.status_code == 200
    assert [agency["id"] for agency in response.json()["items"]] == [advocate.agency.pk]


def test_revoked_token_is_refused(advocate):
    token, raw = ServiceToken.issue(membership=advocate.membership, name="old system")
    token.revoked_at = timezone.now()
    token.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


def test_token_of_an_ended_membership_is_refused(advocate):
    _, raw = ServiceToken.issue(membership=advocate.membership, name="system")
    advocate.membership.is_active = False
    advocate.membership.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


def test_token_of_a_deactivated_user_is_refused(advocate):
    _, raw = ServiceToken.issue(membership=advocate.membership, name="system")
    advocate.user.is_active = False
    advocate.user.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


@pytest.mark.parametrize("header", ["Bearer cc_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "cc_abc",
                                    "Bearer cc_" + "x" * 5000])
def test_unknown_or_malformed_tokens_are_refused(db, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/areas")
    assert response.status_code == 401


def test_token_requests_need_no_csrf_token(advocate, case):
    _, raw = ServiceToken.issue(membership=advocate.membership, name="system")
    client = ApiClient(raw, enforce_csrf_checks=True)
    response = client.call("post", f"/cases/{case.reference}/needs", {"in_her_words": "A lawyer", "category": "legal"})
    assert response.status_code == 201


def test_writes_with_a_token_are_attributed_to_the_service_account(advocate_api, advocate, case):
    response = advocate_api.call("post", f"/cases/{case.reference}/needs",
                                 {"in_her_words": "Money", "category": "financial"})
    need = Need.objects.get(pk=response.json()["id"])
    assert need.recorded_by == advocate.user
    assert need.history.get().history_user == advocate.user


def test_signed_in_staff_session_can_read(advocate, case):
    client = ApiClient()
    login(client, advocate)
    response = client.call("get", f"/cases/{case.reference}")
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference


def test_session_without_two_factor_is_401(advocacy):
    actor = make_actor(advocacy, user=make_user(with_totp=False))
    client = ApiClient()
    login(client, actor)
    assert client.call("get", "/areas").status_code == 401


def test_session_that_has_not_chosen_an_agency_is_401(advocacy, area):
    actor = make_actor(advocacy)
    make_actor(make_agency(area, "police"), user=actor.user, role=Role.PRACTITIONER)
    client = ApiClient()
    client.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.call("get", "/areas").status_code == 401


def test_session_write_without_csrf_token_is_403(advocate, case):
    client = ApiClient(enforce_csrf_checks=True)
    login(client, advocate)
    response = client.call("post", f"/cases/{case.reference}/needs", {"in_her_words": "Help", "category": "safety"})
    assert response.status_code == 403
    assert not case.needs.filter(in_her_words="Help").exists()


def test_session_write_with_csrf_token_is_accepted(advocate, case):
    client = ApiClient(enforce_csrf_checks=True)
    login(client, advocate)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.call("post", f"/cases/{case.reference}/needs", {"in_her_words": "Help", "category": "safety"},
                           headers={"X-CSRFToken": CSRF_SECRET})
    assert response.status_code == 201


def test_anonymous_write_is_401_not_a_csrf_failure(db):
    client = ApiClient(enforce_csrf_checks=True)
    assert client.call("post", "/cases", {"survivor": {"given_name": "Bea"}}).status_code == 401
