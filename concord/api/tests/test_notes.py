"""Notes beside records through the API: any agency that may read the record adds its word beside it;
nobody rewrites it; each note is read only with the record's facet, and only through its own case."""

from concord.audit.models import AccessLogEntry
from concord.cases.models import RecordNote
from concord.consent import services as consent_services
from concord.testing.factories import make_actor, make_agency, make_case, share_with


def notes_url(case, record):
    kind = "incidents" if record._meta.model_name == "incident" else "needs"
    return f"/cases/{case.reference}/{kind}/{record.pk}/notes"


def test_an_agency_sharing_under_consent_adds_a_note_beside_the_advocates_incident(client_for, advocate, police,
                                                                                     case):
    share_with(advocate, case, police)
    officer_api = client_for(make_actor(police))
    incident = case.incidents.get()
    response = officer_api.call("post", notes_url(case, incident), {"text": "Attended; he had left."})
    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "Attended; he had left." and body["recorded_for"]["id"] == police.pk
    incident.refresh_from_db()
    assert incident.narrative == "He pushed her against the wall." and incident.version == 1
    # The advocacy service, which recorded the incident, reads the police's note beside it.
    listed = client_for(advocate).call("get", notes_url(case, incident)).json()
    assert [note["text"] for note in listed] == ["Attended; he had left."]
    assert case.events.filter(kind="note_added").count() == 1


def test_a_note_needs_the_records_facet(client_for, advocate, idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="Offender manager needs the incident history")
    manager_api = client_for(make_actor(probation))
    need = case.needs.get()
    assert manager_api.call("get", notes_url(case, need)).status_code == 403
    assert manager_api.call("post", notes_url(case, need), {"text": "Seen"}).status_code == 403
    # The override opens incidents: a note beside one is its own word.
    assert manager_api.call("post", notes_url(case, case.incidents.get()), {"text": "On licence"}).status_code == 201
    assert not RecordNote.objects.filter(need=need).exists()


def test_bad_notes_are_422_and_a_record_of_another_case_is_404(advocate_api, advocate, case):
    incident = case.incidents.get()
    for body in ({"text": ""}, {"text": "   "}, {"text": "x" * 5001}, {"txt": "misspelt"}, {}, {"text": "a\u0000b"}):
        assert advocate_api.call("post", notes_url(case, incident), body).status_code == 422, body
    other = make_case(advocate, given_name="Chloe")
    before = AccessLogEntry.objects.count()
    assert advocate_api.call("get", notes_url(other, incident)).status_code == 404
    assert advocate_api.call("post", notes_url(other, incident), {"text": "Misfiled"}).status_code == 404
    assert AccessLogEntry.objects.count() == before  # a 404 reads nothing
    assert not RecordNote.objects.exists()


def test_a_case_not_shared_with_the_agency_is_404(client_for, police, case):
    officer_api = client_for(make_actor(police))
    assert officer_api.call("get", notes_url(case, case.incidents.get())).status_code == 404
    assert officer_api.call("post", notes_url(case, case.needs.get()), {"text": "Probe"}).status_code == 404
