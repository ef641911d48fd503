"""Two ways in, both ending as an Actor: a service token, or a staff session with MFA and an agency."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from concord.accounts.models import Role, ServiceToken, TokenScope
from concord.api.urls import api
from concord.audit.models import AccessLogEntry
from concord.cases.models import Need
from concord.testing.factories import (
    ALL_SCOPES,
    login,
    make_actor,
    make_agency,
    make_service_account,
    make_token,
    make_user,
)

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


@pytest.fixture
def feed(advocacy):
    """The advocacy service's records feed: a service account in a practitioner's role."""
    return make_service_account(advocacy, name="Records feed")


def test_revoked_token_is_refused(feed):
    token, raw = make_token(feed, name="old system")
    token.revoked_at = timezone.now()
    token.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


def test_token_of_an_ended_membership_is_refused(feed):
    _, raw = make_token(feed)
    feed.membership.is_active = False
    feed.membership.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


def test_token_of_a_deactivated_account_is_refused(feed):
    _, raw = make_token(feed)
    feed.user.is_active = False
    feed.user.save()
    assert ApiClient(raw).call("get", "/areas").status_code == 401


def test_token_awaiting_approval_is_refused(feed, case):
    _, raw = make_token(feed, approved=False)
    assert ApiClient(raw).call("get", "/areas").status_code == 401
    assert ApiClient(raw).call("get", f"/cases/{case.reference}").status_code == 401


def test_token_of_a_membership_awaiting_approval_is_refused(advocacy, case):
    pending = make_service_account(advocacy, approved=False)
    _, raw = make_token(pending)
    assert ApiClient(raw).call("get", f"/cases/{case.reference}").status_code == 401


def test_expired_token_is_refused(feed, case):
    token, raw = make_token(feed)
    ServiceToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert ApiClient(raw).call("get", f"/cases/{case.reference}").status_code == 401


def test_a_token_lasts_at_most_a_year(feed):
    with pytest.raises(ValidationError):
        make_token(feed, expires_in=datetime.timedelta(days=400))
    with pytest.raises(ValidationError):
        make_token(feed, expires_in=datetime.timedelta(days=-1))


def test_no_token_is_issued_to_a_persons_membership(advocate):
    with pytest.raises(ValidationError):
        ServiceToken.issue(membership=advocate.membership, name="by hand", scopes=["cases:read"],
                           expires_at=timezone.now() + datetime.timedelta(days=30))


def test_token_of_a_persons_membership_is_refused(advocate, case):
    """One made before service accounts existed (the migration revokes them), or written by hand."""
    raw = "cc_" + "p" * 43
    ServiceToken.objects.create(membership=advocate.membership, name="old", token_hash=ServiceToken.hash(raw),
                                prefix=raw[:8], scopes=ALL_SCOPES, approved_at=timezone.now(),
                                expires_at=timezone.now() + datetime.timedelta(days=30))
    assert ApiClient(raw).call("get", f"/cases/{case.reference}").status_code == 401


# The operations of the partnership:read scope: its structure, and the risk instruments (reference data).
PARTNERSHIP_PATHS = ("/api/v1/areas", "/api/v1/agencies", "/api/v1/instruments")


@pytest.mark.parametrize(("method", "path"), list(every_operation()))
def test_every_operation_belongs_to_a_scope(feed, method, path):
    """Every operation asks for one scope of TokenScope: a router mounted without its resource (urls.py)
    would ask for "none:…" and fail here."""
    _, raw = make_token(feed, scopes=["cases:read"] if path.startswith(PARTNERSHIP_PATHS) else ["partnership:read"])
    response = ApiClient(raw).call(method, path, {})
    assert response.status_code == 403
    needed = response.json()["detail"].removeprefix("This token's scopes do not include ").removesuffix(".")
    assert needed in TokenScope.values
    assert needed.endswith(":read" if method == "get" else ":write")


@pytest.mark.parametrize(("scopes", "method", "path", "needs"), [
    (["partnership:read"], "get", "/cases", "cases:read"),
    (["cases:read"], "post", "/cases", "cases:write"),
    (["cases:read"], "get", "/people", "people:read"),
    (["cases:read", "people:read"], "patch", "/cases/{reference}/people/1", "people:write"),
    (["cases:read"], "get", "/agencies", "partnership:read"),
    (["cases:read"], "get", "/instruments", "partnership:read"),
    (["partnership:read"], "get", "/cases/{reference}/risk", "cases:read"),
    (["cases:read"], "post", "/cases/{reference}/assessments", "cases:write"),
])
def test_an_operation_outside_the_tokens_scopes_is_403(feed, case, scopes, method, path, needs):
    _, raw = make_token(feed, scopes=scopes)
    response = ApiClient(raw).call(method, path.replace("{reference}", case.reference), {})
    assert response.status_code == 403
    assert response.json() == {"detail": f"This token's scopes do not include {needs}."}


def test_an_operation_within_the_tokens_scopes_is_answered(feed, case):
    _, raw = make_token(feed, scopes=["cases:read"])
    response = ApiClient(raw).call("get", f"/cases/{case.reference}")
    assert response.status_code == 200


def test_the_access_log_names_the_token_not_a_person(feed, case):
    token, raw = make_token(feed, name="Records feed")
    assert ApiClient(raw).call("get", f"/cases/{case.reference}").status_code == 200
    entry = AccessLogEntry.objects.filter(case_id=case.pk, action="view").latest("sequence")
    assert entry.user_label == f'service token "Records feed" ({raw[:8]}…) #{token.pk}'
    assert entry.user_id == feed.user.pk and feed.user.is_service_account


def test_token_requests_need_no_csrf_token(feed, case):
    _, raw = make_token(feed)
    client = ApiClient(raw, enforce_csrf_checks=True)
    response = client.call("post", f"/cases/{case.reference}/needs", {"in_her_words": "A lawyer", "category": "legal"})
    assert response.status_code == 201


def test_writes_with_a_token_are_attributed_to_the_service_account(feed, case):
    _, raw = make_token(feed)
    response = ApiClient(raw).call("post", f"/cases/{case.reference}/needs",
                                   {"in_her_words": "Money", "category": "financial"})
    need = Need.objects.get(pk=response.json()["id"])
    assert need.recorded_by == feed.user
    assert need.history.get().history_user == feed.user


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
