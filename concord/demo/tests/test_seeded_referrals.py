"""The demo's referrals: the police can send one she agreed to, the IDVA service has one overdue to
read as a packet and accept; the derived access table agrees with the ledger."""

import pytest
from django.http import Http404

from concord import policy
from concord.access.derive import differences
from concord.access.facets import Facet
from concord.demo import referrals
from concord.referrals import selectors, services
from concord.referrals.services import consent_to_refer

from .conftest import acting_as

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_referral_to_send_and_one_overdue_to_answer(run_demo):
    printed = run_demo(cases=60)
    found = referrals.find()
    assert found.to_send is not None and found.waiting is not None
    police, idva = acting_as("police@demo.concord.test"), acting_as("idva@demo.concord.test")
    assert consent_to_refer(found.to_send, found.waiting.to_agency) is not None
    assert selectors.counts_for(idva).incoming_overdue == 1
    case = found.waiting.case
    with pytest.raises(Http404):
        policy.case_access(idva, case.reference)
    seen = policy.referral_access(idva, found.waiting.pk)
    assert seen.sees_packet and selectors.packet_of(seen).note.startswith("She works mornings")
    assert differences([case.pk, found.to_send.pk]) == (set(), set())
    services.referral_accept(actor=idva, referral=found.waiting)
    assert policy.case_access(idva, case.reference).sees(Facet.NEEDS)
    assert policy.case_access(police, found.to_send.reference).may(policy.Action.REFER)
    assert "Referrals:" in printed or "Referrals:" in _logins()


def _logins() -> str:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()
