"""Cases: list (filters, search), intake, detail, close and reopen with optimistic concurrency."""

from concord.cases import services
from concord.cases.models import Case, Incident, Need
from concord.people.models import Person
from concord.testing.factories import make_case, share_with

INTAKE = {
    "survivor": {"given_name": "Bea", "family_name": "Jones", "date_of_birth": "1988-07-14", "gender": "woman",
                 "ethnicity": "prefer_not_to_say"},
    "aliases": ["Beatrice Jones"],
    "first_incident": {"occurred_on": "2026-09-30", "occurred_at_time": "22:15", "place_type": "shared_home",
                       "violence_types": ["physical_assault", "coercive_control"],
                       "strangulation": "yes", "narrative": "He held her by the throat."},
    "needs": [{"in_her_words": "Somewhere safe for me and the kids", "category": "housing", "priority": "high"}],
    "persons_causing_harm": [{"given_name": "Carl", "family_name": "Jones", "relationship": "partner"}],
}


def test_case_list_items_carry_only_what_a_list_needs(advocate_api, case):
    response = advocate_api.call("get", "/cases")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    item = response.json()["items"][0]
    assert set(item) == {"reference", "status", "lead_agency", "survivor_name", "updated_at", "risk_level"}
    assert item["reference"] == case.reference
    assert item["survivor_name"] == "Amina Khan"
    assert item["lead_agency"]["name"] == "Northshire IDVA Service"


def test_case_list_filters_by_status_and_lead(advocate_api, advocate, officer):
    mine = make_case(advocate)
    theirs = make_case(officer, given_name="Chloe")
    share_with(officer, theirs, advocate.agency)
    services.case_close(actor=advocate, case=mine, expected_version=1, reason="needs_met")

    def references(query):
        return {item["reference"] for item in advocate_api.call("get", "/cases" + query).json()["items"]}

    assert references("") == {mine.reference, theirs.reference}
    assert references("?lead=mine") == {mine.reference}
    assert references("?lead=others") == {theirs.reference}
    assert references("?status=open") == {theirs.reference}
    assert references("?status=closed&lead=mine") == {mine.reference}


def test_search_by_name_reference_and_phone(advocate_api, advocate):
    amina = make_case(advocate, phone="07700 900123")
    make_case(advocate, given_name="Chloe", family_name="Brown")

    def found(q):
        return [item["reference"] for item in advocate_api.call("get", "/cases", QUERY_STRING=f"q={q}").json()["items"]]

    assert found("amina") == [amina.reference]
    assert found(amina.reference) == [amina.reference]
    assert found("07700900123") == [amina.reference]
    assert found("darren smith") != []  # the person causing harm is found too
    assert found("nobody") == []


def test_search_never_finds_a_case_the_agency_may_not_see(advocate_api, officer, case):
    hidden = make_case(officer, given_name="Amina", family_name="Khan")
    items = advocate_api.call("get", "/cases", QUERY_STRING="q=Amina Khan").json()["items"]
    assert [item["reference"] for item in items] == [case.reference]
    assert advocate_api.call("get", "/cases", QUERY_STRING=f"q={hidden.reference}").json()["items"] == []


def test_case_detail(advocate_api, case):
    response = advocate_api.call("get", f"/cases/{case.reference}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["survivor"]["full_name"] == "Amina Khan"
    assert detail["participants"][0]["role"] == "person_causing_harm"
    assert detail["incident_count"] == detail["need_count"] == 1
    assert detail["can_manage"] is True
    assert detail["version"] == 1


def test_intake_opens_a_case_led_by_the_callers_agency(advocate_api, advocate, police):
    body = {**INTAKE, "first_incident": {**INTAKE["first_incident"], "reporting_agency": police.pk}}
    response = advocate_api.call("post", "/cases", body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.lead_agency == advocate.agency
    assert case.survivor.aliases.get().name == "Beatrice Jones"
    assert case.survivor.pronouns == ""  # left out: not recorded
    incident = case.incidents.get()
    assert incident.reporting_agency == police
    assert incident.occurred_at_time.isoformat() == "22:15:00"
    assert incident.persons_causing_harm.get().given_name == "Carl"
    assert case.needs.get().category == "housing"


def test_intake_records_the_pronouns_the_survivor_gave(advocate_api):
    body = {**INTAKE, "survivor": {**INTAKE["survivor"], "gender": "non_binary", "pronouns": "they_them"}}
    response = advocate_api.call("post", "/cases", body)
    assert response.status_code == 201, response.content
    assert Case.objects.get(reference=response.json()["reference"]).survivor.pronouns == "they_them"


def test_intake_for_a_survivor_already_on_a_visible_case(advocate_api, case):
    response = advocate_api.call("post", "/cases", {"survivor_id": case.survivor_id})
    assert response.status_code == 201
    assert response.json()["survivor"]["id"] == case.survivor_id


def test_intake_refuses_a_survivor_the_agency_cannot_see(advocate_api, officer):
    hidden = make_case(officer)
    response = advocate_api.call("post", "/cases", {"survivor_id": hidden.survivor_id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "survivor_id"]
    assert Case.objects.count() == 1


def test_intake_needs_exactly_one_way_to_name_the_survivor(advocate_api, case):
    assert advocate_api.call("post", "/cases", {}).status_code == 422
    both = {"survivor": {"given_name": "Bea"}, "survivor_id": case.survivor_id}
    assert advocate_api.call("post", "/cases", both).status_code == 422


def test_intake_saves_nothing_when_a_reference_is_unknown(advocate_api):
    body = {**INTAKE, "first_incident": {**INTAKE["first_incident"], "reporting_agency": 999_999}}
    response = advocate_api.call("post", "/cases", body)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "payload", "reporting_agency"],
                                          "msg": "Choose an agency of your area.", "type": "invalid"}]
    assert not Case.objects.exists() and not Person.objects.exists()


def test_intake_saves_nothing_when_the_service_refuses(advocate_api):
    # A future date of birth for the person causing harm passes the schema's type but not the model.
    body = {**INTAKE, "persons_causing_harm": [{"given_name": "Carl", "date_of_birth": "2999-01-01"}]}
    assert advocate_api.call("post", "/cases", body).status_code == 422
    assert not Case.objects.exists() and not Incident.objects.exists() and not Need.objects.exists()


def test_close_and_reopen_with_the_current_version(advocate_api, case):
    closed = advocate_api.call("patch", f"/cases/{case.reference}",
                               {"version": 1, "status": "closed", "closure_reason": "her_choice"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["version"] == 2
    reopened = advocate_api.call("patch", f"/cases/{case.reference}", {"version": 2, "status": "open"})
    assert reopened.json()["status"] == "open" and reopened.json()["closure_reason"] == ""


def test_closing_from_a_stale_version_is_409_with_what_changed(advocate_api, advocate, case):
    services.case_close(actor=advocate, case=case, expected_version=1, reason="needs_met")
    response = advocate_api.call("patch", f"/cases/{case.reference}",
                                 {"version": 1, "status": "closed", "closure_reason": "her_choice"})
    assert response.status_code == 409
    conflict = response.json()
    assert conflict["current_version"] == 2
    changes = {change["field"]: (change["before"], change["after"]) for change in conflict["changes"]}
    assert changes["status"] == ("Open", "Closed")
    assert Case.objects.get(pk=case.pk).closure_reason == "needs_met"  # the other worker's close stands


def test_closing_needs_a_reason(advocate_api, case):
    response = advocate_api.call("patch", f"/cases/{case.reference}", {"version": 1, "status": "closed"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "closure_reason"]


def test_only_the_lead_agency_may_close_a_case(client_for, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    response = client_for(officer).call("patch", f"/cases/{case.reference}",
                                        {"version": 1, "status": "closed", "closure_reason": "needs_met"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "open"
