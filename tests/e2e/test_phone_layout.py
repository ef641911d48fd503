"""Every page a supervisor reaches (the risk pages of a high-risk case among them), at a small
laptop's width (1366 × 768) and a phone's (390 × 844): axe-core finds no serious or critical
violation, and on the phone no page is wider than the screen and the header leaves the page room."""

import pytest

from concord.accounts.models import Role
from concord.consent import services as consent_services
from concord.risk import catalogue
from concord.risk import services as risk_services
from concord.risk.services import BeforeQuestions
from concord.testing.factories import make_actor, make_agency, make_case, share_with

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _width(page) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def _widest(page) -> list[str]:
    """The innermost elements that reach past the screen's edge, to say what to fix."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                         + (e.textContent || '').trim().slice(0, 40))""")


def _pages(area, advocacy, police):
    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    probation = make_agency(area, "probation", "Northshire Probation Service (Offender Management)")
    case = make_case(supervisor, phone="07700 900123")
    share_with(supervisor, case, police)
    consent_services.override_authorise(actor=supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="Offender manager needs the incident history before the review")
    ref, survivor = case.reference, case.survivor_id
    contact = case.survivor.contact_points.get()
    incident, need = case.incidents.get(), case.needs.get()
    # A high-risk case: the risk section with reasons, her words, tasks; the assessment's own page.
    answers = {item.id: "yes" for item in catalogue.instrument("checklist").scored_items[:16]}
    assessment = risk_services.assessment_record(
        actor=supervisor, case=case, instrument_id="checklist", answers=answers, her_view="very",
        her_words="That he will find me", before=BeforeQuestions(safe_to_talk="yes", channel="phone"))
    pages = ["/", "/search/", "/search/?q=Khan", "/cases/new/", "/overrides/", "/approvals/",
             "/accounts/2fa/", "/accounts/password/change/"]
    pages += [f"/cases/{ref}/{tail}" for tail in (
        "", "timeline/", "worker/", "seen-by/", "sharing/", "export/", "summary.pdf", "incidents/new/",
        f"incidents/{incident.pk}/", "needs/new/", f"needs/{need.pk}/", "consent/new/", "overrides/new/",
        "protected/share/", "locations/new/", "restriction/", "people/new/", f"people/{survivor}/",
        f"people/{survivor}/contacts/new/", f"people/{survivor}/contacts/{contact.pk}/safety/",
        "risk/", f"risk/assessments/{assessment.pk}/", "risk/judgement/", "risk/assess/checklist/",
        "risk/assess/lethality_screen/")]
    return supervisor, pages


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_page_is_accessible_and_fits_the_screen(signed_in_page, live_server, area, advocacy, police,
                                                      assert_no_serious_axe_violations, viewport):
    supervisor, pages = _pages(area, advocacy, police)
    page = signed_in_page(supervisor.user)
    page.set_viewport_size(viewport)
    too_wide, not_shown = {}, {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        if path.endswith("summary.pdf"):
            # Without a purpose the PDF is not made: the summary page says what is missing (422).
            assert response.status == 422 and page.locator(".error-summary").is_visible()
        elif response.status != 200:
            not_shown[path] = response.status
            continue
        assert_no_serious_axe_violations(page)
        if (width := _width(page)) > viewport["width"]:
            too_wide[path] = (width, _widest(page))
    assert not not_shown, f"pages that did not open: {not_shown}"
    assert not too_wide, f"wider than {viewport['width']} px: {too_wide}"

    if viewport is PHONE:
        page.goto(f"{live_server.url}/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= PHONE["height"] / 6, f"the header takes {header['height']} px of {PHONE['height']}"


def _conference_pages(who: str):
    """The conference pages as the coordinator (before release: scheduling, building, reordering), the
    chair (released: attendance, an item with research, the discussion and actions) or an action's
    owner (its action page) sees them."""
    import datetime

    from django.utils import timezone

    from concord.conferences import services
    from concord.conferences.services import ActionDetails, ResearchDetails
    from concord.testing.conferences import conference

    setup = conference(cases=2, release=who != "coordinator")
    meeting, referral = setup.meeting, setup.referrals[0]
    pages = ["/conferences/", f"/conferences/{meeting.pk}/"]
    if who == "coordinator":
        return setup.coordinator, pages
    services.research_record(actor=setup.advocate, referral=referral, details=ResearchDetails(
        involvement="Weekly support", her_views="She wants to stay in her home"))
    action = services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
        owner_agency=setup.probation.agency, description="Check licence conditions",
        due_at=timezone.now() + datetime.timedelta(days=14)))
    if who == "chair":
        return setup.police, pages + [f"/conferences/{meeting.pk}/items/{referral.pk}/"]
    return setup.probation, ["/tasks/", f"/conferences/actions/{action.pk}/",
                             f"/conferences/{meeting.pk}/items/{referral.pk}/"]


@pytest.mark.parametrize("who", ["coordinator", "chair", "owner"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_conference_pages_are_accessible_and_fit_the_screen(signed_in_page, live_server,
                                                                assert_no_serious_axe_violations, viewport, who):
    actor, pages = _conference_pages(who)
    page = signed_in_page(actor.user)
    page.set_viewport_size(viewport)
    too_wide, not_shown = {}, {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        if response.status != 200:
            not_shown[path] = response.status
            continue
        assert_no_serious_axe_violations(page)
        if (width := _width(page)) > viewport["width"]:
            too_wide[path] = (width, _widest(page))
    assert not not_shown, f"pages that did not open: {not_shown}"
    assert not too_wide, f"wider than {viewport['width']} px: {too_wide}"
