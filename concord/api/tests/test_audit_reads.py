"""API reads of case data are in the access log, with the basis that allowed them."""

from concord.api.pagination import CASE_LIST_FIELDS
from concord.audit.models import AccessLogEntry
from concord.audit.selectors import who_has_seen
from concord.testing.factories import make_case, share_with


def reads_by(actor, case):
    """Reads by the actor's agency (the API is called with a service token of that agency) as her "who
    has seen" report shows them, oldest first (a person read on several cases is one entry naming each:
    it is found there too)."""
    return [(seen.object_type, seen.basis) for seen in reversed(who_has_seen(case))
            if seen.agency_id == actor.agency.pk and seen.action == "view"]


def test_each_api_read_is_logged_with_its_basis(client_for, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    api = client_for(officer)
    incident, need = case.incidents.get(), case.needs.get()
    for path in [f"/cases/{case.reference}", f"/cases/{case.reference}/incidents",
                 f"/cases/{case.reference}/incidents/{incident.pk}", f"/cases/{case.reference}/needs/{need.pk}",
                 f"/people/{case.survivor_id}"]:
        assert api.call("get", path).status_code == 200, path
    logged = reads_by(officer, case)
    assert [kind for kind, _ in logged] == ["case", "incident", "incident", "need", "person"]
    assert all(basis.startswith("consent:") for _, basis in logged)
    (person,) = AccessLogEntry.objects.filter(agency_id=officer.agency.pk, object_type="person")
    assert person.case_id is None and f"case:{case.pk}" in person.fields and person.object_id == str(case.survivor_id)


def test_a_refused_read_logs_nothing(client_for, housing_worker, case):
    assert client_for(housing_worker).call("get", f"/cases/{case.reference}").status_code == 404
    assert reads_by(housing_worker, case) == []


def test_a_record_that_is_not_on_the_case_is_404_and_logs_nothing(advocate_api, advocate, case):
    other = make_case(advocate, given_name="Chloe")
    incident, need = case.incidents.get(), case.needs.get()
    for path in [f"/cases/{other.reference}/incidents/{incident.pk}", f"/cases/{other.reference}/needs/{need.pk}"]:
        assert advocate_api.call("get", path).status_code == 404, path
    assert reads_by(advocate, other) == [] and reads_by(advocate, case) == []
    # The control: on its own case the same record is read, and logged with its id.
    assert advocate_api.call("get", f"/cases/{case.reference}/incidents/{incident.pk}").status_code == 200
    assert AccessLogEntry.objects.filter(case_id=case.pk, object_type="incident", object_id=str(incident.pk)).exists()


def test_people_shown_outside_a_case_are_one_entry_naming_them(client, client_for, advocate):
    """The people list and the duplicate checks: one entry per request, naming each person shown."""
    import datetime

    from django.urls import reverse

    from concord.testing.factories import login

    case = make_case(advocate, given_name="Amina", family_name="Khan")
    api = client_for(advocate)
    assert api.call("get", "/people").status_code == 200
    (listed,) = people_entries("view", object_type="people", object_id="api:people")
    people = {case.survivor_id, *case.participants.values_list("person_id", flat=True)}
    assert set(listed.fields) == {f"person:{pk}" for pk in people}
    found = api.call("get", "/people/possible-matches?given_name=Amina&family_name=Khan&date_of_birth=1990-04-02")
    assert found.status_code == 200 and found.json()
    (matched,) = people_entries("view", object_type="people", object_id="api:possible-matches")
    assert matched.fields == [f"person:{case.survivor_id}"]
    login(client, advocate)
    client.get(reverse("web:intake_matches"), {"given_name": "Amina", "family_name": "Khan",
                                               "date_of_birth": datetime.date(1990, 4, 2).isoformat()})
    assert people_entries("view", object_type="people", object_id="intake:possible-matches")[0].fields == [
        f"person:{case.survivor_id}"]


def people_entries(action, **filters):
    return list(AccessLogEntry.objects.filter(action=action, **filters).order_by("sequence"))


def test_an_api_page_of_cases_is_one_entry_per_request(client_for, advocate):
    cases = [make_case(advocate, given_name=name) for name in ("Amina", "Beth", "Chloe")]
    response = client_for(advocate).call("get", "/cases?page_size=200")
    assert response.status_code == 200
    (entry,) = AccessLogEntry.objects.filter(object_type="listing", agency_id=advocate.agency.pk)
    assert {f"case:{case.pk}" for case in cases} <= set(entry.fields) and "reference" in entry.fields
    for case in cases:
        assert [seen.fields for seen in who_has_seen(case) if seen.object_type == "listing"] == [CASE_LIST_FIELDS]
