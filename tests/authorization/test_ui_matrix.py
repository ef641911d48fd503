"""Authorization matrix for the staff UI: every role × every case view × every situation an agency
can be in. Asserts exactly who gets 200, 403 (may see the case but not do this) and 404 (may not see
it), and that her protected information never appears in a page where it must not."""

import pytest
from django.urls import reverse

from concord.testing.factories import login

from .scenarios import PHONE, REFUGE, ROLES, SCENARIOS, build

# (url name, extra args builder, what the view needs beyond seeing the case)
GET_VIEWS = [
    ("web:case", lambda c: [], "view"),
    ("web:timeline", lambda c: [], "view"),
    ("web:incident_add", lambda c: [], "view"),
    ("web:incident_edit", lambda c: [c.incidents.first().pk], "view"),
    ("web:need_add", lambda c: [], "view"),
    ("web:need_edit", lambda c: [c.needs.first().pk], "view"),
    ("web:person_add", lambda c: [], "view"),
    ("web:consent_add", lambda c: [], "view"),
    ("web:location_add", lambda c: [], "protected"),
    ("web:protected_grant_add", lambda c: [], "manage"),
    ("web:restriction", lambda c: [], "manage"),
    ("web:who_has_seen", lambda c: [], "manage"),
    ("web:override_add", lambda c: [], "override"),
]
POST_VIEWS = ["web:agency_add", "web:case_close", "web:case_reopen", "web:conflict_declare"]


def expected_status(situation, role, needs) -> int:
    if not situation.expects(role):
        return 404
    allowed = {
        "view": True,
        "protected": situation.protected,
        "manage": situation.manages,
        "override": situation.manages and role == "supervisor",
    }[needs]
    return 200 if allowed else 403


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_role_gets_exactly_what_the_access_rule_allows(client, area, scenario):
    situation = build(scenario, area)
    case = situation.case
    for role in ROLES:
        actor = situation.actor(role)
        login(client, actor)
        for name, extra, needs in GET_VIEWS:
            url = reverse(name, args=[case.reference, *extra(case)])
            response = client.get(url)
            expected = expected_status(situation, role, needs)
            assert response.status_code == expected, (scenario, role, url, response.status_code)
            body = response.content.decode()
            if not (situation.protected and situation.expects(role)):
                assert PHONE not in body and REFUGE not in body, (scenario, role, url)
        page = client.get(reverse("web:case", args=[case.reference])).content.decode()
        if situation.expects(role):
            assert (REFUGE in page) is situation.protected, (scenario, role)
            assert ("Withheld." in page) is not situation.protected, (scenario, role)
        if not situation.expects(role):
            for name in POST_VIEWS:
                url = reverse(name, args=[case.reference])
                assert client.post(url, {"version": case.version}).status_code == 404, (scenario, role, url)
        # Lists and search show the case exactly when it is visible, and never a location.
        for listing in (reverse("web:home"), reverse("web:search") + "?q=Khan"):
            body = client.get(listing).content.decode()
            assert (reverse("web:case", args=[case.reference]) in body) is situation.expects(role), \
                (scenario, role, listing)
            assert REFUGE not in body and PHONE not in body
