"""The consent ledger: append-only, and what is in force is derived from the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.consent import selectors
from concord.consent.models import ConsentDecision
from concord.consent.services import consent_record
from concord.testing.factories import make_case

DECISIONS = ["given", "declined", "withdrawn"]


def test_decisions_cannot_be_edited_or_deleted(advocate, police):
    case = make_case(advocate)
    record = consent_record(actor=advocate, case=case, scope="share_agency", agency=police, decision="given",
                            method="written")
    record.decision = "withdrawn"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    assert ConsentDecision.objects.get().decision == "given"


def test_decision_must_name_what_it_is_about(advocate):
    case = make_case(advocate)
    with pytest.raises(ValidationError):
        consent_record(actor=advocate, case=case, scope="share_agency", decision="given", method="verbal")
    with pytest.raises(ValidationError):
        consent_record(actor=advocate, case=case, scope="contact", sector="police", decision="given",
                       method="verbal")


def test_agency_level_decision_outranks_sector_level(advocate, police):
    from concord import policy
    from concord.testing.factories import make_actor, share_with

    case = make_case(advocate)
    share_with(advocate, case, police, consent=False)
    officer = make_actor(police)
    consent_record(actor=advocate, case=case, scope="share_sector", sector="police", decision="given",
                   method="verbal")
    assert policy.can_view_case(officer, case)
    consent_record(actor=advocate, case=case, scope="share_agency", agency=police, decision="declined",
                   method="verbal")
    assert not policy.can_view_case(officer, case)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(DECISIONS), st.integers(min_value=-3, max_value=3),
                                st.one_of(st.none(), st.integers(min_value=-5, max_value=5))),
                      min_size=1, max_size=8))
@pytest.mark.django_db
def test_state_in_force_is_the_last_decision_whatever_the_sequence(steps, advocate, police):
    """For any sequence of decisions (recorded in any order of their decision times, some expiring),
    the derived state equals the latest decision, counting a lapsed "given" as no consent — and the
    access rule agrees with the ledger."""
    from concord import policy
    from concord.testing.factories import make_actor, share_with

    case = make_case(advocate)
    share_with(advocate, case, police, consent=False)
    officer = make_actor(police)
    now = timezone.now()
    recorded = []
    for index, (decision, days_ago, expires_in) in enumerate(steps):
        decided_at = now - datetime.timedelta(days=10 + days_ago, seconds=index)
        expires_at = None if expires_in is None else decided_at + datetime.timedelta(days=10 + days_ago + expires_in)
        if expires_at is not None and expires_at <= decided_at:
            expires_at = decided_at + datetime.timedelta(hours=1)
        recorded.append(consent_record(actor=advocate, case=case, scope="share_agency", agency=police,
                                       decision=decision, method="verbal", decided_at=decided_at,
                                       expires_at=expires_at))
    last = max(recorded, key=lambda d: (d.decided_at, d.pk))
    expected = last.decision == "given" and (last.expires_at is None or last.expires_at > now)

    picture = {state.key: state for state in selectors.consent_picture(case, at=now)}
    state = picture[("share_agency", str(police.pk))]
    assert state.decision.pk == last.pk
    assert state.in_force is expected
    assert policy.can_view_case(officer, case) is expected


def test_a_later_sector_withdrawal_ends_an_earlier_agency_agreement(advocate, police):
    from concord import policy
    from concord.testing.factories import make_actor, share_with

    case = make_case(advocate)
    share_with(advocate, case, police)  # "given" for this police agency
    officer = make_actor(police)
    assert policy.can_view_case(officer, case)
    consent_record(actor=advocate, case=case, scope="share_sector", sector="police", decision="withdrawn",
                   method="verbal")
    assert not policy.can_view_case(officer, case)


def test_an_involved_agency_cannot_consent_itself_into_access_but_can_record_a_withdrawal(advocate, police):
    from django.core.exceptions import PermissionDenied

    from concord import policy
    from concord.testing.factories import make_actor, share_with

    case = make_case(advocate)
    share_with(advocate, case, police)
    officer = make_actor(police)
    for scope, target in (("share_agency", {"agency": police}), ("share_sector", {"sector": "police"}),
                          ("contact", {"channel": "text"})):
        with pytest.raises(PermissionDenied):
            consent_record(actor=officer, case=case, scope=scope, decision="given", method="verbal", **target)
    # Whoever she tells can stop the sharing at once.
    consent_record(actor=officer, case=case, scope="share_agency", agency=police, decision="withdrawn",
                   method="verbal", note="She told the officer she does not want the police to have this.")
    assert not policy.can_view_case(officer, case)


def _expected_access(recorded, now) -> bool:
    """The rule, stated independently of the code: the latest decision about this agency or its
    sector wins, except that a sector-level "given" never overturns an agency-level refusal."""
    def given_now(d):
        return d.decision == "given" and (d.expires_at is None or d.expires_at > now)

    def order(d):
        return (d.decided_at, d.pk)

    by_agency = [d for d in recorded if d.scope == "share_agency"]
    by_sector = [d for d in recorded if d.scope == "share_sector"]
    agency_latest = max(by_agency, key=order) if by_agency else None
    sector_latest = max(by_sector, key=order) if by_sector else None
    if agency_latest is None:
        return sector_latest is not None and given_now(sector_latest)
    if sector_latest is not None and order(sector_latest) > order(agency_latest) and sector_latest.decision != "given":
        return False
    return given_now(agency_latest)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["share_agency", "share_sector"]), st.sampled_from(DECISIONS),
                                st.integers(min_value=-3, max_value=3),
                                st.one_of(st.none(), st.integers(min_value=-5, max_value=5))),
                      min_size=1, max_size=8))
@pytest.mark.django_db
def test_access_follows_agency_and_sector_decisions_together(steps, advocate, police):
    from concord import policy
    from concord.testing.factories import make_actor, share_with

    case = make_case(advocate)
    share_with(advocate, case, police, consent=False)
    officer = make_actor(police)
    now = timezone.now()
    recorded = []
    for index, (scope, decision, days_ago, expires_in) in enumerate(steps):
        decided_at = now - datetime.timedelta(days=10 + days_ago, seconds=index)
        expires_at = None if expires_in is None else decided_at + datetime.timedelta(days=10 + days_ago + expires_in)
        if expires_at is not None and expires_at <= decided_at:
            expires_at = decided_at + datetime.timedelta(hours=1)
        target = {"agency": police} if scope == "share_agency" else {"sector": "police"}
        recorded.append(consent_record(actor=advocate, case=case, scope=scope, decision=decision, method="verbal",
                                       decided_at=decided_at, expires_at=expires_at, **target))
    expected = _expected_access(recorded, now)
    assert policy.can_view_case(officer, case) is expected
    assert bool(policy.access_basis(officer, case)) is expected
