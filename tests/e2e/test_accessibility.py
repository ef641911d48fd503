"""axe-core finds no serious or critical violation on the forms staff fill in most (incident, need),
blank and with errors, and on the two-factor pages (the code at sign-in, enrolment, recovery codes)."""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from concord.accounts.tests.signing_in import LOGIN_URL, MFA_URL, wrong_totp_code
from concord.accounts.tests.test_mfa_required import ENROL_URL
from concord.testing.factories import TEST_PASSWORD, make_actor, make_case


def test_incident_form_has_no_serious_accessibility_violations(signed_in_page, live_server, advocacy,
                                                               assert_no_serious_axe_violations):
    actor = make_actor(advocacy)
    case = make_case(actor)
    page = signed_in_page(actor.user)

    page.goto(f"{live_server.url}/cases/{case.reference}/incidents/new/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Save incident").click()  # nothing filled in: the errors are shown
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.goto(f"{live_server.url}/cases/{case.reference}/incidents/{case.incidents.get().pk}/")
    assert_no_serious_axe_violations(page)


def test_need_form_has_no_serious_accessibility_violations(signed_in_page, live_server, advocacy,
                                                           assert_no_serious_axe_violations):
    actor = make_actor(advocacy)
    case = make_case(actor)
    page = signed_in_page(actor.user)

    page.goto(f"{live_server.url}/cases/{case.reference}/needs/new/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Save need").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.goto(f"{live_server.url}/cases/{case.reference}/needs/{case.needs.get().pk}/")
    assert_no_serious_axe_violations(page)


def sign_in_with_password(page, live_server, user):
    page.goto(f"{live_server.url}{LOGIN_URL}")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.locator('input[name="password"]').press("Enter")


def test_totp_code_page_has_no_serious_accessibility_violations(page, live_server, advocacy,
                                                                assert_no_serious_axe_violations):
    user = make_actor(advocacy).user
    sign_in_with_password(page, live_server, user)
    page.wait_for_url(f"{live_server.url}{MFA_URL}")
    assert_no_serious_axe_violations(page)

    page.locator('input[name="code"]').fill(wrong_totp_code(user.totp_secret))
    page.locator('input[name="code"]').press("Enter")
    expect(page.locator("#id_code_error")).to_contain_text("Incorrect code")
    assert_no_serious_axe_violations(page)


def test_totp_enrolment_pages_have_no_serious_accessibility_violations(page, live_server, advocacy,
                                                                       assert_no_serious_axe_violations):
    user = make_actor(advocacy, with_totp=False).user
    sign_in_with_password(page, live_server, user)
    # Sent to enrol; allauth first asks for the password again.
    page.wait_for_url(lambda url: "/accounts/reauthenticate/" in url)
    assert_no_serious_axe_violations(page)

    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_url(f"{live_server.url}{ENROL_URL}")
    expect(page.locator('input[name="code"]')).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_recovery_codes_page_has_no_serious_accessibility_violations(signed_in_page, live_server, advocacy,
                                                                     assert_no_serious_axe_violations):
    # Reached from "Security" once signed in. (Straight after enrolment it is not reachable for now:
    # see test_enrolling_counts_as_this_sessions_second_factor in concord/accounts/tests.)
    user = make_actor(advocacy).user
    RecoveryCodes.activate(user)
    page = signed_in_page(user)

    page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
    expect(page.locator("h1")).to_contain_text("Confirm Access")  # allauth asks for the password again
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    expect(page.locator("h1")).to_contain_text("Recovery Codes")
    assert_no_serious_axe_violations(page)


def test_approvals_page_has_no_serious_accessibility_violations_and_approves_in_place(
        signed_in_page, live_server, advocacy, assert_no_serious_axe_violations):
    from concord.accounts.models import Role

    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    newcomer = make_actor(advocacy, approved=False)
    page = signed_in_page(supervisor.user)
    page.goto(f"{live_server.url}/approvals/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name=f"Approve {newcomer.user} at {advocacy.name}").click()
    expect(page.locator("#pending")).to_contain_text("may now work cases for")
    expect(page.locator("#pending")).to_contain_text("No staff await approval.")
    assert_no_serious_axe_violations(page)
    newcomer.membership.refresh_from_db()
    assert newcomer.membership.approved_by == supervisor.user
