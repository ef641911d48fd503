"""Involving agencies: the lead agency only; an agency that can see the case but does not lead hears 403."""

from concord.cases.models import CaseAgency
from concord.testing.factories import make_agency, make_area, share_with


def test_lead_agency_involves_another_agency(advocate_api, case, police):
    response = advocate_api.call("post", f"/cases/{case.reference}/agencies",
                                 {"agency": police.pk, "reason": "Criminal investigation"})
    assert response.status_code == 201
    assert response.json()["agency"]["name"] == "Northshire Police"
    listed = advocate_api.call("get", f"/cases/{case.reference}/agencies").json()
    assert listed["count"] == 1 and listed["items"][0]["reason"] == "Criminal investigation"
    assert advocate_api.call("get", f"/cases/{case.reference}").json()["agencies"][0]["agency"]["id"] == police.pk


def test_involving_an_agency_already_on_the_case_is_422(advocate_api, advocate, case, police):
    share_with(advocate, case, police)
    response = advocate_api.call("post", f"/cases/{case.reference}/agencies", {"agency": police.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "agency"]


def test_an_unknown_agency_or_one_of_another_area_is_422(advocate_api, case):
    elsewhere = make_agency(make_area(name="Southshire", code="sth"), "police", "Southshire Police")
    for agency_id in (elsewhere.pk, 999_999):
        response = advocate_api.call("post", f"/cases/{case.reference}/agencies", {"agency": agency_id})
        assert response.status_code == 422
    assert not CaseAgency.objects.exists()


def test_an_involved_agency_that_does_not_lead_gets_403(client_for, advocate, officer, housing, case):
    share_with(advocate, case, officer.agency)
    officer_api = client_for(officer)
    assert officer_api.call("get", f"/cases/{case.reference}").json()["can_manage"] is False
    response = officer_api.call("post", f"/cases/{case.reference}/agencies", {"agency": housing.pk})
    assert response.status_code == 403
    assert not CaseAgency.objects.filter(agency=housing).exists()
