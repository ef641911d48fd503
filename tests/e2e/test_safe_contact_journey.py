"""A frontline journey in a real browser: she tells her advocate that he reads her old phone, and
gives a new number. The advocate corrects her record: adds the new number as safe, marks the old one
not safe with why, and records her previous name; a police officer sharing the case sees none of it,
not even on the timeline that her contact details changed."""

from playwright.sync_api import expect

from concord.testing.factories import make_actor, make_case, share_with

from .conftest import sign_in_on

OLD_PHONE = "07700 900111"
NEW_PHONE = "07700 900222"


def test_marking_a_number_not_safe_and_adding_a_new_one(browser, live_server, advocacy, police, signed_in_page,
                                                        assert_no_serious_axe_violations):
    advocate = make_actor(advocacy)
    officer = make_actor(police)
    case = make_case(advocate, phone=OLD_PHONE)
    share_with(advocate, case, police)
    case_url = f"{live_server.url}/cases/{case.reference}/"

    page = signed_in_page(advocate.user)
    page.goto(case_url)
    page.get_by_role("link", name="Add a contact number or e-mail").click()
    page.get_by_label("Kind").select_option("mobile")
    page.get_by_label("Number or e-mail address").fill(NEW_PHONE)
    page.get_by_label("Does the survivor say it is safe to use?").select_option("yes")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#protected-h + ul")).to_contain_text(NEW_PHONE)

    old = page.locator("#protected-h + ul li", has_text=OLD_PHONE)
    old.get_by_label("Why (optional)").fill("He has access to this phone")
    old.get_by_role("button", name="Mark not safe").click()
    old = page.locator("#protected-h + ul li.not-safe")
    expect(old).to_contain_text("NOT safe to use")
    expect(old).to_contain_text("He has access to this phone")
    # Flagged at the top of the case and masked; in full only when asked for.
    expect(page.locator(".not-safe-flag")).to_contain_text("••• ••• •111")
    expect(old.locator(".full-value")).to_be_hidden()
    old.get_by_text("Show it in full").click()
    expect(old.locator(".full-value")).to_have_text(OLD_PHONE)
    expect(old.locator(".full-value")).to_be_visible()
    assert_no_serious_axe_violations(page)

    # Un-flagging it is not one careless click: a reason and a confirmation, or nothing changes.
    old.get_by_role("link", name="She said it is safe again").click()
    page.get_by_role("button", name="Mark safe to use again").click()
    expect(page.locator(".error-summary")).to_contain_text("Write why it is safe to use again")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator(".not-safe-flag")).to_be_visible()

    page.get_by_role("link", name="Edit her details").click()
    page.locator("#id_alias_name").fill("Amina Begum")
    page.get_by_label("Kind of name").select_option("previous_name")
    page.get_by_role("button", name="Add name").click()
    page.goto(case_url)
    expect(page.locator(".case-header")).to_contain_text("Amina Begum")

    # The officer shares the case but not her contact details: none of it reaches their screen.
    other = browser.new_context()
    officer_page = other.new_page()
    sign_in_on(officer_page, live_server, officer.user)
    officer_page.goto(case_url)
    body = officer_page.content()
    assert "900111" not in body and "900222" not in body and "access to this phone" not in body
    expect(officer_page.locator("#timeline")).to_contain_text("Case opened")
    expect(officer_page.locator("#timeline")).not_to_contain_text("Protected information")
    other.close()
