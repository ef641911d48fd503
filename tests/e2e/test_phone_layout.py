"""At a phone's width (390 × 844) no page is wider than the screen, and the header leaves the page
room: a worker reads a case on her phone without scrolling sideways."""

import pytest

from concord.accounts.models import Role
from concord.consent import services as consent_services
from concord.testing.factories import make_actor, make_agency, make_case, share_with

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def _width(page) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def _widest(page) -> list[str]:
    """The innermost elements that reach past the screen's edge, to say what to fix."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                         + (e.textContent || '').trim().slice(0, 40))""")


def test_no_page_is_wider_than_a_phone(signed_in_page, live_server, area, advocacy, police,
                                       assert_no_serious_axe_violations):
    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    probation = make_agency(area, "probation", "Northshire Probation Service (Offender Management)")
    case = make_case(supervisor, phone="07700 900123")
    share_with(supervisor, case, police)
    consent_services.override_authorise(actor=supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="Offender manager needs the incident history before the review")
    page = signed_in_page(supervisor.user)
    ref = case.reference
    pages = ["/", "/search/", f"/cases/{ref}/", f"/cases/{ref}/seen-by/", f"/cases/{ref}/sharing/",
             "/overrides/", f"/cases/{ref}/incidents/new/", f"/cases/{ref}/consent/new/", "/cases/new/",
             f"/cases/{ref}/overrides/new/", f"/cases/{ref}/people/{case.survivor_id}/"]
    too_wide = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        if (width := _width(page)) > PHONE["width"]:
            too_wide[path] = (width, _widest(page))
    page.goto(f"{live_server.url}/search/")
    page.locator("#q").fill("Khan")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("text=" + ref)
    if (width := _width(page)) > PHONE["width"]:
        too_wide["search results"] = width
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"

    page.goto(f"{live_server.url}/cases/{ref}/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= PHONE["height"] / 6, f"the header takes {header['height']} px of {PHONE['height']}"
    assert_no_serious_axe_violations(page)
