"""A referral's life: consent checked (or a supervisor's override), the receiver reads only the packet
until it accepts, then is involved under that consent; declined, completed, withdrawn; each on the
timeline; the derived access table stays what the ledger gives."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from concord import policy
from concord.access.derive import differences
from concord.access.facets import Facet
from concord.accounts.models import Role, Sector
from concord.cases.models import CaseAgency, CaseEvent, Need
from concord.consent.services import consent_record
from concord.policy import ReferralAction
from concord.referrals import selectors, services
from concord.referrals.services import ReferralDetails
from concord.referrals.vocabularies import ReferralStatus
from concord.testing.factories import make_actor, make_agency, make_area, make_case, share_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    area = make_area()
    police = make_actor(make_agency(area, Sector.POLICE, "Police"))
    advocacy = make_actor(make_agency(area, Sector.SPECIALIST_ADVOCACY, "Advocacy"))
    housing = make_actor(make_agency(area, Sector.HOUSING, "Housing"))
    case = make_case(police)
    return police, advocacy, housing, case


def _consent_to_refer(actor, case, agency, decision="given"):
    return consent_record(actor=actor, case=case, scope="refer", agency=agency, decision=decision, method="verbal")


def _send(actor, case, to, **more):
    needs = list(Need.objects.filter(case=case))
    return services.referral_send(actor=actor, case=case, details=ReferralDetails(
        to_agency=to, reason="She wants an advocate", needs=needs, packet_note="Call before noon", **more))


def test_without_her_consent_a_practitioner_cannot_send_and_nothing_is_saved(partnership):
    police, advocacy, _, case = partnership
    with pytest.raises(ValidationError) as refused:
        _send(police, case, advocacy.agency)
    assert "consent" in refused.value.message_dict
    assert not case.referrals.exists()
    _consent_to_refer(police, case, advocacy.agency, "declined")
    with pytest.raises(ValidationError):
        _send(police, case, advocacy.agency)
    # A supervisor who is not of the lead agency may not override.
    share_with(police, case, advocacy.agency)
    with pytest.raises(ValidationError) as not_lead:
        _send(make_actor(advocacy.agency, Role.SUPERVISOR), case, make_agency(case.area, Sector.HEALTH),
              legal_basis="risk_to_life", override_reason="Now")
    assert "legal_basis" in not_lead.value.message_dict
    assert not case.referrals.exists()


def test_the_receiver_reads_only_the_packet_until_it_accepts_then_is_involved_under_her_consent(partnership):
    police, advocacy, _, case = partnership
    _consent_to_refer(police, case, advocacy.agency)
    referral = _send(police, case, advocacy.agency)
    assert referral.consent_basis == "consent" and referral.respond_by > referral.sent_at

    # Before accepting: the packet, never the case.
    decision = policy.decide(advocacy, case)
    assert not decision.visible and decision.facets == {Facet.REFERRAL_PACKET}
    with pytest.raises(Http404):
        policy.case_access(advocacy, case.reference)
    assert not policy.cases_visible_to(advocacy).filter(pk=case.pk).exists()
    seen = policy.referral_access(advocacy, referral.pk)
    packet = selectors.packet_of(seen)
    assert packet is not None and packet.name == "Amina Khan" and packet.note == "Call before noon"
    assert [need.in_her_words for need in packet.needs] == ["I need the locks changed"]
    assert seen.actions == {ReferralAction.ACCEPT, ReferralAction.DECLINE}
    assert selectors.counts_for(advocacy).incoming_waiting == 1
    assert selectors.counts_for(police).outgoing_waiting == 1

    services.referral_accept(actor=advocacy, referral=referral, expected_version=referral.version)
    decision = policy.decide(advocacy, case)
    assert decision.visible and decision.basis.kind == "consent"
    assert Facet.NEEDS in decision.facets and Facet.PROTECTED not in decision.facets
    assert CaseAgency.objects.filter(case=case, agency=advocacy.agency, ended_at__isnull=True).exists()
    assert differences([case.pk]) == (set(), set())
    assert list(CaseEvent.objects.filter(case=case, kind__startswith="referral_").values_list("kind", flat=True)
                .order_by("occurred_at", "id")) == ["referral_sent", "referral_accepted"]

    # Her withdrawal of the consent that allowed the referral ends the access at once.
    _consent_to_refer(police, case, advocacy.agency, "withdrawn")
    assert not policy.decide(advocacy, case).visible


def test_a_declined_referral_leaves_her_needs_open_and_the_packet_closed(partnership):
    police, advocacy, _, case = partnership
    _consent_to_refer(police, case, advocacy.agency)
    referral = _send(police, case, advocacy.agency)
    with pytest.raises(ValidationError) as no_reason:
        services.referral_decline(actor=advocacy, referral=referral, reason="other")
    assert "note" in no_reason.value.message_dict
    services.referral_decline(actor=advocacy, referral=referral, reason="no_capacity")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert not policy.decide(advocacy, case).facets
    assert selectors.packet_of(policy.referral_access(advocacy, referral.pk)) is None
    assert set(Need.objects.filter(case=case).values_list("status", flat=True)) == {"open"}
    # The sender sees the answer; the receiver cannot answer twice.
    assert policy.referral_access(police, referral.pk).referral.status == ReferralStatus.DECLINED
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=advocacy, referral=referral)


def test_completion_moves_the_needs_it_answered(partnership):
    police, advocacy, _, case = partnership
    _consent_to_refer(police, case, advocacy.agency)
    referral = _send(police, case, advocacy.agency)
    services.referral_accept(actor=advocacy, referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_complete(actor=police, referral=referral, outcome="need_met")
    services.referral_complete(actor=advocacy, referral=referral, outcome="need_met", note="Locks changed")
    assert set(Need.objects.filter(case=case).values_list("status", flat=True)) == {"met"}
    need = Need.objects.get(case=case)
    assert need.history.count() == 2


def test_the_sender_withdraws_a_waiting_referral_and_the_receiver_loses_the_packet(partnership):
    police, advocacy, _, case = partnership
    _consent_to_refer(police, case, advocacy.agency)
    referral = _send(police, case, advocacy.agency)
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(actor=advocacy, referral=referral, reason="no")
    with pytest.raises(ValidationError):
        services.referral_withdraw(actor=police, referral=referral, reason=" ")
    services.referral_withdraw(actor=police, referral=referral, reason="She changed her mind",
                               expected_version=referral.version)
    assert not policy.decide(advocacy, case).facets
    listed = selectors.listed(advocacy, list(selectors.referrals_of_agency(advocacy)))
    assert [(row.name, row.reference) for row in listed] == [("", "")]
    # A stale answer is refused with what changed.
    with pytest.raises(ValidationError) as stale:
        services.referral_accept(actor=advocacy, referral=referral, expected_version=1)
    assert "version" in stale.value.message_dict


def test_a_supervisor_of_the_lead_agency_overrides_with_a_legal_basis(partnership):
    police, advocacy, _, case = partnership
    supervisor = make_actor(police.agency, Role.SUPERVISOR)
    with pytest.raises(ValidationError) as no_reason:
        _send(supervisor, case, advocacy.agency, legal_basis="risk_to_life")
    assert "override_reason" in no_reason.value.message_dict
    referral = _send(supervisor, case, advocacy.agency, legal_basis="risk_to_life",
                     override_reason="He has threatened to kill her tonight")
    assert referral.consent_basis == "override"
    services.referral_accept(actor=advocacy, referral=referral)
    referral.refresh_from_db()
    decision = policy.decide(advocacy, case)
    assert decision.visible and decision.basis.kind == "override" and referral.override is not None
    assert Facet.NEEDS in decision.facets and Facet.CONSENT not in decision.facets
    assert referral.override.authorised_by == supervisor.user
    assert differences([case.pk]) == (set(), set())


def test_no_referral_to_an_agency_working_with_him_or_twice_to_one_agency(partnership):
    police, advocacy, _, case = partnership
    probation = make_agency(case.area, Sector.PROBATION)
    with pytest.raises(ValidationError) as to_probation:
        _send(police, case, probation)
    assert "to_agency" in to_probation.value.message_dict
    _consent_to_refer(police, case, advocacy.agency)
    _send(police, case, advocacy.agency)
    with pytest.raises(ValidationError) as twice:
        _send(police, case, advocacy.agency)
    assert "to_agency" in twice.value.message_dict


def test_an_agency_on_neither_side_gets_a_404(partnership):
    police, advocacy, housing, case = partnership
    _consent_to_refer(police, case, advocacy.agency)
    referral = _send(police, case, advocacy.agency)
    with pytest.raises(Http404):
        policy.referral_access(housing, referral.pk)
    assert not policy.referrals_visible_to(housing).exists()
