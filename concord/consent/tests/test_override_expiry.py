"""An override lapses by itself: 30 days after it is authorised unless the supervisor says
otherwise, and never later than 90 days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from concord.accounts.models import Role
from concord.consent.services import override_authorise
from concord.testing.factories import make_actor, make_case


@pytest.fixture
def supervisor(advocacy):
    return make_actor(advocacy, role=Role.SUPERVISOR)


def authorise(supervisor, agency, **kwargs):
    return override_authorise(actor=supervisor, case=make_case(supervisor), agency=agency,
                              legal_basis="risk_to_life", reason="Threat to kill made last night", **kwargs)


def test_override_expires_after_30_days_by_default(supervisor, police):
    before = timezone.now()
    override = authorise(supervisor, police)

    assert before + datetime.timedelta(days=30) <= override.expires_at <= timezone.now() + datetime.timedelta(days=30)
    assert override.in_force()
    assert not override.in_force(at=override.expires_at)


def test_override_may_be_given_a_shorter_expiry(supervisor, police):
    expires_at = timezone.now() + datetime.timedelta(days=7)

    assert authorise(supervisor, police, expires_at=expires_at).expires_at == expires_at


def test_override_may_last_90_days(supervisor, police):
    expires_at = timezone.now() + datetime.timedelta(days=90) - datetime.timedelta(seconds=5)

    assert authorise(supervisor, police, expires_at=expires_at).expires_at == expires_at


def test_override_cannot_last_more_than_90_days(supervisor, police):
    with pytest.raises(ValidationError, match="within 90 days"):
        authorise(supervisor, police, expires_at=timezone.now() + datetime.timedelta(days=90, minutes=1))


def test_override_cannot_expire_in_the_past(supervisor, police):
    with pytest.raises(ValidationError, match="within 90 days"):
        authorise(supervisor, police, expires_at=timezone.now() - datetime.timedelta(minutes=1))
