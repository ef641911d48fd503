"""Authorization matrix for the API: every role × every operation on case data × every situation an
agency can be in. Reads answer exactly 200, 403 (a facet the caller's access does not include) or 404;
writes to a case the caller may not see answer 404; lists show the case exactly when it is visible;
fields of a facet not held are null and named in `withheld`; protected values never appear, nor her
words from a risk assessment to a caller without her risk answers."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from concord.accounts.models import Role
from concord.api.tests.test_access_rule import OPERATIONS, SCHEMA, request_for
from concord.testing import conferences as c
from concord.testing.conferences import conference, held_meeting
from concord.testing.documents import pdf_text
from concord.testing.factories import make_agency, make_area, make_service_account, make_token

from .scenarios import CASEWORK, HER_RISK_WORDS, NARRATIVE, PROTECTED_VALUES, ROLES, SCENARIOS

# Operations that read one facet of the case, beyond its core record.
FACET_OF_PATH = {"/api/v1/cases/{reference}/needs": "needs", "/api/v1/cases/{reference}/needs/{need_id}": "needs",
                 "/api/v1/cases/{reference}/needs/{need_id}/notes": "needs",
                 "/api/v1/cases/{reference}/incidents/{incident_id}/notes": "incident_narratives",
                 "/api/v1/cases/{reference}/safety-plan": "safety_plan",
                 "/api/v1/cases/{reference}/contact-rules": "contact_channels"}


def api_client(actor) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_token(actor, name='matrix')[1]}"})


def call(client, method, url, body):
    if body is None:
        return client.generic(method.upper(), url)
    return client.generic(method.upper(), url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_role_and_operation_answers_as_the_access_rule_says(situation, scenario):
    case = situation.case
    for role in ROLES:
        client = api_client(situation.actor(role, service_account=True))
        visible = situation.expects(role)
        for method, path in OPERATIONS:
            if method != "get" and visible:
                continue  # writes by entitled callers are the resource tests' business
            url, body = request_for(method, path, case, situation.agency)
            response = call(client, method, url, body)
            expected = (200 if visible else 404) if method == "get" else 404
            if expected == 200 and path in FACET_OF_PATH and not situation.holds(role, FACET_OF_PATH[path]):
                expected = 403
            assert response.status_code == expected, (scenario, role, method, url, response.content[:200])
            if expected == 200 and path.endswith("/incidents"):
                (incident,) = [i for i in response.json()["items"] if i["id"] == case.incidents.get().pk]
                holds = situation.holds(role, "incident_narratives")
                assert (incident["narrative"] == NARRATIVE) is holds, (scenario, role, incident)
                assert ("narrative" in incident["withheld"]) is not holds, (scenario, role, incident)
            if expected == 200 and path == "/api/v1/cases/{reference}":
                detail = response.json()
                assert set(detail["facets"]) == set(situation.facets), (scenario, role, detail["facets"])
                assert (detail["need_count"] is None) is not situation.holds(role, "needs"), (scenario, role)
            leaked = [value for value in PROTECTED_VALUES if value.encode() in response.content]
            assert not leaked, (scenario, role, method, url, leaked)
            # Her words from a risk assessment: only in a body for a caller holding her answers.
            if HER_RISK_WORDS.encode() in response.content:
                assert situation.holds(role, "risk_answers"), (scenario, role, method, url)
        listing = client.get("/api/v1/cases").json()
        references = {item["reference"] for item in listing["items"]}
        assert (case.reference in references) is visible, (scenario, role)
        people = client.get("/api/v1/people").content
        assert (case.survivor.family_name.encode() in people) is visible, (scenario, role)


# --- Conferences: every role of every agency × every operation of /conferences ------------------------

CONFERENCE_PATHS = sorted((method, path) for path, methods in SCHEMA["paths"].items() for method in methods
                          if path.startswith("/api/v1/conferences/{meeting_id}"))
CONFERENCE_BODIES = {
    ("post", "/api/v1/conferences/{meeting_id}/research"): lambda s, agency: {
        "referral_id": s.referrals[0].pk, "involvement": "Matrix research",
        "version": getattr(s.referrals[0].research.filter(agency=agency).first(), "version", 0)},
    ("post", "/api/v1/conferences/{meeting_id}/actions"): lambda s, agency: {
        "referral_id": s.referrals[0].pk, "owner_agency": s.police.agency.pk, "description": "Matrix action",
        "due_at": (timezone.now() + datetime.timedelta(days=9)).isoformat()},
}
# The agencies of a conference (concord.testing.conferences): invited ones, the coordinating agency
# (not invited: its conference coordinators read by the coordination basis), one of the area not
# invited, and one of another area.
CONFERENCE_AGENCIES = ["advocate", "police", "probation", "coordinator", "uninvited", "elsewhere"]
# The casework roles, and one without casework for all the others (they answer alike: no casework, 404).
CONFERENCE_ROLES = sorted(CASEWORK) + [Role.ADMINISTRATOR]


def _conference_agency(setup, name):
    if name == "elsewhere":
        return make_agency(make_area(name="Southshire", code="sth"), "police")
    return getattr(setup, name).agency


def _conference_expected(agency_name, role, method, path, closed):
    invited = agency_name in {"advocate", "police", "probation"}
    # The series' coordinating agency's conference coordinators coordinate its meetings
    # (concord.policy.coordinates) and read the agenda's cases by the coordination basis.
    coordinates = role == Role.CONFERENCE_COORDINATOR and agency_name == "coordinator"
    if role not in CASEWORK or not (invited or coordinates):
        return 404
    if path.endswith("/minutes"):
        return 200 if closed else 403
    if method == "post" and path.endswith("/actions"):
        # The chair (a person, not this service account) or the coordinator, while it is open.
        return 201 if coordinates and not closed else 403
    if method == "post" and path.endswith("/research"):
        return 200 if invited and not closed else 403
    return 200


def test_every_conference_operation_is_in_the_matrix():
    assert len(CONFERENCE_PATHS) >= 7
    unsafe = {(m, p) for m, p in CONFERENCE_PATHS if m != "get"}
    assert unsafe == set(CONFERENCE_BODIES)


@pytest.mark.django_db
@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_every_role_and_conference_operation_answers_as_the_access_rule_says(closed):
    setup = held_meeting() if closed else conference()
    for agency_name in CONFERENCE_AGENCIES:
        agency = _conference_agency(setup, agency_name)
        for role in CONFERENCE_ROLES:
            client = api_client(make_service_account(agency, role))
            listing = client.get("/api/v1/conferences").json()
            sees = _conference_expected(agency_name, role, "get", "", closed) == 200
            assert (listing["count"] == 1) is sees, (agency_name, role, listing)
            for method, path in CONFERENCE_PATHS:
                url = path.replace("{meeting_id}", str(setup.meeting.pk))
                body = CONFERENCE_BODIES[(method, path)](setup, agency) if method != "get" else None
                response = call(client, method, url, body)
                expected = _conference_expected(agency_name, role, method, path, closed)
                assert response.status_code == expected, (agency_name, role, method, path, response.content[:200])
                for never in (c.PHONE, c.REFUGE):
                    assert never.encode() not in response.content, (agency_name, role, path)
                if agency_name == "probation" and response.status_code == 200:
                    body_text = pdf_text(response.content) if path.endswith("/minutes") else response.content.decode()
                    assert c.HER_VIEWS not in body_text, (role, path)
