"""Authorization matrix for the API: every role × every operation on case data × every situation an
agency can be in. Reads answer exactly 200, 403 (a facet the caller's access does not include) or 404;
writes to a case the caller may not see answer 404; lists show the case exactly when it is visible;
fields of a facet not held are null and named in `withheld`; protected values never appear, nor her
words from a risk assessment to a caller without her risk answers."""

import json

import pytest
from django.test import Client

from concord.api.tests.test_access_rule import OPERATIONS, request_for
from concord.testing.factories import make_token

from .scenarios import HER_RISK_WORDS, NARRATIVE, PROTECTED_VALUES, ROLES, SCENARIOS

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
