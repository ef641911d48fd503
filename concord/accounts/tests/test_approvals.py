"""Administrators never reach case content (issue 13 §1, decision 9). Whatever an administrator does
alone in the administration pages — a new account in a refuge worker's role, a second factor enrolled
on their own device, a service account and a token — opens no case; a supervisor of the agency (someone
else) must approve, and then it works."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts import approvals
from concord.accounts.models import AreaApprover, Membership, Role, ServiceToken, TokenScope, User
from concord.api.tests.conftest import ApiClient
from concord.audit.models import AccessLogEntry
from concord.cases import people_services
from concord.cases import services as case_services
from concord.people.details import ContactDetails
from concord.testing.factories import TEST_PASSWORD, login, make_actor, make_agency, make_case

from .signing_in import post_password, sign_in

NARRATIVE = "He pushed her against the wall."
REFUGE_ADDRESS = "7 Secret Row, Hiddenham"
PHONE = "07700 900999"
EMAIL = "quiet.inbox@example.org"
CASE_CONTENT = (NARRATIVE, REFUGE_ADDRESS, PHONE, "07700900999", EMAIL, "Khan")


@pytest.fixture
def refuge(area):
    return make_agency(area, "refuge", "Northshire Refuge")


@pytest.fixture
def refuge_supervisor(refuge):
    return make_actor(refuge, role=Role.SUPERVISOR)


@pytest.fixture
def refuge_case(refuge_supervisor):
    """Her case at the refuge: the refuge's address, her mobile and her e-mail."""
    case = make_case(refuge_supervisor, phone=PHONE)
    people_services.contact_point_add(actor=refuge_supervisor, case=case, person=case.survivor,
                                      details=ContactDetails(kind="email", value=EMAIL, safe_to_use=True))
    case_services.location_record(actor=refuge_supervisor, case=case, kind="refuge", address=REFUGE_ADDRESS)
    return case


@pytest.fixture
def administrator(housing):
    return make_actor(housing, role=Role.ADMINISTRATOR)


def _user_form(email, membership_agency, role, **fields):
    return {"email": email, "first_name": "Second", "last_name": "Account", "is_active": "on", **fields,
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
            "memberships-0-agency": membership_agency.pk, "memberships-0-role": role,
            "memberships-0-is_active": "on",
            # Fields the form does not offer: sent anyway, and ignored.
            "memberships-0-approved_at": "2026-01-01 00:00", "memberships-0-approved_by": "1"}


def _administrator_does_everything_alone(client, administrator, refuge) -> tuple[User, User, str]:
    """Through the administration pages only: a person in a refuge practitioner's role, a service account
    in one, and a token of the service account with every scope."""
    login(client, administrator)
    response = client.post(reverse("admin:accounts_user_add"),
                           _user_form("second@example.org", refuge, Role.PRACTITIONER, new_password=TEST_PASSWORD))
    assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("admin:accounts_user_add"),
                           _user_form("feed@systems.example.org", refuge, Role.PRACTITIONER,
                                      is_service_account="on"))
    assert response.status_code == 302, response.content[:500]
    second = User.objects.get(email="second@example.org")
    feed = User.objects.get(email="feed@systems.example.org")
    expires = timezone.localtime() + datetime.timedelta(days=90)
    response = client.post(reverse("admin:accounts_servicetoken_add"), {
        "membership": feed.memberships.get().pk, "name": "Refuge records feed", "scopes": list(TokenScope.values),
        "expires_at_0": expires.date().isoformat(), "expires_at_1": "12:00:00"}, follow=True)
    (raw,) = re.findall(r"cc_[A-Za-z0-9_-]{43}", response.text)
    # And the approvals themselves, which are not theirs to make.
    assert client.get(reverse("web:approvals")).status_code == 404
    for membership in Membership.objects.filter(agency=refuge).exclude(user__memberships__role=Role.SUPERVISOR):
        response = client.post(reverse("web:membership_decide", args=[membership.pk]), {"decision": "approve"})
        assert response.status_code == 404
    token = ServiceToken.objects.get(name="Refuge records feed")
    assert client.post(reverse("web:token_decide", args=[token.pk]), {"decision": "approve"}).status_code == 404
    return second, feed, raw


def _no_case_content(response) -> None:
    leaked = [value for value in CASE_CONTENT if value.encode() in response.content]
    assert not leaked, (response.status_code, leaked)


def _every_way_in_is_closed(second, feed, raw, case, administrator_client) -> None:
    # The second account, signed in with its password and a second factor enrolled on "their" device.
    second.totp_secret = generate_totp_secret()
    TOTP.activate(second, second.totp_secret)
    person = Client()
    sign_in(person, second)
    case_url = reverse("web:case", args=[case.reference])
    for response in [person.get(reverse("web:home")), person.get(case_url), person.get(case_url, follow=True),
                     person.post(reverse("web:search"), {"q": "Khan"}, follow=True),
                     person.get(reverse("web:timeline", args=[case.reference])),
                     person.get(reverse("web:case_export", args=[case.reference]))]:
        assert response.status_code in {302, 404} or response.redirect_chain, response.status_code
        _no_case_content(response)
    # The administrator gave the password: choosing her own comes first, and still opens no case.
    assert person.get(case_url)["Location"] == reverse("account_change_password")
    session_api = ApiClient()
    session_api.cookies = person.cookies
    for path in ["/cases", f"/cases/{case.reference}", f"/cases/{case.reference}/incidents", "/people"]:
        response = session_api.call("get", path)
        assert response.status_code == 401
        _no_case_content(response)
    # The token.
    token_api = ApiClient(raw)
    for path in ["/cases", f"/cases/{case.reference}", f"/cases/{case.reference}/incidents", "/people",
                 f"/people/{case.survivor_id}"]:
        response = token_api.call("get", path)
        assert response.status_code == 401
        _no_case_content(response)
    # The service account at the sign-in form (no password was ever set; none would be accepted).
    assert post_password(Client(), feed.email, TEST_PASSWORD).status_code == 200
    # The administrator's own session, everywhere a case can be reached.
    for response in [administrator_client.get(reverse("web:home")), administrator_client.get(case_url),
                     administrator_client.post(reverse("web:search"), {"q": "Khan"}),
                     administrator_client.get(reverse("admin:index")),
                     administrator_client.get(reverse("admin:accounts_user_changelist")),
                     administrator_client.get(reverse("admin:access_patterns"))]:
        assert response.status_code in {200, 404}
        _no_case_content(response)


def test_no_sequence_of_administrator_actions_alone_reaches_case_content(client, administrator, refuge,
                                                                         refuge_case):
    second, feed, raw = _administrator_does_everything_alone(client, administrator, refuge)
    assert not Membership.objects.in_force().filter(user__in=[second, feed]).exists()
    _every_way_in_is_closed(second, feed, raw, refuge_case, client)


def test_after_a_supervisor_of_the_agency_approves_access_works(client, administrator, refuge, refuge_case,
                                                                refuge_supervisor):
    second, feed, raw = _administrator_does_everything_alone(client, administrator, refuge)
    supervisor = Client()
    login(supervisor, refuge_supervisor)
    page = supervisor.get(reverse("web:approvals"))
    assert "second@example.org" in page.text and "Refuge records feed" in page.text
    for membership in Membership.objects.filter(user__in=[second, feed]):
        response = supervisor.post(reverse("web:membership_decide", args=[membership.pk]), {"decision": "approve"},
                                   headers={"HX-Request": "true"})
        # htmx swaps the list in place, with what was done said in it.
        assert response.status_code == 200 and 'id="pending"' in response.text
        assert "may now work cases for Northshire Refuge" in response.text and "<html" not in response.text
    token = ServiceToken.objects.get(name="Refuge records feed")
    supervisor.post(reverse("web:token_decide", args=[token.pk]), {"decision": "approve"})

    membership = second.memberships.get()
    assert membership.approved_by == refuge_supervisor.user and membership.approved_at is not None
    assert membership.history.first().approved_by_id == refuge_supervisor.user.pk
    logged = AccessLogEntry.objects.filter(object_type="membership", object_id=str(membership.pk),
                                           user_id=refuge_supervisor.user.pk)
    assert list(logged.values_list("fields", flat=True)) == [["approved_at", "approved_by"]]

    second.totp_secret = generate_totp_secret()
    TOTP.activate(second, second.totp_secret)
    person = Client()
    sign_in(person, second)
    # The administrator gave the password; she chooses her own first (accounts.first_sign_in).
    own = "heron quarry velvet 93"
    person.post(reverse("account_change_password"), {"oldpassword": TEST_PASSWORD, "password1": own, "password2": own})
    assert NARRATIVE in person.get(reverse("web:case", args=[refuge_case.reference])).text
    response = ApiClient(raw).call("get", f"/cases/{refuge_case.reference}/incidents")
    assert response.status_code == 200 and NARRATIVE in response.text
    entry = AccessLogEntry.objects.filter(case_id=refuge_case.pk, action="view").latest("sequence")
    assert entry.user_label == f'service token "Refuge records feed" ({raw[:8]}…) #{token.pk}'


def test_the_requester_of_a_token_cannot_approve_it(refuge, refuge_supervisor):
    from concord.testing.factories import make_service_account, make_token

    token, _ = make_token(make_service_account(refuge), approved=False)
    ServiceToken.objects.filter(pk=token.pk).update(requested_by=refuge_supervisor.user)
    assert not approvals.tokens_awaiting(refuge_supervisor.user).exists()
    with pytest.raises(approvals.PermissionDenied):
        approvals.service_token_approve(token=token, by=refuge_supervisor)


def test_no_one_approves_their_own_membership(client, refuge, area):
    approver = make_actor(refuge, role=Role.ANALYST)  # named by the area, in a role that opens no case
    AreaApprover.objects.create(area=area, user=approver.user, named_by="operator")
    own = make_actor(make_agency(area, "police"), role=Role.PRACTITIONER, user=approver.user, approved=False)
    colleague = make_actor(refuge, approved=False)
    login(client, approver)
    page = client.get(reverse("web:approvals")).text
    assert colleague.user.email in page and own.agency.name not in page
    response = client.post(reverse("web:membership_decide", args=[own.membership.pk]), {"decision": "approve"})
    assert response.status_code == 404
    with pytest.raises(approvals.PermissionDenied):
        approvals.membership_approve(membership=own.membership, by=approver)
    own.membership.refresh_from_db()
    assert own.membership.approved_at is None


def test_an_administrator_who_supervises_elsewhere_approves_only_there(client, housing, police, refuge):
    both = make_actor(housing, role=Role.ADMINISTRATOR)
    supervising = make_actor(police, role=Role.SUPERVISOR, user=both.user)
    at_refuge = make_actor(refuge, approved=False)
    at_police = make_actor(police, approved=False)
    login(client, both)
    response = client.post(reverse("web:membership_decide", args=[at_refuge.membership.pk]), {"decision": "approve"})
    assert response.status_code == 404
    with pytest.raises(approvals.PermissionDenied):
        approvals.membership_approve(membership=at_refuge.membership, by=both)
    login(client, supervising)
    client.post(reverse("web:membership_decide", args=[at_police.membership.pk]), {"decision": "approve"})
    at_police.membership.refresh_from_db()
    at_refuge.membership.refresh_from_db()
    assert at_police.membership.approved_by == both.user and at_refuge.membership.approved_at is None


def test_an_administrator_named_as_an_area_approver_approves_nothing(area, housing, refuge):
    admin = make_actor(housing, role=Role.ADMINISTRATOR)
    AreaApprover.objects.create(area=area, user=admin.user, named_by="operator")
    make_actor(refuge, approved=False)
    assert not approvals.agencies_approved_by(admin.user).exists()
    assert not approvals.memberships_awaiting(admin.user).exists()


def test_the_command_will_not_name_an_administrator(area, housing):
    from django.core.management import CommandError, call_command

    admin = make_actor(housing, role=Role.ADMINISTRATOR)
    with pytest.raises(CommandError, match="administrator"):
        call_command("area_approvers", area.code, add=admin.user.email, named_by="J. Operator")
    person = make_actor(housing, role=Role.ANALYST, user=None)
    call_command("area_approvers", area.code, add=person.user.email, named_by="J. Operator")
    assert AreaApprover.objects.get(user=person.user).named_by == "J. Operator"


def test_declining_ends_the_membership(client, refuge, refuge_supervisor):
    pending = make_actor(refuge, approved=False)
    login(client, refuge_supervisor)
    client.post(reverse("web:membership_decide", args=[pending.membership.pk]), {"decision": "decline"})
    pending.membership.refresh_from_db()
    assert not pending.membership.is_active and pending.membership.approved_at is None


def test_a_change_of_role_into_casework_or_a_reactivation_awaits_approval_again(refuge):
    analyst = make_actor(refuge, role=Role.ANALYST)
    membership = analyst.membership
    membership.role = Role.PRACTITIONER
    membership.save()
    assert not membership.does_casework
    worker = make_actor(refuge).membership
    assert worker.does_casework
    worker.is_active = False
    worker.save()
    worker.is_active = True
    worker.save()
    assert not worker.does_casework and not Membership.objects.in_force().filter(pk=worker.pk).exists()
    supervisor = make_actor(refuge).membership
    supervisor.role = Role.SUPERVISOR
    supervisor.save()
    assert supervisor.approved_at is None


def test_an_administrator_changing_someones_sign_in_withdraws_their_approval(client, administrator, refuge):
    worker = make_actor(refuge, with_totp=False)
    login(client, administrator)
    client.post(reverse("admin:accounts_user_change", args=[worker.user.pk]), {
        "email": "someone.else@example.org", "first_name": "Sam", "last_name": "Worker", "is_active": "on",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": worker.membership.pk, "memberships-0-user": worker.user.pk,
        "memberships-0-agency": refuge.pk, "memberships-0-role": Role.PRACTITIONER, "memberships-0-is_active": "on"})
    worker.membership.refresh_from_db()
    assert worker.user.memberships.get().approved_at is None
    assert User.objects.get(pk=worker.user.pk).email == "someone.else@example.org"


def test_a_service_account_session_is_ended(client, refuge):
    from concord.testing.factories import make_service_account

    feed = make_service_account(refuge)
    client.force_login(feed.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_service_account_cannot_sign_in_even_with_a_password(client, refuge):
    from concord.testing.factories import make_service_account

    feed = make_service_account(refuge)
    feed.user.set_password(TEST_PASSWORD)
    feed.user.save()
    post_password(client, feed.user.email)
    assert "_auth_user_id" not in client.session


def test_the_migration_approves_existing_casework_and_revokes_persons_tokens(refuge):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("concord.accounts.migrations.0004_approvals_and_service_accounts")
    worker = make_actor(refuge, approved=False)
    analyst = make_actor(refuge, role=Role.ANALYST)
    token = ServiceToken.objects.create(membership=worker.membership, name="old", token_hash="x" * 64, prefix="cc_x",
                                        scopes=["cases:read"], expires_at=timezone.now() + datetime.timedelta(days=9))
    migration.approve_existing_casework(apps, None)
    worker.membership.refresh_from_db()
    analyst.membership.refresh_from_db()
    token.refresh_from_db()
    assert worker.membership.does_casework and worker.membership.approved_by is None
    assert worker.membership.approval_note == migration.MIGRATION_NOTE
    assert analyst.membership.approved_at is None  # not casework: nothing to approve
    assert token.revoked_at is not None


def test_the_administration_shows_approval_and_refuses_a_token_of_more_than_a_year(client, administrator, refuge):
    from concord.testing.factories import make_service_account, make_token

    pending = make_actor(refuge, approved=False)
    feed = make_service_account(refuge)
    token, _ = make_token(feed, approved=False)
    login(client, administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[pending.user.pk]))
    assert page.status_code == 200 and "Awaiting approval by a supervisor of the agency" in page.text
    assert client.get(reverse("admin:accounts_servicetoken_change", args=[token.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_servicetoken_add")).status_code == 200
    later = timezone.localtime() + datetime.timedelta(days=400)
    response = client.post(reverse("admin:accounts_servicetoken_add"), {
        "membership": feed.membership.pk, "name": "Too long", "scopes": ["cases:read"],
        "expires_at_0": later.date().isoformat(), "expires_at_1": "12:00:00"})
    assert response.status_code == 200 and "A token lasts at most a year." in response.text
    assert not ServiceToken.objects.filter(name="Too long").exists()
    # Only revocation changes a token once asked for.
    client.post(reverse("admin:accounts_servicetoken_change", args=[token.pk]),
                {"revoked_at_0": "", "revoked_at_1": ""})
    token.refresh_from_db()
    assert token.approved_at is None and token.scopes == sorted(TokenScope.values)


def test_a_persons_membership_is_not_offered_for_a_token(client, administrator, refuge):
    person = make_actor(refuge)
    login(client, administrator)
    response = client.post(reverse("admin:accounts_servicetoken_add"), {
        "membership": person.membership.pk, "name": "Mine", "scopes": ["cases:read"],
        "expires_at_0": timezone.localdate().isoformat(), "expires_at_1": "23:59:59"})
    assert response.status_code == 200
    assert not ServiceToken.objects.exists()
