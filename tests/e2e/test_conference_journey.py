"""Issue 17's journey in a real browser: the coordinator builds the meeting's agenda from the waiting
high-risk cases and releases it; the police and the advocacy service add research; the chair records
the discussion, agrees an action for probation, records attendance and closes the meeting; probation
sees the action as a task and downloads its own redacted minutes (its action, the shared summary,
never another agency's research); the coordinator reads the figures. Axe on each page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from concord.accounts.models import Role
from concord.conferences.models import ConferenceReferral
from concord.testing.conferences import conference
from concord.testing.documents import pdf_text
from concord.testing.factories import make_actor

POLICE_RESEARCH = "Three call-outs to her address since June"
HER_VIEWS = "She wants to stay at home with better locks"
SUMMARY = "Escalating abuse; agencies agreed a joint plan."
ACTION = "Check his licence conditions and tell the police of any breach"


def test_a_conference_from_agenda_to_minutes(live_server, signed_in_page, assert_no_serious_axe_violations):
    setup = conference(cases=2, build=False)
    meeting_url = f"{live_server.url}/conferences/{setup.meeting.pk}/"

    page = signed_in_page(setup.coordinator.user)
    page.goto(f"{live_server.url}/conferences/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=setup.meeting.held_at.astimezone(timezone.get_current_timezone()).strftime(
        "%-d %b %Y")).first.click()
    page.get_by_role("button", name="Build the agenda from the waiting referrals").click()
    for case in setup.cases:
        expect(page.locator("main")).to_contain_text(case.reference)
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Release the agenda").click()
    expect(page.locator("main")).to_contain_text("Agenda released")
    first = ConferenceReferral.objects.get(case=setup.cases[0])
    item_url = f"{meeting_url}items/{first.pk}/"

    page.context.clear_cookies()
    page = signed_in_page(setup.advocate.user)
    page.goto(item_url)
    page.get_by_label("Your agency's involvement with her").fill("Weekly calls with her IDVA")
    page.get_by_label("Her views and wishes, as she gave them to you").fill(HER_VIEWS)
    page.get_by_role("button", name="Save your research").click()
    expect(page.locator("#research-h ~ *").first).to_be_visible()

    page.context.clear_cookies()
    page = signed_in_page(setup.police.user)  # invited, and the chair
    page.goto(item_url)
    page.get_by_label("Your agency's involvement with her").fill(POLICE_RESEARCH)
    page.get_by_role("button", name="Save your research").click()
    expect(page.locator("main")).to_contain_text(HER_VIEWS)  # the meeting reads the advocate's research
    assert_no_serious_axe_violations(page)
    page.get_by_label("Summary of the discussion").fill(SUMMARY)
    page.get_by_role("button", name="Save the summary").click()
    page.get_by_label("Agency responsible").select_option(label=setup.probation.agency.name)
    page.get_by_label("What is to be done").fill(ACTION)
    page.get_by_label("Due by").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Agree the action").click()
    expect(page.locator("main")).to_contain_text(ACTION)
    page.goto(meeting_url)
    for agency in setup.meeting.invited.all():
        page.get_by_role("group", name=agency.name).get_by_label("Attended").check()
    page.get_by_role("button", name="Record attendance").click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.locator("main")).to_contain_text("Closed")

    page.context.clear_cookies()
    page = signed_in_page(setup.probation.user)
    expect(page.get_by_role("link", name="Conference action")).to_be_visible()  # on the home page
    page.goto(f"{live_server.url}/tasks/")
    page.get_by_role("link", name="Conference action").click()
    expect(page.locator("main")).to_contain_text(ACTION)
    assert_no_serious_axe_violations(page)
    page.goto(meeting_url)
    minutes = page.request.get(f"{meeting_url}minutes.pdf")
    assert minutes.status == 200 and minutes.headers["content-type"] == "application/pdf"
    text = pdf_text(minutes.body())
    assert SUMMARY in text and ACTION in text
    assert POLICE_RESEARCH not in text and HER_VIEWS not in text

    page.context.clear_cookies()  # the partnership lead (a first sign-in: a TOTP code is good once)
    page = signed_in_page(make_actor(setup.uninvited.agency, Role.PARTNERSHIP_LEAD).user)
    page.goto(f"{live_server.url}/conferences/figures/")
    expect(page.locator("main")).to_contain_text("Cases discussed")
    assert_no_serious_axe_violations(page)
