"""Issue 12's journey in a real browser: a supervisor of the lead agency authorises an override for
probation that opens only the incidents; probation's offender manager reads what happened and nothing
else (her needs and consent withheld, no edit offered), adds a note beside the incident instead; the
police, sharing under her consent, read the note but never the override, its basis or its reason."""

from playwright.sync_api import expect

from concord.accounts.models import Role
from concord.testing.factories import make_actor, make_agency, make_case, share_with

from .conftest import sign_in_on


def test_an_override_opens_only_its_purpose(browser, live_server, area, advocacy, police, signed_in_page,
                                            assert_no_serious_axe_violations):
    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    probation = make_agency(area, "probation", "Northshire Probation")
    manager, officer = make_actor(probation), make_actor(police)
    case = make_case(supervisor)
    share_with(supervisor, case, police)
    case_url = f"{live_server.url}/cases/{case.reference}/"

    page = signed_in_page(supervisor.user)
    page.goto(case_url)
    page.get_by_role("link", name="Authorise an override").click()
    page.locator("#id_agency").select_option(label=probation.name)
    page.get_by_label("Legal basis").select_option("risk_to_life")
    page.get_by_label("Reason").fill("Offender manager needs the incident history before the review")
    assert page.get_by_label("What happened at each incident").is_checked()
    assert not page.get_by_label("Her needs, in her words").is_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Override authorised")
    expect(page.locator("#access-h ~ ul").first).to_contain_text("1 override in force")
    page.get_by_role("link", name="Sharing and overrides").click()
    expect(page.locator("#overrides-h ~ ul").first).to_contain_text("What happened at each incident")
    expect(page.locator("#now-h ~ ul.sharing")).to_contain_text("Northshire Probation")
    assert_no_serious_axe_violations(page)

    other = browser.new_context()
    probation_page = other.new_page()
    sign_in_on(probation_page, live_server, manager.user)
    probation_page.goto(case_url)
    expect(probation_page.locator("#incidents-h ~ article").first).to_contain_text("He pushed her against the wall")
    expect(probation_page.locator("#needs-h + p")).to_contain_text("Withheld")
    expect(probation_page.locator("#consent-h + p")).to_contain_text("Withheld")
    assert "I need the locks changed" not in probation_page.content()
    expect(probation_page.get_by_role("link", name="Edit incident of")).to_have_count(0)
    probation_page.get_by_text("Add a note from your agency").click()
    probation_page.get_by_label("Your agency's note").fill("Breach of licence conditions reported on 3 Oct")
    probation_page.get_by_role("button", name="Add note").click()
    expect(probation_page.locator(".messages")).to_contain_text("Note added")
    expect(probation_page.locator(".notes")).to_contain_text("Breach of licence conditions")
    assert_no_serious_axe_violations(probation_page)
    other.close()

    police_context = browser.new_context()
    police_page = police_context.new_page()
    sign_in_on(police_page, live_server, officer.user)
    police_page.goto(case_url)
    expect(police_page.locator("#timeline")).to_contain_text("Case opened")
    body = police_page.content()
    # Probation's note is a record of the case like any other; the override behind it is not.
    expect(police_page.locator(".notes")).to_contain_text("Breach of licence conditions")
    assert "Override authorised" not in body and "Offender manager" not in body and "risk to life" not in body
    police_context.close()
