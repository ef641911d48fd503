"""Timeline events are data, rendered when read and to the reader's facets; the system can write them."""

from __future__ import annotations

import pytest
from django.utils import translation

from concord import policy
from concord.audit.models import AccessLogEntry
from concord.cases.events import EventKind, kind_of, record_event, register
from concord.cases.selectors import case_timeline
from concord.consent import services as consent_services
from concord.policy import SystemActor
from concord.testing.factories import make_actor, make_agency, make_case, share_with


def _texts(access):
    return [f"{entry.title} {entry.detail}" for entry in case_timeline(access)]


def test_another_agencys_override_is_not_on_the_timeline_of_those_who_may_not_see_it(idva_supervisor, police, housing):
    case = make_case(idva_supervisor)
    share_with(idva_supervisor, case, police)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=housing, legal_basis="court_order",
                                        reason="Court order")
    lead_lines = " ".join(_texts(policy.decide(idva_supervisor, case)))
    assert "Override authorised" in lead_lines and housing.name in lead_lines
    police_lines = " ".join(_texts(policy.decide(make_actor(police), case)))
    assert "Override" not in police_lines and "Court order" not in police_lines
    housing_lines = " ".join(_texts(policy.decide(make_actor(housing), case)))
    assert "Override authorised" in housing_lines  # its own override: its basis


def test_events_carry_no_sentence_and_render_in_the_readers_language(advocate):
    case = make_case(advocate)
    event = case.events.get(kind="need_recorded")
    assert event.params == {"need_id": case.needs.get().pk, "category": "safety", "priority": "high"}
    assert event.facet == "needs" and event.object_type == "need"
    access = policy.decide(advocate, case)
    with translation.override("en"):
        line = [e for e in case_timeline(access) if e.kind == "need_recorded"][0]
    assert line.detail == "Safety (Most important to her)"


def test_needs_events_are_hidden_from_an_override_for_incidents(idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="incidents only")
    access = policy.decide(make_actor(probation), case)
    kinds = {entry.kind for entry in case_timeline(access)}
    assert "need_recorded" not in kinds and "consent_recorded" not in kinds
    assert "incident" in kinds
    incident_entry = [e for e in case_timeline(access) if e.kind == "incident"][0]
    assert incident_entry.detail == "He pushed her against the wall."


def test_contact_channel_decisions_are_seen_only_with_her_protected_details(advocate, police):
    case = make_case(advocate, phone="07700 900123")
    share_with(advocate, case, police)
    consent_services.consent_record(actor=advocate, case=case, scope="contact", channel="post", decision="declined",
                                    method="verbal")
    assert any("Post" in line for line in _texts(policy.decide(advocate, case)))
    assert not any("Post" in line or "contacted" in line for line in _texts(policy.decide(make_actor(police), case)))


def test_an_app_registers_its_own_kind_and_the_system_writes_it(advocate):
    """A new app adds a kind without editing anything central; a background job writes it as the system."""
    register(EventKind("test_reminder", "Reminder sent", "core", "create", "task",
                       lambda params, reader: f"due {params['due']}"))
    case = make_case(advocate)
    system = SystemActor("protocol rules")
    event = record_event(access=policy.decide(system, case), kind="test_reminder", params={"due": "tomorrow"})
    assert event.actor is None and event.agency is None and event.system_actor == "protocol rules"
    entry = [e for e in case_timeline(policy.decide(advocate, case)) if e.kind == "test_reminder"][0]
    assert entry.detail == "due tomorrow" and entry.agency == "System (protocol rules)"
    log = AccessLogEntry.objects.filter(case_id=case.pk).latest("sequence")
    assert log.user_id is None and log.user_label == "system: protocol rules"
    assert log.basis.startswith("system:protocol rules")


def test_an_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        kind_of("no_such_kind")
