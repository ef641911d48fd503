"""An edit of an incident or a need names only the fields whose value changed, on the timeline and in
the access log; an edit that changes nothing writes nothing. The details are typed: a misspelt field
fails where they are built."""

import datetime
from dataclasses import replace

import pytest

from concord.audit.models import AccessLogEntry
from concord.cases import services
from concord.cases.records import IncidentDetails, NeedDetails, PersonCausingHarm
from concord.people.details import ContactDetails, PersonDetails
from concord.testing.factories import make_case


def _last_entry(case, action="update"):
    return AccessLogEntry.objects.filter(case_id=case.pk, action=action).order_by("-pk").first()


def test_an_incident_edit_names_only_the_field_that_changed(advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    # The full details, as a form sends them: only the narrative is new.
    services.incident_update(actor=advocate, incident=incident, expected_version=1,
                             details=replace(IncidentDetails.of(incident), narrative="He pushed her twice."),
                             persons_causing_harm=list(incident.persons_causing_harm.all()))
    event = case.events.get(kind="incident_edited")
    assert event.params["fields"] == ["narrative"] and event.params["version"] == 2
    assert _last_entry(case).fields == ["narrative"]


def test_changed_violence_types_and_persons_causing_harm_are_named(advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    services.incident_update(actor=advocate, incident=incident, expected_version=1,
                             details=replace(IncidentDetails.of(incident), violence_types=("stalking",)),
                             persons_causing_harm=[])
    assert case.events.get(kind="incident_edited").params["fields"] == ["persons_causing_harm", "violence_types"]
    incident.refresh_from_db()
    assert incident.violence_type_codes == ["stalking"] and not incident.persons_causing_harm.exists()


def test_violence_types_in_another_order_are_no_change(advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    same = replace(IncidentDetails.of(incident), violence_types=tuple(reversed(incident.violence_type_codes)))
    assert services.incident_update(actor=advocate, incident=incident, expected_version=1, details=same).version == 1


def test_an_incident_edit_that_changes_nothing_writes_nothing(advocate):
    case = make_case(advocate)
    incident = case.incidents.get()
    entries, versions = AccessLogEntry.objects.count(), incident.history.count()
    saved = services.incident_update(actor=advocate, incident=incident, expected_version=1,
                                     details=IncidentDetails.of(incident),
                                     persons_causing_harm=list(incident.persons_causing_harm.all()))
    assert saved.version == 1 and incident.history.count() == versions
    assert not case.events.filter(kind="incident_edited").exists()
    assert AccessLogEntry.objects.count() == entries


def test_a_need_edit_names_only_the_field_that_changed(advocate):
    case = make_case(advocate)
    need = case.needs.get()
    services.need_update(actor=advocate, need=need, expected_version=1, details=replace(NeedDetails.of(need),
                                                                                        status="partly_met"))
    event = case.events.get(kind="need_updated")
    assert event.params["fields"] == ["status"]
    assert (event.params["from_status"], event.params["to_status"]) == ("open", "partly_met")
    assert _last_entry(case).fields == ["status"]


def test_a_need_edit_that_changes_nothing_writes_nothing(advocate):
    case = make_case(advocate)
    need = case.needs.get()
    assert services.need_update(actor=advocate, need=need, expected_version=1,
                                details=NeedDetails.of(need)).version == 1
    assert not case.events.filter(kind="need_updated").exists()


@pytest.mark.parametrize("build", [
    lambda: IncidentDetails(occurred_on=datetime.date(2026, 1, 1), violence_types=("stalking",),
                            narative="typo"),  # type: ignore[call-arg]
    lambda: NeedDetails(in_her_word="typo", category="safety"),  # type: ignore[call-arg]
    lambda: PersonDetails(given_name="Amina", familyname="Khan"),  # type: ignore[call-arg]
    lambda: PersonCausingHarm(given_name="Darren", relationship_to_her="ex_partner"),  # type: ignore[call-arg]
    lambda: ContactDetails(kind="mobile", value="07700 900123", safe=True),  # type: ignore[call-arg]
    lambda: replace(NeedDetails(in_her_words="Locks", category="safety"), state="met"),
], ids=["incident", "need", "person", "person causing harm", "contact", "replace"])
def test_a_misspelt_field_is_a_type_error_where_the_details_are_built(build):
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        build()


def test_details_are_keyword_only_and_frozen():
    with pytest.raises(TypeError):
        NeedDetails("Locks", "safety")  # type: ignore[misc]
    details = NeedDetails(in_her_words="Locks", category="safety")
    with pytest.raises(AttributeError):
        details.status = "met"  # type: ignore[misc]
