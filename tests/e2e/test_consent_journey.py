"""Issue 3's journey in a real browser: the lead records consent for a second agency, that agency gains
access, the lead records the withdrawal, access ends on the next request, and the "who has seen this
record" report lists the second agency's views."""

from playwright.sync_api import expect

from concord.accounts.models import Role
from concord.testing.factories import make_actor, make_case

from .conftest import sign_in_on


def test_consent_given_and_withdrawn_in_the_browser(browser, live_server, advocacy, police,
                                                    signed_in_page, assert_no_serious_axe_violations):
    lead = make_actor(advocacy, role=Role.PRACTITIONER)
    officer = make_actor(police, role=Role.PRACTITIONER)
    case = make_case(lead)
    case_url = f"{live_server.url}/cases/{case.reference}/"

    page = signed_in_page(lead.user)
    page.goto(case_url)
    page.locator("#id_agency").select_option(label=police.name)
    page.get_by_label("Has the survivor agreed to share the case with them?").select_option("written")
    page.get_by_role("button", name="Add agency").click()
    expect(page.locator(".messages")).to_contain_text(f"{police.name} is now involved")
    expect(page.locator("#consent-h + table")).to_contain_text(police.name)
    assert_no_serious_axe_violations(page)

    # The officer, in a browser of their own.
    other = browser.new_context()
    officer_page = other.new_page()
    sign_in_on(officer_page, live_server, officer.user)
    response = officer_page.goto(case_url)
    assert response.status == 200
    expect(officer_page.locator("h1")).to_contain_text("Amina Khan")
    expect(officer_page.locator("#protected-h + p")).to_contain_text("Withheld")

    page.get_by_role("link", name="Record a decision").click()
    # Only the picker the subject needs: a sector for a sector, a channel for a channel, an agency else.
    page.get_by_label("What is the survivor deciding about?").select_option("share_sector")
    expect(page.locator("#id_sector")).to_be_visible()
    expect(page.locator("#id_agency")).to_be_hidden()
    expect(page.locator("#id_channel")).to_be_hidden()
    page.get_by_label("What is the survivor deciding about?").select_option("contact")
    expect(page.locator("#id_channel")).to_be_visible()
    expect(page.locator("#id_sector")).to_be_hidden()
    page.get_by_label("What is the survivor deciding about?").select_option("share_agency")
    expect(page.locator("#id_agency")).to_be_visible()
    expect(page.locator("#id_sector")).to_be_hidden()
    page.locator("#id_agency").select_option(label=police.name)
    page.get_by_label("Withdrawn").check()
    page.get_by_label("Verbal").check()
    page.get_by_label("In their own words (optional)").fill("I don't want the police to have my file any more")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Her decision is recorded")

    assert officer_page.goto(case_url).status == 404

    page.get_by_role("link", name="Who has seen this record").click()
    police_section = page.locator("section.seen-agency", has_text=police.name)
    rows = police_section.locator("li", has_text=str(officer.user))
    expect(rows.first).to_contain_text("saw the case record")
    expect(rows.first).to_contain_text("with her consent")
    assert_no_serious_axe_violations(page)
    other.close()
