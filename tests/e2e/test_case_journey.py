"""The main journey in a real browser: sign in, open a case through intake, add an incident, find the
case again by search, open its timeline — and the pages on the way have no serious accessibility
violation."""

from playwright.sync_api import expect

from concord.accounts.models import Role
from concord.testing.factories import make_actor


def test_new_user_opens_a_case_adds_an_incident_and_finds_it_again(signed_in_page, advocacy,
                                                                   assert_no_serious_axe_violations):
    actor = make_actor(advocacy, role=Role.PRACTITIONER)
    page = signed_in_page(actor.user)
    expect(page.get_by_text("Acting for")).to_contain_text(advocacy.name)
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="New case").first.click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Given name").first.fill("Esperanza")
    page.get_by_label("Family name").first.fill("Quintero")
    page.get_by_label("Date of birth").first.fill("1985-09-30")
    page.get_by_label("Mobile number").fill("07700 900555")
    page.locator("#id_occurred_on").fill("2026-11-20")
    page.get_by_label("Stalking").check()
    page.get_by_label("Harassment").check()
    page.get_by_label("What happened").fill("He waits outside her work every evening.")
    page.get_by_label("What the survivor needs, in their own words").fill("I need to get to work safely")
    page.locator("#id_harm_given_name").fill("Victor")
    page.get_by_role("button", name="Open case").click()

    expect(page.locator("h1")).to_contain_text("Esperanza Quintero")
    reference = page.locator("h1 .hint").inner_text().strip()
    expect(page.locator(".messages")).to_contain_text(f"Case {reference} opened")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Record an incident").click()
    page.locator("#id_occurred_on").fill("2026-11-23")
    page.get_by_label("Physical assault").check()
    page.get_by_label("Strangulation or choking").select_option("yes")
    page.get_by_label("Victor").check()
    page.get_by_role("button", name="Save incident").click()
    expect(page.locator(".messages")).to_contain_text("Incident recorded")

    page.get_by_role("link", name="Find a case").click()
    page.get_by_label("Name, other name, date of birth").fill("quintero")
    page.get_by_role("button", name="Search").click()
    result = page.get_by_role("link", name=reference)
    expect(result).to_be_visible()
    assert_no_serious_axe_violations(page)
    result.click()

    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Incident: Physical assault")
    expect(timeline).to_contain_text("Incident: Stalking, Harassment")
    expect(timeline).to_contain_text("Case opened")
    # Newest first: the assault of the 23rd above the stalking of the 20th.
    text = timeline.inner_text()
    assert text.index("Physical assault") < text.index("Stalking, Harassment")
