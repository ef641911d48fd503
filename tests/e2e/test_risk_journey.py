"""Issue 15's journey in a real browser: the advocate completes the checklist with 14 "yes" (some by
keyboard), the case moves to high with its reasons, the follow-up tasks show with deadlines and her
words show beside the score; the case list shows the level; a probation officer on the same case sees
"high" and why, and none of her answers. Axe on the assessment screen and the case page, at laptop
and phone widths."""

from playwright.sync_api import expect

from concord.accounts.models import Role, Sector
from concord.risk import catalogue
from concord.testing.factories import make_actor, make_agency, make_case, share_with

from .conftest import sign_in_on

HER_WORDS = "That he will find out where I live now"
# Items whose "yes" is an escalation rule of its own: left "no", so the score alone makes it high.
ESCALATING = {"separation", "pregnancy", "stalking", "breaches"}


def test_checklist_to_high_risk_and_what_probation_sees(browser, live_server, advocacy, area, signed_in_page,
                                                        assert_no_serious_axe_violations):
    advocate = make_actor(advocacy, role=Role.PRACTITIONER)
    probation = make_actor(make_agency(area, Sector.PROBATION, "Probation Service"), role=Role.PRACTITIONER)
    case = make_case(advocate)
    share_with(advocate, case, probation.agency)
    case_url = f"{live_server.url}/cases/{case.reference}/"
    items = [item for item in catalogue.instrument("checklist").scored_items if item.id not in ESCALATING]

    page = signed_in_page(advocate.user)
    page.goto(case_url)
    expect(page.locator("#risk")).to_contain_text("Not assessed")
    page.get_by_role("link", name="Risk identification checklist").click()
    expect(page.locator("h1")).to_have_text("Risk identification checklist")
    assert_no_serious_axe_violations(page)
    page.locator("fieldset[data-field=safe_to_talk]").get_by_label("Yes: free to talk now").check()
    page.locator("fieldset[data-field=channel]").get_by_label("In person").check()
    # The first two by keyboard: focus the question's answers, one key answers it.
    for item in items[:2]:
        page.locator(f"fieldset[data-field={item.id}] input[value=not_answered]").focus()
        page.keyboard.press("y")
    expect(page.locator(f"fieldset[data-field={items[0].id}] input[value=yes]")).to_be_checked()
    expect(page.locator("[data-progress]")).to_contain_text("2 of 23 questions answered")
    page.locator(f"fieldset[data-field={items[2].id}] input[value=not_answered]").focus()
    page.keyboard.press("d")
    expect(page.locator(f"fieldset[data-field={items[2].id}] input[value=dont_know]")).to_be_checked()
    for item in items[2:15]:
        page.locator(f"fieldset[data-field={item.id}] input[value=yes]").check()
    expect(page.locator("[data-progress]")).to_contain_text("15 of 23 questions answered")
    page.locator(f"fieldset[data-field={items[14].id}] input[value=no]").check()  # 14 "yes" in all
    page.locator("fieldset[data-field=her_view]").get_by_label("In great danger").check()
    page.get_by_label("Her fears, in her own words").fill(HER_WORDS)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_axe_violations(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="Save and score").click()

    expect(page.locator(".messages")).to_contain_text("The case's risk level is now High")
    risk = page.locator("#risk")
    expect(risk.locator(".risk-level")).to_contain_text("High")
    expect(risk.locator(".risk-reasons")).to_contain_text("14 of 23 “yes”")
    expect(risk.locator(".her-words")).to_contain_text(HER_WORDS)
    tasks = page.locator("#tasks")
    for task in ("Specialist advocate to make contact", "Refer to the multi-agency risk conference",
                 "Review the safety plan"):
        expect(tasks).to_contain_text(task)
    expect(tasks).to_contain_text("Due")
    assert_no_serious_axe_violations(page)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#high-risk-h")).to_be_visible()
    expect(page.locator("#case-list")).to_contain_text("High")

    # The probation officer, in a browser of their own.
    other = browser.new_context()
    officer_page = other.new_page()
    sign_in_on(officer_page, live_server, probation.user)
    officer_page.goto(case_url)
    officer_risk = officer_page.locator("#risk")
    expect(officer_risk.locator(".risk-level")).to_contain_text("High")
    expect(officer_risk.locator(".risk-reasons")).to_contain_text("14 of 23 “yes”")
    assert HER_WORDS not in officer_page.content()
    expect(officer_risk.get_by_role("link", name="Risk identification checklist")).to_have_count(0)
    officer_page.get_by_role("link", name="Assessments and the level over time").click()
    expect(officer_page.locator("h1")).to_contain_text("Risk")
    assert HER_WORDS not in officer_page.content()
    expect(officer_page.get_by_role("link", name="Risk identification checklist (version 1): 14 of 23 “yes”")
           ).to_have_count(0)
    other.close()
