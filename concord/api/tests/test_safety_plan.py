"""The safety plan through the API: read (version 0 before there is one) and saved whole, every
version kept; a stale version and bad input are 422 on their field; 403 for an agency that may see
the case without the plan (one working with the person causing harm), 404 for one that may not see it."""

import datetime

import pytest
from django.utils import timezone

from concord.accounts.models import Sector
from concord.audit.models import AccessLogEntry
from concord.testing.factories import make_actor, make_agency, share_with

pytestmark = pytest.mark.django_db

REVIEW = (timezone.localdate() + datetime.timedelta(days=28)).isoformat()


def _url(case):
    return f"/cases/{case.reference}/safety-plan"


def _body(version=0, **more):
    return {"version": version, "next_review_on": REVIEW,
            "steps": [{"what": "A code word with Mrs Patel", "in_her_words": True, "owner": "someone",
                       "owner_name": "Mrs Patel"},
                      {"what": "I won't tell the school yet", "in_her_words": True, "status": "not_taken"}]} | more


def test_before_a_plan_there_is_version_zero_then_a_save_is_read_back(advocate_api, case, advocate):
    empty = advocate_api.call("get", _url(case))
    assert empty.status_code == 200
    assert empty.json() | {} == {"version": 0, "next_review_on": None, "review_due": "", "updated_at": None,
                                 "agency": None, "steps": [], "versions": []}
    saved = advocate_api.call("put", _url(case), _body())
    assert saved.status_code == 200, saved.content
    plan = saved.json()
    assert plan["version"] == 1 and plan["next_review_on"] == REVIEW
    assert [(s["what"], s["owner"], s["owner_name"], s["status"]) for s in plan["steps"]] == [
        ("A code word with Mrs Patel", "someone", "Mrs Patel", "agreed"),
        ("I won't tell the school yet", "her", "", "not_taken")]
    assert AccessLogEntry.objects.filter(case_id=case.pk, object_type="safety_plan", action="view").exists()


def test_each_save_keeps_a_version_and_a_stale_one_is_422_on_version(advocate_api, case, advocate):
    advocate_api.call("put", _url(case), _body())
    steps = [{"what": "Locks changed", "owner": "agency", "owner_agency": advocate.agency.pk, "status": "done"}]
    second = advocate_api.call("put", _url(case), _body(version=1, steps=steps)).json()
    assert second["steps"][0]["owner_agency"]["name"] == advocate.agency.name
    assert [v["version"] for v in second["versions"]] == [2, 1]
    assert second["versions"][1]["steps"][0]["what"] == "A code word with Mrs Patel"
    stale = advocate_api.call("put", _url(case), _body(version=1))
    assert stale.status_code == 422
    assert stale.json()["detail"][0]["loc"] == ["body", "payload", "version"]
    assert "Someone changed the plan since you opened it" in stale.json()["detail"][0]["msg"]
    assert advocate_api.call("get", _url(case)).json()["version"] == 2


@pytest.mark.parametrize(("change", "field"), [
    ({"steps": []}, "steps"),
    ({"steps": [{"what": "Call", "owner": "agency"}]}, "steps"),
    ({"steps": [{"what": "Call", "owner": "agency", "owner_agency": 999999}]}, "steps"),
    ({"steps": [{"what": "Ask her sister", "owner": "someone"}]}, "steps"),
    ({"steps": [{"what": ""}]}, "steps"),
    ({"steps": [{"what": "x", "status": "refused"}]}, "steps"),
    ({"next_review_on": "2020-01-01"}, "next_review_on"),
    ({"version": -1}, "version"),
])
def test_bad_input_is_422_on_its_field_and_saves_nothing(advocate_api, case, change, field):
    response = advocate_api.call("put", _url(case), _body(**change))
    assert response.status_code == 422, response.content
    assert any(field in item["loc"] for item in response.json()["detail"]), response.json()
    assert advocate_api.call("get", _url(case)).json()["version"] == 0


def test_an_unknown_field_is_refused(advocate_api, case):
    body = _body()
    body["steps"][0]["who"] = "her"
    assert advocate_api.call("put", _url(case), body).status_code == 422


@pytest.mark.parametrize("sector", [Sector.PROBATION, Sector.PERPETRATOR_PROGRAMME])
def test_an_agency_working_with_him_is_refused_both_ways(client_for, advocate, advocate_api, case, area, sector):
    other = make_actor(make_agency(area, sector))
    share_with(advocate, case, other.agency)
    advocate_api.call("put", _url(case), _body())
    api = client_for(other)
    read = api.call("get", _url(case))
    assert read.status_code == 403 and b"Patel" not in read.content
    assert api.call("put", _url(case), _body(version=1)).status_code == 403
    timeline = api.call("get", f"/cases/{case.reference}")
    assert timeline.status_code == 200 and "safety_plan" not in timeline.json()["facets"]
    assert advocate_api.call("get", _url(case)).json()["version"] == 1


def test_an_agency_without_access_gets_404(client_for, housing, case):
    api = client_for(make_actor(housing))
    assert api.call("get", _url(case)).status_code == 404
    assert api.call("put", _url(case), _body()).status_code == 404
