"""A frontline journey in a real browser: a police officer sends a referral to the advocacy service
and sees the consent check say she agreed; the advocate finds the task to answer it, reads only the
packet (the case itself is not found), accepts within the deadline, and the case opens."""

from playwright.sync_api import expect

from concord.accounts.models import Role
from concord.consent.services import consent_record
from concord.protocols.standard import adopt_standard
from concord.testing.factories import make_actor, make_case


def test_a_referral_sent_on_her_consent_read_as_a_packet_and_accepted(live_server, area, police, advocacy, housing,
                                                                      signed_in_page,
                                                                      assert_no_serious_axe_violations):
    adopt_standard(partnership_lead=make_actor(housing, Role.PARTNERSHIP_LEAD), area=area)
    officer, advocate = make_actor(police), make_actor(advocacy)
    case = make_case(officer)
    consent_record(actor=officer, case=case, scope="refer", agency=advocacy, decision="given", method="verbal")
    case_url = f"{live_server.url}/cases/{case.reference}/"

    page = signed_in_page(officer.user)
    page.goto(case_url)
    page.get_by_role("link", name="Send a referral").click()
    expect(page.locator("table.consent-check")).to_contain_text("Given")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Refer to").select_option(label=advocacy.name)
    page.get_by_label("Why you are referring her").fill("Police attended; she would like an advocate for court.")
    page.get_by_label("Anything else they need to know before they answer").fill("Best reached after 2 pm.")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".messages")).to_contain_text("They are asked to reply by")

    page.context.clear_cookies()
    page = signed_in_page(advocate.user)
    page.goto(f"{live_server.url}/tasks/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Accept or decline the referral").click()
    expect(page.locator("#packet-h")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Best reached after 2 pm.")
    response = page.goto(case_url)
    assert response is not None and response.status == 404  # only the packet before it answers
    page.go_back()
    page.get_by_role("button", name="Accept the referral").click()
    page.goto(case_url)
    expect(page.locator("h1")).to_contain_text(case.reference)
    page.goto(f"{live_server.url}/tasks/")
    expect(page.locator("main")).to_contain_text("No open tasks here.")
