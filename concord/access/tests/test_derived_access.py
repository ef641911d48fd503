"""The derived access table equals the access rule recomputed from the ledger, whatever the history."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord import policy
from concord.access.derive import differences
from concord.access.models import AgencyAccess
from concord.cases import services as case_services
from concord.cases.models import Case, CaseAgency
from concord.consent import selectors as consent
from concord.consent import services as consent_services
from concord.testing.factories import make_actor, make_case

HOUR = datetime.timedelta(hours=1)


def ledger_rule(case: Case, agency, at: datetime.datetime) -> bool:
    """The rule as the ledger states it, in SQL, straight from the records (the pre-derived query)."""
    cases = consent.with_sharing_consent(Case.objects.filter(pk=case.pk), agency, at)
    involved = Exists(CaseAgency.objects.filter(case=OuterRef("pk"), agency=agency, ended_at__isnull=True))
    return cases.filter(Q(lead_agency=agency) | (Q(involved) & consent.sharing_consented_q(at))
                        | consent.override_in_force_q(agency, at)).exists()


def derived_rule(case: Case, agency, at: datetime.datetime) -> bool:
    return AgencyAccess.objects.filter(case=case, agency=agency).opening().valid_at(at).exists()


STEP = st.one_of(
    st.tuples(st.just("agency"), st.sampled_from(["given", "declined", "withdrawn"]),
              st.integers(min_value=-48, max_value=0), st.one_of(st.none(), st.integers(min_value=1, max_value=72))),
    st.tuples(st.just("sector"), st.sampled_from(["given", "declined", "withdrawn"]),
              st.integers(min_value=-48, max_value=0), st.one_of(st.none(), st.integers(min_value=1, max_value=72))),
    st.tuples(st.just("involve"), st.none(), st.none(), st.none()),
    st.tuples(st.just("end_involvement"), st.none(), st.none(), st.none()),
    st.tuples(st.just("override"), st.none(), st.none(), st.integers(min_value=1, max_value=72)),
    st.tuples(st.just("end_override"), st.none(), st.none(), st.none()),
)


def _apply(step, *, lead, case, police):
    what, decision, offset, hours = step
    now = timezone.now()
    if what in ("agency", "sector"):
        target = {"agency": police} if what == "agency" else {"sector": "police"}
        consent_services.consent_record(
            actor=lead, case=case, scope="share_agency" if what == "agency" else "share_sector", decision=decision,
            method="verbal", decided_at=now + offset * HOUR,
            expires_at=now + hours * HOUR if hours and decision == "given" else None, **target)
    elif what == "involve" and not case.involvements.filter(agency=police, ended_at__isnull=True).exists():
        case_services.agency_involve(actor=lead, case=case, agency=police)
    elif what == "end_involvement":
        for involvement in case.involvements.filter(agency=police, ended_at__isnull=True):
            case_services.agency_end_involvement(actor=lead, involvement=involvement)
    elif what == "override":
        consent_services.override_authorise(actor=lead, case=case, agency=police, legal_basis="risk_to_life",
                                            reason="threat to kill", expires_at=now + hours * HOUR)
    elif what == "end_override":
        for override in case.overrides.filter(agency=police, ended_at__isnull=True):
            consent_services.override_end(actor=lead, override=override)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=8))
@pytest.mark.django_db
def test_derived_table_equals_the_ledger_now_and_later(steps, advocate, police):
    """After every write of a mixed history (agency- and sector-level decisions, backdated and expiring,
    involvements begun and ended, overrides given and ended), the table holds exactly the rows the rule
    gives, and says "visible" at now and at every later hour exactly when the ledger's own rule does."""
    case = make_case(advocate)
    for step in steps:
        _apply(step, lead=advocate, case=case, police=police)
        assert differences([case.pk]) == (set(), set())
    now = timezone.now()
    for hours in (0, 1, 2, 5, 13, 25, 49, 73, 100):
        at = now + hours * HOUR
        assert derived_rule(case, police, at) == ledger_rule(case, police, at), f"at +{hours} h"
    officer = make_actor(police)
    assert policy.decide(officer, case).visible == ledger_rule(case, police, timezone.now())


def test_withdrawal_takes_effect_on_the_next_request(advocate, police):
    case = make_case(advocate)
    case_services.agency_involve(actor=advocate, case=case, agency=police)
    consent_services.consent_record(actor=advocate, case=case, scope="share_agency", agency=police,
                                    decision="given", method="verbal")
    officer = make_actor(police)
    assert policy.cases_visible_to(officer).filter(pk=case.pk).exists()
    consent_services.consent_record(actor=officer, case=case, scope="share_agency", agency=police,
                                    decision="withdrawn", method="verbal")
    assert not policy.cases_visible_to(officer).filter(pk=case.pk).exists()
    assert not policy.decide(officer, case).visible


def test_expiry_needs_no_job(advocate, police):
    """A consent with an expiry is a row with an end: it stops holding at that moment, untouched."""
    case = make_case(advocate)
    case_services.agency_involve(actor=advocate, case=case, agency=police)
    expires = timezone.now() + HOUR
    consent_services.consent_record(actor=advocate, case=case, scope="share_agency", agency=police,
                                    decision="given", method="verbal", expires_at=expires)
    assert derived_rule(case, police, expires - datetime.timedelta(seconds=1))
    assert not derived_rule(case, police, expires)


def test_access_check_finds_and_repairs_a_tampered_table(advocate, police):
    case = make_case(advocate)
    call_command("access_check", verbosity=0)
    AgencyAccess.objects.create(case=case, agency=police, basis="consent", source_id=999, facets=["core"])
    with pytest.raises(CommandError, match="differs from the ledger on 1 case"):
        call_command("access_check", verbosity=0)
    call_command("access_check", "--repair", verbosity=0)
    call_command("access_check", verbosity=0)
    assert not AgencyAccess.objects.filter(agency=police).exists()


def test_access_rebuild_recomputes_everything(advocate, police):
    case = make_case(advocate)
    AgencyAccess.objects.all().delete()
    call_command("access_rebuild", verbosity=0)
    assert differences([case.pk]) == (set(), set())
    assert AgencyAccess.objects.filter(case=case, agency=advocate.agency, basis="lead").exists()
