"""Authorization matrix for the API: every role × every operation on case data × every situation an
agency can be in. Reads answer exactly 200 or 404; writes to a case the caller may not see answer 404;
lists show the case exactly when it is visible; protected values never appear in any response."""

import json

import pytest
from django.test import Client

from concord.accounts.models import ServiceToken
from concord.api.tests.test_access_rule import OPERATIONS, request_for

from .scenarios import PROTECTED_VALUES, ROLES, SCENARIOS


def api_client(actor) -> Client:
    _, raw = ServiceToken.issue(membership=actor.membership, name="matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def call(client, method, url, body):
    if body is None:
        return client.generic(method.upper(), url)
    return client.generic(method.upper(), url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_role_and_operation_answers_as_the_access_rule_says(situation, scenario):
    case = situation.case
    for role in ROLES:
        client = api_client(situation.actor(role))
        visible = situation.expects(role)
        for method, path in OPERATIONS:
            if method != "get" and visible:
                continue  # writes by entitled callers are the resource tests' business
            url, body = request_for(method, path, case, situation.agency)
            response = call(client, method, url, body)
            expected = (200 if visible else 404) if method == "get" else 404
            assert response.status_code == expected, (scenario, role, method, url, response.content[:200])
            leaked = [value for value in PROTECTED_VALUES if value.encode() in response.content]
            assert not leaked, (scenario, role, method, url, leaked)
        listing = client.get("/api/v1/cases").json()
        references = {item["reference"] for item in listing["items"]}
        assert (case.reference in references) is visible, (scenario, role)
        people = client.get("/api/v1/people").content
        assert (case.survivor.family_name.encode() in people) is visible, (scenario, role)
