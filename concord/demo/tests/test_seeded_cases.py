"""Seeded cases are shaped as the case services would leave them."""

import re

from django.db import connection
from django.utils import timezone

from concord import policy
from concord.accounts.models import Area
from concord.cases import selectors, services
from concord.cases import vocabularies as v
from concord.cases.events import kind_of
from concord.cases.models import Case, CaseAgency, CaseEvent, CaseParticipant
from concord.cases.records import NeedDetails
from concord.consent.events import ConsentEventKind
from concord.consent.models import ConsentDecision
from concord.people.models import ContactPoint, Person, PersonAlias, name_key
from concord.people.selectors import contact_search_index
from concord.testing.factories import make_case

from .conftest import SMALL, acting_as

REFERENCE = re.compile(r"^NTH-(\d{4})-(\d{5})$")


def test_references_follow_the_service_format_numbered_in_opening_order(seeded):
    cases = list(Case.objects.order_by("opened_at", "pk"))
    numbers = []
    for case in cases:
        year, number = REFERENCE.match(case.reference).groups()
        assert int(year) == timezone.localtime(case.opened_at).year
        numbers.append(int(number))
    assert numbers == list(range(1, SMALL + 1))


def test_a_case_opened_after_seeding_takes_the_next_number(seeded):
    assert Area.objects.get().next_case_number == SMALL + 1

    case = make_case(acting_as("idva@demo.concord.test"))

    assert case.reference == f"NTH-{timezone.localdate().year}-{SMALL + 1:05d}"


def test_a_seeded_mobile_number_finds_her_case_through_the_blind_index(seeded):
    point = ContactPoint.objects.filter(kind="mobile").select_related("person").first()
    case = Case.objects.select_related("lead_agency").get(survivor=point.person)
    lead_worker = acting_as(case.created_by.email, case.lead_agency)
    assert point.value.startswith("07700 900")

    assert case in selectors.case_search(lead_worker, point.value)
    assert case in selectors.case_search(lead_worker, "+44" + point.value[1:].replace(" ", ""))


def test_contact_values_are_encrypted_at_rest(seeded):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {ContactPoint._meta.db_table}")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and not any(value.startswith("07700") or "@" in value for value in stored)


def test_name_keys_and_search_indexes_are_what_save_would_compute(seeded):
    for person in Person.objects.all():
        assert person.name_key == name_key(f"{person.given_name} {person.family_name} {person.known_as}")
    for alias in PersonAlias.objects.all():
        assert alias.name_key == name_key(alias.name)
    for point in ContactPoint.objects.all():
        assert point.search_index == contact_search_index(point.kind, point.value)


def test_every_case_has_incidents_needs_harm_and_other_agencies(seeded):
    for case in Case.objects.prefetch_related("incidents__violence_types", "incidents__persons_causing_harm"):
        harmers = set(case.participants.filter(role=v.ParticipantRole.PERSON_CAUSING_HARM)
                      .values_list("person_id", flat=True))
        incidents = list(case.incidents.all())
        assert 1 <= len(incidents) <= 6
        for incident in incidents:
            assert incident.violence_type_codes
            assert {p.pk for p in incident.persons_causing_harm.all()} <= harmers
            assert incident.persons_causing_harm.exists()
        assert case.needs.exists()
        assert 1 <= case.involvements.count() <= 4
        assert not case.involvements.filter(agency=case.lead_agency).exists()


def test_the_timeline_has_one_event_per_thing_done(seeded):
    for case in Case.objects.all():
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds.count(v.CaseEventKind.OPENED) == 1
        assert kinds.count(v.CaseEventKind.INCIDENT_RECORDED) == case.incidents.count()
        assert kinds.count(v.CaseEventKind.NEED_RECORDED) == case.needs.count()
        assert kinds.count(v.CaseEventKind.AGENCY_INVOLVED) == case.involvements.count()
        assert kinds.count(v.CaseEventKind.PARTICIPANT_ADDED) == case.participants.count()
        assert kinds.count(ConsentEventKind.CONSENT_RECORDED) == case.consent_decisions.count()
        for event in case.events.all():
            assert event.facet == kind_of(event.kind).facet_for(event.params), event.kind
        assert case.updated_at == max(event.occurred_at for event in case.events.all())
        assert case.events.order_by("occurred_at", "pk").first().kind == v.CaseEventKind.OPENED


def test_closed_cases_have_a_reason_and_a_closing_event(run_demo):
    run_demo(cases=60)
    closed = Case.objects.filter(status=v.CaseStatus.CLOSED)
    assert closed.exists() and Case.objects.filter(status=v.CaseStatus.OPEN).exists()
    for case in closed:
        assert case.closure_reason and case.closed_at
        assert case.events.filter(kind=v.CaseEventKind.CLOSED).count() == 1


def test_nothing_seeded_happens_after_the_anchor_day(run_demo):
    anchor = timezone.localdate() - timezone.timedelta(days=30)
    run_demo(cases=40, anchor=anchor)
    assert CaseEvent.objects.exists()
    assert not CaseEvent.objects.filter(occurred_at__date__gte=anchor).exists()
    assert not Case.objects.filter(incidents__occurred_on__gte=anchor).exists()
    assert not Case.objects.filter(incidents__occurred_on__lt=anchor - timezone.timedelta(days=3 * 365)).exists()


def _consent_still_in_force(decision: ConsentDecision) -> bool:
    later = ConsentDecision.objects.filter(case=decision.case, agency=decision.agency,
                                           decided_at__gt=decision.decided_at)
    current = CaseAgency.objects.filter(case=decision.case, agency=decision.agency, ended_at__isnull=True)
    return not later.exists() and current.exists()


def test_involved_agencies_see_the_cases_she_agreed_to_share_with_them(seeded):
    given = ConsentDecision.objects.filter(scope="share_agency", decision="given").select_related("agency", "case")
    decision = next(d for d in given if _consent_still_in_force(d))
    worker = next(m for m in decision.agency.memberships.select_related("user") if m.does_casework)

    assert policy.can_view_case(acting_as(worker.user.email, decision.agency), decision.case)


def test_an_agency_she_declined_to_share_with_does_not_see_her_case(run_demo):
    run_demo(cases=60)
    declined = ConsentDecision.objects.filter(scope="share_agency", decision="declined").select_related("agency")
    decision = next(d for d in declined if not d.case.overrides.filter(agency=d.agency).exists())
    worker = next(m for m in decision.agency.memberships.select_related("user") if m.does_casework)

    assert not policy.can_view_case(acting_as(worker.user.email, decision.agency), decision.case)


def test_survivors_and_persons_causing_harm_have_diverse_names(run_demo):
    run_demo(cases=100)
    survivors = Person.objects.filter(cases_as_survivor__isnull=False)
    assert survivors.values("family_name").distinct().count() > 40
    assert survivors.exclude(ethnicity__in=["", "white"]).exists()
    assert survivors.filter(ethnicity="").exists() and survivors.filter(ethnicity="prefer_not_to_say").exists()
    assert CaseParticipant.objects.filter(role=v.ParticipantRole.CHILD).exists()
    assert PersonAlias.objects.exists()


def test_seeded_cases_can_be_worked_through_the_services(seeded):
    case = Case.objects.filter(status=v.CaseStatus.OPEN).select_related("lead_agency").first()
    lead = acting_as(case.created_by.email, case.lead_agency)
    case = policy.get_case(lead, case.reference)

    services.need_record(actor=lead, case=case, details=NeedDetails(in_her_words="A lift to court", category="legal"))

    assert selectors.case_timeline(policy.decide(lead, case))[0].kind == v.CaseEventKind.NEED_RECORDED


def test_seeded_locations_are_encrypted_held_by_the_lead_and_kept_off_the_timeline(seeded):
    from concord.people.models import ProtectedLocation

    locations = list(ProtectedLocation.objects.select_related("case__lead_agency"))
    assert any(location.kind == "refuge" for location in locations)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT address FROM {ProtectedLocation._meta.db_table}")
        assert not any("," in row[0] for row in cursor.fetchall())  # tokens, not addresses
    refuge = next(location for location in locations if location.kind == "refuge")
    case = refuge.case
    assert policy.can_see_protected(acting_as(case.created_by.email, case.lead_agency), case)
    for involvement in case.involvements.select_related("agency"):
        if involvement.agency.is_perpetrator_facing:
            staff = involvement.agency.memberships.select_related("user").first()
            assert not policy.can_see_protected(acting_as(staff.user.email, involvement.agency), case)
    lines = [f"{entry.title} {entry.detail}" for entry in
             selectors.case_timeline(policy.decide(acting_as(case.created_by.email, case.lead_agency), case))]
    assert not any("Refuge location" in line or refuge.address in line for line in lines)
    assert all(event.facet == "protected" for event in case.events.filter(kind="location_recorded"))


def test_the_demo_is_refused_outside_demo_mode(db, settings):
    """Its accounts share a published password and have no second factor yet."""
    import pytest
    from django.core.management import CommandError, call_command

    from concord.accounts.models import Area

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("demo", cases=1, verbosity=0)
    assert not Area.objects.exists()
