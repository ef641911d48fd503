"""Needs: in her words, with her priority; edits carry the version they were read at."""

from concord.cases.models import Need
from concord.testing.factories import make_case


def need_url(case, need=None):
    base = f"/cases/{case.reference}/needs"
    return f"{base}/{need.pk}" if need else base


def test_list_and_read_needs(advocate_api, case):
    need = case.needs.get()
    listed = advocate_api.call("get", need_url(case)).json()
    assert [item["in_her_words"] for item in listed["items"]] == ["I need the locks changed"]
    detail = advocate_api.call("get", need_url(case, need)).json()
    assert detail["priority"] == "high" and detail["status"] == "open" and detail["version"] == 1


def test_record_a_need_with_her_priority(advocate_api, case):
    response = advocate_api.call("post", need_url(case),
                                 {"in_her_words": "To keep my job", "category": "financial", "priority": "low"})
    assert response.status_code == 201
    need = Need.objects.get(pk=response.json()["id"])
    assert (need.category, need.priority, need.status) == ("financial", "low", "open")


def test_a_need_must_be_in_her_words(advocate_api, case):
    for body in ({"in_her_words": "", "category": "safety"}, {"in_her_words": "   ", "category": "safety"},
                 {"in_her_words": "x" * 5001, "category": "safety"}, {"in_her_words": "Help", "category": "wishes"}):
        assert advocate_api.call("post", need_url(case), body).status_code == 422, body
    assert case.needs.count() == 1


def test_change_status_with_the_current_version(advocate_api, case):
    need = case.needs.get()
    response = advocate_api.call("patch", need_url(case, need), {"version": 1, "status": "met"})
    assert response.status_code == 200
    assert response.json()["status"] == "met" and response.json()["version"] == 2


def test_stale_edit_is_409_with_the_changes(advocate_api, case):
    need = case.needs.get()
    advocate_api.call("patch", need_url(case, need), {"version": 1, "status": "partly_met"})
    response = advocate_api.call("patch", need_url(case, need), {"version": 1, "priority": "low"})
    assert response.status_code == 409
    assert [(c["field"], c["before"], c["after"]) for c in response.json()["changes"]] == [
        ("status", "Open", "Partly met")]
    need.refresh_from_db()
    assert need.priority == "high"


def test_a_need_is_only_reached_through_its_own_case(advocate_api, advocate, case):
    other = make_case(advocate, given_name="Chloe")
    assert advocate_api.call("get", need_url(other, case.needs.get())).status_code == 404
    response = advocate_api.call("patch", need_url(other, case.needs.get()), {"version": 1, "status": "met"})
    assert response.status_code == 404


def test_edit_with_a_misspelt_field_is_422_and_saves_nothing(advocate_api, case):
    need = case.needs.get()
    response = advocate_api.call("patch", need_url(case, need), {"version": 1, "stauts": "met"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "stauts"]
    need.refresh_from_db()
    assert need.version == 1 and need.status == "open"
