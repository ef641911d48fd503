"""Edit rights by authorship: the agency that recorded an incident or a need edits it; the lead agency
corrects it, with a reason; no other agency rewrites it, and nothing is written when refused."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord import policy
from concord.cases import services
from concord.cases.models import Incident, Need
from concord.cases.records import IncidentDetails, NeedDetails
from concord.cases.versions import edits_of
from concord.consent import services as consent_services
from concord.testing.factories import make_actor, make_agency, make_case, share_with


@pytest.fixture
def shared(advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    return case, make_actor(police)


def test_another_agency_cannot_rewrite_the_leads_incident(advocate, shared):
    case, officer = shared
    incident = case.incidents.get()
    with pytest.raises(PermissionDenied):
        services.incident_update(actor=officer, incident=incident, expected_version=1,
                                 details=replace(IncidentDetails.of(incident), narrative="Nothing happened."))
    incident.refresh_from_db()
    assert incident.narrative == "He pushed her against the wall." and incident.version == 1
    assert not case.events.filter(kind="incident_edited").exists()


def test_override_agency_cannot_edit_either(idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="offender manager needs the incidents")
    manager = make_actor(probation)
    with pytest.raises(PermissionDenied):
        services.incident_update(actor=manager, incident=case.incidents.get(), expected_version=1,
                                 details=replace(IncidentDetails.of(case.incidents.get()), narrative="Rewritten"))
    assert case.incidents.get().narrative == "He pushed her against the wall."


def test_the_author_edits_its_own_incident(advocate, shared):
    case, officer = shared
    own = services.incident_record(actor=officer, case=case, details=IncidentDetails(
        occurred_on=datetime.date(2026, 11, 2), violence_types=("harassment",), narrative="Calls at night."))
    services.incident_update(actor=officer, incident=own, expected_version=1,
                             details=replace(IncidentDetails.of(own), narrative="Calls all night."))
    own.refresh_from_db()
    assert own.narrative == "Calls all night." and own.version == 2


def test_the_lead_corrects_another_agencys_incident_only_with_a_reason(advocate, shared):
    case, officer = shared
    own = services.incident_record(actor=officer, case=case, details=IncidentDetails(
        occurred_on=datetime.date(2026, 11, 2), violence_types=("harassment",), narrative="At 12 Elm Road."))
    corrected = replace(IncidentDetails.of(own), narrative="At her home.")
    with pytest.raises(ValidationError) as refused:
        services.incident_update(actor=advocate, incident=own, expected_version=1, details=corrected)
    assert "correction_reason" in refused.value.error_dict
    assert Incident.objects.get(pk=own.pk).version == 1
    services.incident_update(actor=advocate, incident=own, expected_version=1, details=corrected,
                             correction_reason="The narrative named her new address")
    edits = edits_of(Incident, [Incident.objects.get(pk=own.pk)], events=list(case.events.all()),
                     edit_kind="incident_edited")[own.pk]
    assert len(edits) == 1
    edit = edits[0]
    assert edit.agency == advocate.agency.name and edit.correction_reason == "The narrative named her new address"
    assert [(c.field, c.before, c.after) for c in edit.changes] == [("narrative", "At 12 Elm Road.", "At her home.")]


def test_needs_follow_the_same_rule(advocate, shared):
    case, officer = shared
    need = case.needs.get()
    with pytest.raises(PermissionDenied):
        services.need_update(actor=officer, need=need, expected_version=1,
                             details=replace(NeedDetails.of(need), status="met"))
    assert Need.objects.get(pk=need.pk).status == "open"
    own = services.need_record(actor=officer, case=case,
                               details=NeedDetails(in_her_words="A panic alarm", category="safety"))
    services.need_update(actor=officer, need=own, expected_version=1,
                         details=replace(NeedDetails.of(own), status="met"))
    met = Need.objects.get(pk=own.pk)
    services.need_update(actor=advocate, need=met, expected_version=2,
                         details=replace(NeedDetails.of(met), status="partly_met"),
                         correction_reason="Fitted, not yet working")
    assert Need.objects.get(pk=own.pk).status == "partly_met"


def test_a_misspelt_field_fails_loudly(advocate):
    case = make_case(advocate)
    with pytest.raises(TypeError, match="narative"):
        replace(IncidentDetails.of(case.incidents.get()), narative="typo")
    with pytest.raises(TypeError, match="narative"):
        IncidentDetails(occurred_on=datetime.date(2026, 11, 2), violence_types=("stalking",),
                        narative="typo")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="in_her_word"):
        NeedDetails(in_her_word="typo", category="safety")  # type: ignore[call-arg]


def test_edit_right_on_the_decision(advocate, shared):
    case, officer = shared
    incident = case.incidents.get()
    assert policy.decide(advocate, case).edit_right(incident).value == "author"
    assert policy.decide(officer, case).edit_right(incident).value == "none"


def test_another_agency_adds_a_note_beside_the_record_instead(advocate, shared):
    case, officer = shared
    incident = case.incidents.get()
    note = services.note_add(actor=officer, record=incident, text="Police attended the next night too")
    assert note.recorded_for == officer.agency and incident.notes.get() == note
    assert Incident.objects.get(pk=incident.pk).version == 1  # the record itself is untouched
    event = case.events.get(kind="note_added")
    assert event.facet == "incident_narratives" and event.params["agency"] == officer.agency.name


def test_a_note_needs_the_records_facet(idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation,
                                        legal_basis="risk_to_life", reason="incidents only")
    with pytest.raises(PermissionDenied):
        services.note_add(actor=make_actor(probation), record=case.needs.get(), text="Seen at the hostel")
    assert not case.needs.get().notes.exists()
