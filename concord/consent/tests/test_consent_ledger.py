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
