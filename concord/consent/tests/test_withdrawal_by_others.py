"""Who records her withdrawal (docs/decisions/0007): quick to record, and never a way to cut her off
from support on one agency's word. The scene of the review: probation recorded "withdrawn" for the whole
specialist-advocacy sector on a case led by children's services, and the IDVA service lost the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from concord import policy
from concord.consent import services
from concord.consent.models import ConsentDecision, WithdrawalToConfirm
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with


@pytest.fixture
def scene(area, advocacy, police):
    childrens = make_agency(area, "childrens_services", "Northshire Children's Services")
    probation = make_agency(area, "probation", "Northshire Probation")
    social_worker = make_actor(childrens)
    case = make_case(social_worker)
    idva, officer, manager = make_actor(advocacy), make_actor(police), make_actor(probation)
    for agency in (advocacy, police, probation):
        share_with(social_worker, case, agency)
    return case, social_worker, idva, officer, manager


def withdraw(actor, case, **target):
    scope = "share_agency" if "agency" in target else "share_sector"
    return services.consent_record(actor=actor, case=case, scope=scope, decision="withdrawn", method="verbal",
                                   **target)


def test_probation_records_no_decision_about_another_agency_or_sector(scene, advocacy):
    case, _lead, idva, _officer, manager = scene
    before = ConsentDecision.objects.count()
    with pytest.raises(PermissionDenied):
        withdraw(manager, case, sector="specialist_advocacy")
    with pytest.raises(PermissionDenied):
        withdraw(manager, case, agency=advocacy)
    assert ConsentDecision.objects.count() == before and not WithdrawalToConfirm.objects.exists()
    assert policy.can_view_case(idva, case)


def test_an_agency_records_her_withdrawal_from_itself_at_once(scene, police):
    case, _lead, _idva, officer, manager = scene
    assert isinstance(withdraw(officer, case, agency=police), ConsentDecision)
    assert not policy.can_view_case(officer, case)
    assert isinstance(withdraw(manager, case, agency=manager.agency), ConsentDecision)
    assert not policy.can_view_case(manager, case)


def test_narrowing_sharing_with_an_agency_working_with_him_takes_effect_at_once(scene):
    case, _lead, idva, _officer, manager = scene
    assert isinstance(withdraw(idva, case, agency=manager.agency), ConsentDecision)
    assert not policy.can_view_case(manager, case)


def test_another_agencys_withdrawal_goes_to_the_lead_to_confirm(scene, advocacy):
    case, lead, idva, officer, _manager = scene
    pending = withdraw(officer, case, sector="specialist_advocacy")
    assert isinstance(pending, WithdrawalToConfirm) and pending.is_open and pending.due_at > pending.recorded_at
    assert policy.can_view_case(idva, case)  # her support goes on until the lead confirms
    with pytest.raises(PermissionDenied):
        services.withdrawal_resolve(actor=officer, withdrawal=pending, confirm=True)
    with pytest.raises(ValidationError):
        services.withdrawal_resolve(actor=lead, withdrawal=pending, confirm=False)  # no reason given
    confirmed = services.withdrawal_resolve(actor=lead, withdrawal=pending, confirm=True)
    assert confirmed.decision_recorded.decision == "withdrawn"
    assert confirmed.decision_recorded.recorded_for == officer.agency  # as she told the police
    assert not policy.can_view_case(idva, case)
    with pytest.raises(ValidationError):
        services.withdrawal_resolve(actor=lead, withdrawal=pending, confirm=False, note="twice")


def test_the_lead_may_not_confirm_saying_why(scene, advocacy):
    case, lead, idva, officer, _manager = scene
    pending = withdraw(officer, case, agency=advocacy)
    kept = services.withdrawal_resolve(actor=lead, withdrawal=pending, confirm=False,
                                       note="She told us today she wants the IDVA to stay involved")
    assert kept.outcome == "not_confirmed" and kept.decision_recorded is None
    assert policy.can_view_case(idva, case)


def test_the_lead_sees_it_with_its_deadline_and_confirms_it_on_the_case_page(client, scene, advocacy):
    case, lead, idva, officer, _manager = scene
    login(client, officer)
    response = client.post(reverse("web:consent_add", args=[case.reference]),
                           {"scope": "share_agency", "agency": advocacy.pk, "decision": "withdrawn",
                            "method": "verbal", "note": "Does not want the IDVA calling"}, follow=True)
    assert "Sent to the lead agency to confirm by" in response.content.decode()
    assert policy.can_view_case(idva, case)
    login(client, lead)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "Withdrawals to confirm" in page and "to confirm by" in page and "Does not want the IDVA calling" in page
    pending = WithdrawalToConfirm.objects.get()
    response = client.post(reverse("web:withdrawal_resolve", args=[case.reference, pending.pk]),
                           {"outcome": "confirmed"}, follow=True)
    assert "sharing has narrowed" in response.content.decode()
    assert not policy.can_view_case(idva, case)
    assert case.events.filter(kind__in=["withdrawal_to_confirm", "withdrawal_confirmed"]).count() == 2
    # Only the lead resolves, and only a withdrawal of this case.
    login(client, officer)
    assert client.post(reverse("web:withdrawal_resolve", args=[case.reference, pending.pk]),
                       {"outcome": "confirmed"}).status_code == 403
