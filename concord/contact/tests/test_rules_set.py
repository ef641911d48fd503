"""Setting her contact rules: only who may contact her, stale edits refused, bad input a field error."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord import policy
from concord.accounts.models import Sector
from concord.cases.models import CaseEvent
from concord.contact.services import contact_rules_set
from concord.testing.factories import make_actor, make_agency, make_area, make_case, share_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_and_case():
    idva = make_actor(make_agency(make_area(), Sector.SPECIALIST_ADVOCACY))
    return idva, make_case(idva)


def test_the_lead_sets_her_rules_and_a_stale_edit_is_refused(lead_and_case):
    idva, case = lead_and_case
    rules = contact_rules_set(access=policy.decide(idva, case), version=None,
                              changes={"safe_channels": ["phone_call", "phone_call"],
                                       "safe_times": [{"days": [4, 0], "start": "09:00", "end": "17:00"}]})
    assert rules.safe_channels == ["phone_call"] and rules.safe_times == [
        {"days": [0, 4], "start": "09:00", "end": "17:00"}] and rules.version == 1
    assert CaseEvent.objects.filter(case=case, kind="contact_rules_set").count() == 1
    with pytest.raises(ValidationError) as stale:
        contact_rules_set(access=policy.decide(idva, case), version=None, changes={"voicemail_ok": True})
    assert "version" in stale.value.message_dict


@pytest.mark.parametrize("changes, field", [
    ({"safe_channels": ["carrier_pigeon"]}, "safe_channels"),
    ({"safe_times": [{"days": [0], "start": "17:00", "end": "09:00"}]}, "safe_times"),
    ({"safe_times": [{"days": [9], "start": "09:00", "end": "17:00"}]}, "safe_times"),
    ({"safe_times": [{"start": "09:00"}]}, "safe_times"),
    ({"home_address": "x"}, "home_address"),
])
def test_bad_rules_are_field_errors_and_nothing_is_saved(lead_and_case, changes, field):
    idva, case = lead_and_case
    with pytest.raises(ValidationError) as refused:
        contact_rules_set(access=policy.decide(idva, case), version=None, changes=changes)
    assert field in refused.value.message_dict
    assert not CaseEvent.objects.filter(case=case, kind="contact_rules_set").exists()


def test_an_agency_sharing_under_consent_without_her_contact_details_may_not_set_them(lead_and_case):
    idva, case = lead_and_case
    officer = make_actor(make_agency(case.area, Sector.POLICE))
    share_with(idva, case, officer.agency)
    with pytest.raises(PermissionDenied):
        contact_rules_set(access=policy.decide(officer, case), version=None, changes={"safe_channels": ["text"]})
