"""Incidents: list, record, read and edit; a stale edit is a 409 listing what changed."""

from concord.cases.models import Incident
from concord.testing.factories import make_case, share_with

NEW_INCIDENT = {"occurred_on": "2026-10-20", "violence_types": ["stalking", "online_abuse"],
                "place_type": "online", "narrative": "Messages all night."}


def incident_url(case, incident=None):
    base = f"/cases/{case.reference}/incidents"
    return f"{base}/{incident.pk}" if incident else base


def test_list_and_read_incidents(advocate_api, case):
    incident = case.incidents.get()
    listed = advocate_api.call("get", incident_url(case)).json()
    assert listed["count"] == 1
    assert set(listed["items"][0]["violence_types"]) == {"coercive_control", "physical_assault"}
    detail = advocate_api.call("get", incident_url(case, incident)).json()
    assert detail["persons_causing_harm"][0]["full_name"] == "Darren Smith"
    assert detail["case_reference"] == case.reference and detail["version"] == 1


def test_record_an_incident_naming_the_person_causing_harm(advocate_api, case):
    harmer = case.participants.get().person
    response = advocate_api.call("post", incident_url(case), {**NEW_INCIDENT, "persons_causing_harm": [harmer.pk]})
    assert response.status_code == 201
    incident = Incident.objects.get(pk=response.json()["id"])
    assert set(incident.violence_type_codes) == {"online_abuse", "stalking"}
    assert list(incident.persons_causing_harm.all()) == [harmer]


def test_naming_someone_who_is_not_on_the_case_as_causing_harm_is_422(advocate_api, advocate, case):
    survivor_of_another_case = make_case(advocate, given_name="Chloe").survivor
    for people in ([case.survivor_id], [survivor_of_another_case.pk], [999_999]):
        response = advocate_api.call("post", incident_url(case), {**NEW_INCIDENT, "persons_causing_harm": people})
        assert response.status_code == 422, people
        assert response.json()["detail"][0]["loc"] == ["body", "payload", "persons_causing_harm"]
    assert case.incidents.count() == 1


def test_an_involved_agency_with_consent_records_incidents(client_for, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    response = client_for(officer).call("post", incident_url(case), NEW_INCIDENT)
    assert response.status_code == 201
    assert response.json()["recorded_for"]["name"] == "Northshire Police"


def test_edit_sends_only_what_changes_and_bumps_the_version(advocate_api, case):
    incident = case.incidents.get()
    response = advocate_api.call("patch", incident_url(case, incident),
                                 {"version": 1, "injuries": "minor", "occurred_at_time": "21:30"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    incident.refresh_from_db()
    assert incident.injuries == "minor" and incident.narrative == "He pushed her against the wall."
    assert set(incident.violence_type_codes) == {"coercive_control", "physical_assault"}


def test_stale_edit_is_409_with_the_changes_and_saves_nothing(advocate_api, case):
    incident = case.incidents.get()
    first = advocate_api.call("patch", incident_url(case, incident), {"version": 1, "narrative": "First"})
    assert first.status_code == 200
    response = advocate_api.call("patch", incident_url(case, incident), {"version": 1, "narrative": "Second"})
    assert response.status_code == 409
    conflict = response.json()
    assert conflict["current_version"] == 2
    assert [(c["field"], c["before"], c["after"]) for c in conflict["changes"]] == [
        ("narrative", "He pushed her against the wall.", "First")]
    incident.refresh_from_db()
    assert incident.narrative == "First"


def test_edit_refuses_null_for_a_required_field_and_a_future_date(advocate_api, case):
    incident = case.incidents.get()
    for body in ({"version": 1, "occurred_on": None}, {"version": 1, "occurred_on": "2999-01-01"},
                 {"version": 1, "violence_types": []}, {"version": 1, "violence_types": ["kicking"]},
                 {"version": "1", "narrative": "x"}, {"narrative": "no version"}, {"version": 1, "colour": "red"}):
        assert advocate_api.call("patch", incident_url(case, incident), body).status_code == 422, body
    incident.refresh_from_db()
    assert incident.version == 1


def test_an_incident_is_only_reached_through_its_own_case(advocate_api, advocate, case):
    other = make_case(advocate, given_name="Chloe")
    assert advocate_api.call("get", incident_url(other, case.incidents.get())).status_code == 404


def test_edit_lists_only_the_fields_whose_value_changed(advocate_api, case):
    incident = case.incidents.get()
    response = advocate_api.call("patch", incident_url(case, incident),
                                 {"version": 1, "narrative": "He pushed her against the wall.", "injuries": "minor"})
    assert response.status_code == 200
    assert case.events.get(kind="incident_edited").params["fields"] == ["injuries"]


def test_edit_with_a_misspelt_field_is_422_and_saves_nothing(advocate_api, case):
    incident = case.incidents.get()
    response = advocate_api.call("patch", incident_url(case, incident), {"version": 1, "narative": "Typo"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "narative"]
    incident.refresh_from_db()
    assert incident.version == 1 and incident.narrative == "He pushed her against the wall."
