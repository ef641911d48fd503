"""One decision per person and case: visibility, basis, facets and actions, from each basis."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from concord import policy
from concord.access.derive import refresh_case
from concord.access.facets import CONSENT_FACETS, LEAD_FACETS, Facet
from concord.accounts.models import Role
from concord.cases import services as case_services
from concord.consent import services as consent_services
from concord.consent.models import Override
from concord.policy import Action
from concord.testing.factories import make_actor, make_agency, make_area, make_case, share_with


def test_lead_agency_holds_every_facet_and_manages(advocate):
    case = make_case(advocate)
    access = policy.decide(advocate, case)
    assert access.visible and access.facets == LEAD_FACETS
    assert access.basis.kind == "lead" and access.basis_label == "lead@r2"
    assert {Action.MANAGE, Action.AUTHORISE_OVERRIDE, Action.CORRECT_DETAILS} <= access.actions


def test_consent_opens_the_shared_case_without_protected_details_or_oversight(advocate, police):
    case = make_case(advocate)
    decision = share_with(advocate, case, police)
    access = policy.decide(make_actor(police), case)
    assert access.facets == CONSENT_FACETS
    assert not access.sees(Facet.PROTECTED) and not access.sees(Facet.OVERRIDES)
    assert not access.sees(Facet.ACCESS_LOG)
    assert access.basis_label == f"consent:{decision.pk}@r2"
    assert access.may(Action.RECORD_INCIDENT) and access.may(Action.RECORD_REFUSAL)
    assert not access.may(Action.MANAGE) and not access.may(Action.CORRECT_DETAILS)


def test_an_override_opens_only_its_purpose(advocate, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(advocate)
    override = consent_services.override_authorise(actor=advocate, case=case, agency=probation,
                                                   legal_basis="risk_to_life", reason="threat to kill")
    access = policy.decide(make_actor(probation), case)
    assert access.facets == {Facet.CORE, Facet.INCIDENT_NARRATIVES}
    assert access.basis_label == f"override:{override.pk}@r2"
    assert not access.sees(Facet.NEEDS) and not access.sees(Facet.CONSENT)


def test_an_override_never_opens_protected_details(advocate, police):
    case = make_case(advocate)
    with pytest.raises(Exception, match="never opens her protected details"):
        consent_services.override_authorise(actor=advocate, case=case, agency=police, legal_basis="risk_to_life",
                                            reason="x", facets=["core", "protected"])
    consent_services.override_authorise(actor=advocate, case=case, agency=police, legal_basis="risk_to_life",
                                        reason="x", facets=["needs"])
    access = policy.decide(make_actor(police), case)
    assert access.facets == {Facet.CORE, Facet.NEEDS}


def test_an_agency_working_with_him_never_holds_her_risk_answers_or_safety_plan(advocate, police, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(advocate)
    share_with(advocate, case, probation)
    share_with(advocate, case, police)
    under_consent = policy.decide(make_actor(probation), case)
    assert under_consent.visible and under_consent.sees(Facet.NEEDS)
    assert not under_consent.sees(Facet.RISK_ANSWERS) and not under_consent.sees(Facet.SAFETY_PLAN)
    # An override may not name them for an agency working with him (the service says so)...
    supervisor = make_actor(case.lead_agency, role=Role.SUPERVISOR)
    with pytest.raises(ValidationError) as refused:
        consent_services.override_authorise(actor=supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                            reason="x", facets=["risk_answers", "safety_plan"])
    assert "never sees her risk answers" in str(refused.value.message_dict["facets"])
    # ...and one that names them anyway (written past the service) opens them for nobody working with him.
    Override.objects.create(case=case, agency=probation, legal_basis="risk_to_life", reason="x",
                            facets=["core", "risk_answers", "safety_plan"], authorised_by=supervisor.user,
                            authorised_for=supervisor.agency, starts_at=timezone.now(),
                            expires_at=timezone.now() + datetime.timedelta(days=3))
    refresh_case(case)
    with_override = policy.decide(make_actor(probation), case)
    assert with_override.bases and "override" in {basis.kind for basis in with_override.bases}
    assert not with_override.sees(Facet.RISK_ANSWERS) and not with_override.sees(Facet.SAFETY_PLAN)
    # The police, sharing under her consent, hold both.
    officer = policy.decide(make_actor(police), case)
    assert officer.sees(Facet.RISK_ANSWERS) and officer.sees(Facet.SAFETY_PLAN)


def test_need_to_know_adds_protected_details_to_a_visible_case_only(advocate, police):
    case = make_case(advocate)
    case_services.agency_involve(actor=advocate, case=case, agency=police)
    consent_services.protected_info_grant(actor=advocate, case=case, agency=police, reason="urgent response flag")
    officer = make_actor(police)
    assert not policy.decide(officer, case).visible  # a grant alone opens nothing
    share_with(advocate, case, police, involve=False)
    assert policy.decide(officer, case).sees(Facet.PROTECTED)


def test_perpetrator_facing_agency_never_holds_protected_details_even_as_lead(area):
    probation = make_agency(area, "probation", "Northshire Probation")
    lead = make_actor(probation)
    case = make_case(lead)
    access = policy.decide(lead, case)
    assert access.visible and not access.sees(Facet.PROTECTED) and not access.sees(Facet.CONTACT_CHANNELS)


def test_restriction_and_conflict_close_the_case_to_the_person(advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    officer, colleague = make_actor(police), make_actor(police)
    case_services.case_restrict(actor=advocate, case=case, named_users=[officer.user])
    assert policy.decide(officer, case).basis_label.endswith("+restricted-named@r2")
    assert policy.listed_bases(officer, [case]) == {case.pk: policy.decide(officer, case).basis_label}
    assert not policy.decide(colleague, case).visible
    case_services.conflict_declare(actor=officer, case=case)
    assert not policy.decide(officer, case).visible
    with pytest.raises(Http404):
        policy.case_access(officer, case.reference)


def test_case_access_and_decide_are_one_query_each(advocate, police, django_assert_num_queries):
    case = make_case(advocate)
    share_with(advocate, case, police)
    officer = make_actor(police)
    officer.agency.area  # noqa: B018 - the membership's agency and area are loaded with the session
    with django_assert_num_queries(1):
        decision = policy.case_access(officer, case.reference)
    assert decision.visible and decision.case.survivor.full_name and decision.case.lead_agency.name
    with django_assert_num_queries(1):
        assert policy.decide(officer, case).visible


def test_the_basis_is_taken_before_a_write_that_ends_it(advocate, police):
    """A withdrawal recorded by the police, and a conflict declared, are logged with the basis that
    allowed them, not an empty one."""
    from concord.audit.models import AccessLogEntry

    case = make_case(advocate)
    decision = share_with(advocate, case, police)
    officer = make_actor(police)
    consent_services.consent_record(actor=officer, case=case, scope="share_agency", agency=police,
                                    decision="withdrawn", method="verbal")
    entry = AccessLogEntry.objects.filter(case_id=case.pk, user_id=officer.user.pk).latest("sequence")
    assert entry.basis == f"consent:{decision.pk}@r2"
    case_services.conflict_declare(actor=advocate, case=case)
    entry = AccessLogEntry.objects.filter(case_id=case.pk, user_id=advocate.user.pk).latest("sequence")
    assert entry.basis == "lead@r2"


def _same(left: policy.AccessDecision, right: policy.AccessDecision) -> bool:
    fields = ("visible", "bases", "facets", "actions", "restricted_named", "own_agency_id", "agencies_with_access",
              "overrides_in_force", "need_to_know_grants")
    return all(getattr(left, name) == getattr(right, name) for name in fields)


def _page_decision(actor, case) -> policy.AccessDecision | None:
    try:
        return policy.case_access(actor, case.reference)
    except Http404:
        return None


def test_the_case_pages_statement_and_the_services_query_decide_alike(advocate, police, area):
    """case_access (every page inside a case: one prepared statement) and decide (services, with the case in
    hand: the ORM) read the same rows: the same decision for everyone, in every situation."""
    probation = make_agency(area, "probation", "Northshire Probation")
    housing = make_agency(area, "housing", "Northshire Housing")
    readers = [advocate, make_actor(advocate.agency), make_actor(police), make_actor(probation), make_actor(housing),
               make_actor(police, role=Role.ANALYST)]
    shared = make_case(advocate, given_name="Ngozi")
    share_with(advocate, shared, police)
    overridden = make_case(advocate, given_name="Zoe")
    consent_services.override_authorise(actor=advocate, case=overridden, agency=probation,
                                        legal_basis="risk_to_life", reason="threat to kill")
    restricted = make_case(advocate, given_name="Beth")
    share_with(advocate, restricted, police)
    case_services.case_restrict(actor=advocate, case=restricted, named_users=[advocate.user, readers[2].user])
    conflicted = make_case(advocate, given_name="Maria")
    case_services.conflict_declare(actor=readers[1], case=conflicted, reason="she is my neighbour")
    unnamed = make_case(advocate, given_name="Grace")  # named, then no longer
    share_with(advocate, unnamed, police)
    case_services.case_restrict(actor=advocate, case=unnamed, named_users=[readers[2].user])
    case_services.case_restrict(actor=advocate, case=unnamed, named_users=[])
    elsewhere = make_case(make_actor(make_agency(make_area("Southshire", "STH"), "specialist_advocacy"),
                                     role=Role.SUPERVISOR))
    for case in (shared, overridden, restricted, conflicted, unnamed, elsewhere):
        case.refresh_from_db()
        for reader in readers:
            by_service = policy.decide(reader, case)
            by_page = _page_decision(reader, case)
            if not by_service.visible:
                assert by_page is None, (reader.agency.name, case.reference)
            else:
                assert by_page is not None and _same(by_page, by_service), (reader.agency.name, case.reference)
                assert by_page.case.survivor.full_name == case.survivor.full_name
                assert by_page.case.lead_agency == case.lead_agency and by_page.case.area == case.area

