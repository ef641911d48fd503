"""The OpenAPI document is valid 3.1 and complete, and the docs page works under the CSP."""

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from concord.api.urls import api
from concord.testing.factories import login

from .conftest import ApiClient

# Through JSON, as a client reads it (status codes become string keys).
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
OPERATIONS = [(method, path, operation) for path, methods in SCHEMA["paths"].items()
              for method, operation in methods.items()]


def test_schema_is_valid_openapi_3_1():
    assert SCHEMA["openapi"].startswith("3.1")
    assert SCHEMA["info"]["title"] == "Concord API"
    errors = [error.message for error in OPENAPI_31_VALIDATOR.iter_errors(SCHEMA)]
    assert errors == []


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_declares_its_error_responses(method, path, operation):
    declared = set(operation["responses"])
    expected = {"401", "422"}
    if "{" in path:
        expected.add("404")
    if method in {"post", "patch"}:
        expected |= {"400", "403"}  # a body that is not JSON; a failed CSRF check of a session
    if method == "patch":
        expected.add("409")
    assert expected <= declared
    assert operation["security"], "every operation needs authentication"


def test_no_contact_point_or_location_anywhere_in_the_schema():
    # Protected details are never served by the API, not even their kinds.
    assert "contact_points" not in SCHEMA["components"]["schemas"]["PersonOut"]["properties"]
    text = json.dumps(SCHEMA).lower()
    assert "contactpoint" not in text and "locations" not in text


def test_schema_is_served_to_an_authenticated_caller_only(advocate_api):
    assert ApiClient().call("get", "/openapi.json").status_code == 401
    response = advocate_api.call("get", "/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == SCHEMA["paths"].keys()


def test_docs_page_works_for_a_signed_in_user_under_the_csp(advocate):
    client = ApiClient()
    assert client.call("get", "/docs").status_code == 401
    login(client, advocate)
    response = client.call("get", "/docs")
    assert response.status_code == 200, response.content
    html = response.content.decode()
    # Every script is our own static file: nothing from a CDN, and no inline script the CSP would block.
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '"validatorUrl": null' in html


def test_the_docs_page_sends_a_person_signed_out_to_sign_in_and_a_program_gets_401():
    browser = ApiClient().call("get", "/docs", headers={"Accept": "text/html,application/xhtml+xml"})
    assert browser.status_code == 302 and browser["Location"].startswith("/accounts/login/?next=")
    assert "/api/v1/docs" in browser["Location"]
    assert ApiClient().call("get", "/docs", headers={"Accept": "application/json"}).status_code == 401


def test_a_path_typed_with_a_trailing_slash_is_sent_to_the_path_without(advocate_api):
    response = advocate_api.call("get", "/cases/?page_size=5")
    assert response.status_code == 308 and response["Location"] == "/api/v1/cases?page_size=5"
    assert advocate_api.call("get", response["Location"]).status_code == 200
