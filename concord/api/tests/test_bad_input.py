"""Bad input is refused with a 4xx that says what is wrong, and is never a 500 (the test client
re-raises any server error, so a 500 fails these tests loudly)."""

import json

import pytest

from concord.cases.models import Case

GOOD_SURVIVOR = {"given_name": "Bea"}


def intake(**changes):
    return {"survivor": {**GOOD_SURVIVOR, **changes.pop("survivor", {})}, **changes}


BAD_INTAKES = {
    "huge name": intake(survivor={"given_name": "x" * 100_000}),
    "NUL in a name": intake(survivor={"given_name": "Be\x00a"}),
    "empty name": intake(survivor={"given_name": "   "}),
    "impossible date": intake(survivor={"date_of_birth": "2026-02-30"}),
    "date in words": intake(survivor={"date_of_birth": "yesterday"}),
    "date as a number": intake(survivor={"date_of_birth": 0}),
    "date with a time": intake(survivor={"date_of_birth": "1990-01-01T00:00:00"}),
    "date of birth before 1900": intake(survivor={"date_of_birth": "1850-01-01"}),
    "future date of birth": intake(survivor={"date_of_birth": "2999-01-01"}),
    "unknown choice": intake(survivor={"ethnicity": "martian"}),
    "age as text": intake(survivor={"estimated_age": "30"}),
    "age too high": intake(survivor={"estimated_age": 10**30}),
    "age negative": intake(survivor={"estimated_age": -1}),
    "survivor as a list": {"survivor": ["Bea"]},
    "survivor id as text": {"survivor_id": "1"},
    "survivor id huge": {"survivor_id": 10**40},
    "unknown field": intake(favourite_colour="red"),
    "too many needs": intake(needs=[{"in_her_words": "x", "category": "safety"}] * 21),
    "incident without type": intake(first_incident={"occurred_on": "2026-01-01", "violence_types": []}),
    "incident time with offset": intake(first_incident={"occurred_on": "2026-01-01", "occurred_at_time": "10:00+01:00",
                                                        "violence_types": ["stalking"]}),
    "incident time nonsense": intake(first_incident={"occurred_on": "2026-01-01", "occurred_at_time": "25:61",
                                                     "violence_types": ["stalking"]}),
    "incident in the future": intake(first_incident={"occurred_on": "2999-01-01", "violence_types": ["stalking"]}),
    "unknown reporting agency": intake(first_incident={"occurred_on": "2026-01-01", "violence_types": ["stalking"],
                                                       "reporting_agency": 987654321}),
    "harm relationship unknown choice": intake(persons_causing_harm=[{"given_name": "D", "relationship": "enemy"}]),
}


@pytest.mark.parametrize("body", BAD_INTAKES.values(), ids=BAD_INTAKES.keys())
def test_bad_intake_is_422_with_the_field_and_saves_nothing(advocate_api, body):
    response = advocate_api.call("post", "/cases", body)
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert errors and all(error["loc"][0] == "body" and error["msg"] for error in errors)
    assert not Case.objects.exists()


RAW_BODIES = {
    "not JSON": b"survivor=Bea",
    "truncated JSON": b'{"survivor": {"given_name": "Be',
    "deeply nested JSON": b"[" * 100_000 + b"]" * 100_000,
    "lone surrogate": b'{"survivor": {"given_name": "\\ud800"}}',
    "invalid UTF-8": b'{"survivor": {"given_name": "\xff\xfe"}}',
    "larger than Django reads": b'{"survivor": {"given_name": "' + b"x" * 3_000_000 + b'"}}',
}


@pytest.mark.parametrize("raw", RAW_BODIES.values(), ids=RAW_BODIES.keys())
def test_unreadable_bodies_are_4xx_json(advocate_api, raw):
    response = advocate_api.post("/api/v1/cases", data=raw, content_type="application/json")
    assert response.status_code in {400, 422}
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


BAD_URLS = [
    "/cases?status=pending", "/cases?lead=everyone", "/cases?updated_within_days=0",
    "/cases?updated_within_days=99999999999999999999", "/cases?q=%00", "/cases?q=" + "a" * 201,
    "/cases?page=0", "/cases?page=99999999999999999999", "/cases?page_size=1000", "/cases?page=two",
    "/cases/%00", "/cases/NTH-2026-00001%27%20OR%201=1", "/cases/" + "A" * 40, "/cases/%C3%A9t%C3%A9",
    "/cases/NTH-2026-00001/incidents/0", "/cases/NTH-2026-00001/incidents/-1",
    "/cases/NTH-2026-00001/incidents/99999999999999999999", "/cases/NTH-2026-00001/needs/abc",
    "/people/99999999999999999999", "/people/1.5", "/agencies/0", "/areas/x",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_parameters_are_422(advocate_api, case, url):
    assert advocate_api.call("get", url).status_code == 422


@pytest.mark.parametrize("query", ["Amina", "07700 900123", "+44 7700 900123", "02/04/1990", "31/02/1990", "a",
                                   "NTH-2026-00001", "nth-2026-1", "%", "_", "' OR 1=1 --", "名前", "🙂" * 50])
def test_any_search_text_is_answered(advocate_api, case, query):
    response = advocate_api.get("/api/v1/cases", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)


def test_a_body_where_none_is_expected_is_ignored_and_a_missing_body_is_422(advocate_api, case):
    assert advocate_api.call("post", f"/cases/{case.reference}/needs").status_code == 422
    response = advocate_api.generic("GET", "/api/v1/cases", data=json.dumps({"x": 1}),
                                    content_type="application/json")
    assert response.status_code == 200
