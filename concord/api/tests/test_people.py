"""People: only those on cases the actor may see; contact point values never leave the server."""

from concord.cases import services
from concord.testing.factories import make_case

PHONE = "07700 900123"
REFUGE = "7 Secret Row, Hiddenham"


def test_people_lists_survivor_and_person_causing_harm_of_visible_cases(advocate_api, case):
    response = advocate_api.call("get", "/people")
    assert response.status_code == 200
    assert {person["full_name"] for person in response.json()["items"]} == {"Amina Khan", "Darren Smith"}
    assert set(response.json()["items"][0]) == {"id", "full_name", "age_band"}


def test_people_of_another_agencys_case_are_not_listed(advocate_api, case, officer):
    hidden = make_case(officer, given_name="Chloe", family_name="Brown", harm_name="Eddie")
    names = {person["full_name"] for person in advocate_api.call("get", "/people").json()["items"]}
    assert "Chloe Brown" not in names and "Eddie Smith" not in names
    assert advocate_api.call("get", f"/people/{hidden.survivor_id}").status_code == 404


def test_person_detail_shows_demographics_and_no_contact_details(advocate_api, case):
    response = advocate_api.call("get", f"/people/{case.survivor_id}")
    assert response.status_code == 200
    person = response.json()
    assert person["date_of_birth"] == "1990-04-02"
    assert person["gender"] == "woman"
    assert person["ethnicity"] == ""  # not asked yet
    assert "contact_points" not in person


def test_protected_values_appear_in_no_response(advocate_api, advocate, case):
    # Even to the lead agency, which may see them in the UI: who sees them through the API is undecided.
    services.location_record(actor=advocate, case=case, kind="refuge", address=REFUGE)
    digits = PHONE.replace(" ", "")
    paths = ["/people", f"/people/{case.survivor_id}", "/cases", f"/cases/{case.reference}",
             f"/cases?q={digits}", f"/cases/{case.reference}/incidents", f"/cases/{case.reference}/needs"]
    for path in paths:
        response = advocate_api.call("get", path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert digits not in body and PHONE not in body and "900123" not in body, path
        assert "Hiddenham" not in body and "refuge" not in body, path
