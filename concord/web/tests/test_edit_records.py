"""Editing an incident or a need on its page: the form sends every field, and the timeline and the
access log name only the ones the worker changed."""

from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.testing.factories import event_text, login, make_case

# make_case's incident, as its edit form sends it back.
INCIDENT_FORM = {"occurred_on": "2026-10-01", "place_type": "her_home",
                 "violence_types": ["physical_assault", "coercive_control"], "injuries": "unknown",
                 "weapon_used": "unknown", "strangulation": "unknown", "children_present": "unknown",
                 "police_attended": "unknown", "narrative": "He pushed her against the wall."}


def test_the_timeline_names_only_the_incident_field_that_changed(client, advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    login(client, advocate)
    response = client.post(reverse("web:incident_edit", args=[case.reference, incident.pk]),
                           INCIDENT_FORM | {"version": 1, "injuries": "minor",
                                            "persons_causing_harm": [case.participants.get().person_id]})
    assert response.status_code == 302
    event = case.events.get(kind="incident_edited")
    assert event_text(event) == "Incident of 1 Oct 2026 edited: injuries"
    entry = AccessLogEntry.objects.filter(action="update", object_type="incident").get()
    assert entry.fields == ["injuries"]


def test_the_timeline_names_only_the_need_field_that_changed(client, advocate):
    case = make_case(advocate)
    need = case.needs.get()
    login(client, advocate)
    response = client.post(reverse("web:need_edit", args=[case.reference, need.pk]),
                           {"version": 1, "in_her_words": need.in_her_words, "category": "safety",
                            "priority": "medium", "status": "open"})
    assert response.status_code == 302
    assert case.events.get(kind="need_updated").params["fields"] == ["priority"]
