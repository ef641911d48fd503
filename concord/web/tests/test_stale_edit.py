"""Edits from a stale form are refused with what changed; nothing is silently overwritten."""

from dataclasses import replace

from django.urls import reverse

from concord.cases import services
from concord.cases.records import IncidentDetails, NeedDetails
from concord.people.details import PersonDetails
from concord.testing.factories import login, make_actor, make_case, share_with, stale_change_row

INCIDENT_FORM = {"occurred_on": "2026-10-01", "place_type": "her_home", "injuries": "minor", "weapon_used": "no",
                 "strangulation": "no", "children_present": "no", "police_attended": "no", "narrative": "mine"}


def test_stale_need_edit_is_refused_and_shows_the_other_change(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    need = case.needs.get()
    url = reverse("web:need_edit", args=[case.reference, need.pk])
    login(client, advocate)
    form_version = need.version
    # A colleague at the same agency saves first, from the same starting version.
    services.need_update(actor=make_actor(advocate.agency), need=need, expected_version=form_version,
                         details=replace(NeedDetails.of(need), status="partly_met"))

    response = client.post(url, {"version": form_version, "in_her_words": "Locks changed AND a panic alarm",
                                 "category": "safety", "priority": "high", "status": "open"})
    assert response.status_code == 409
    assert "someone else changed this first" in response.text
    assert "Partly met" in response.text  # what they changed
    assert "a panic alarm" in response.text  # her entries are kept
    need.refresh_from_db()
    assert need.status == "partly_met" and "panic alarm" not in need.in_her_words

    # Saving again from the refreshed form (now at the current version) goes through.
    response = client.post(url, {"version": need.version, "in_her_words": "Locks changed AND a panic alarm",
                                 "category": "safety", "priority": "high", "status": "partly_met"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert "panic alarm" in need.in_her_words


def test_stale_incident_edit_is_refused(client, advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    login(client, advocate)
    url = reverse("web:incident_edit", args=[case.reference, incident.pk])
    data = {"version": incident.version, "occurred_on": "2026-10-01", "place_type": "her_home",
            "violence_types": ["physical_assault"], "injuries": "minor", "weapon_used": "no",
            "strangulation": "no", "children_present": "no", "police_attended": "no", "narrative": "first"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"narrative": "second"})  # same, now stale, version
    assert response.status_code == 409
    incident.refresh_from_db()
    assert incident.narrative == "first"


def test_stale_incident_edit_names_the_violence_types_they_changed(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    first = case.incidents.get()
    incident = services.incident_update(actor=advocate, incident=first, expected_version=1,
                                        details=replace(IncidentDetails.of(first), violence_types=("stalking",)))
    form_version = incident.version  # she opens the form now
    services.incident_update(actor=make_actor(advocate.agency), incident=incident, expected_version=form_version,
                             details=replace(IncidentDetails.of(incident), violence_types=("stalking", "harassment")))
    login(client, advocate)

    response = client.post(reverse("web:incident_edit", args=[case.reference, incident.pk]),
                           INCIDENT_FORM | {"version": form_version, "violence_types": ["stalking"]})
    assert response.status_code == 409
    assert stale_change_row("Violence types", "Stalking", "Stalking, Harassment") in response.text
    assert "Only related details changed" not in response.text


def test_stale_incident_edit_names_the_persons_causing_harm_they_changed(client, advocate, officer):
    case = make_case(advocate, harm_name="Darren")
    share_with(advocate, case, officer.agency)
    incident = case.incidents.get()
    lee = services.participant_add(actor=advocate, case=case, role="person_causing_harm",
                                   details=PersonDetails(given_name="Lee", family_name="Jones")).person
    services.incident_update(actor=make_actor(advocate.agency), incident=incident, expected_version=incident.version,
                             details=IncidentDetails.of(incident),
                             persons_causing_harm=[*incident.persons_causing_harm.all(), lee])
    login(client, advocate)

    response = client.post(reverse("web:incident_edit", args=[case.reference, incident.pk]),
                           INCIDENT_FORM | {"version": incident.version, "violence_types": ["physical_assault"]})
    assert response.status_code == 409
    assert stale_change_row("Persons causing harm", "Darren Smith", "Darren Smith, Lee Jones") in response.text


def test_edit_with_invalid_input_is_a_form_error_not_a_500(client, advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    login(client, advocate)
    url = reverse("web:incident_edit", args=[case.reference, incident.pk])
    response = client.post(url, {"version": "abc", "occurred_on": "not a date", "violence_types": ["nonsense"]})
    assert response.status_code == 422
    assert "Enter a valid date." in response.text
