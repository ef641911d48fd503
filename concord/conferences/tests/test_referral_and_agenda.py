"""Referral to the conference and the agenda: the criteria come from the risk level's reasons (and
the referrer's judgement, with its reason); her consent or a lead supervisor's legal basis; whether
she knows; one live referral per case; the agenda takes the highest risk and then the oldest, up to
capacity, the rest waiting for the next meeting; only the coordinator builds or reorders it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.accounts.models import Role, Sector
from concord.cases.models import CaseEvent
from concord.conferences import services
from concord.conferences.models import ConferenceSeries, Meeting
from concord.risk.models import Task
from concord.testing.conferences import HIGH, REPEAT, refer, risky_case
from concord.testing.factories import make_actor, make_agency, make_area

pytestmark = pytest.mark.django_db



@pytest.fixture
def area():
    return make_area()


@pytest.fixture
def idva(area):
    return make_actor(make_agency(area, Sector.SPECIALIST_ADVOCACY, "IDVA"))


def _case(idva, reasons=(), level="high", consent=True, **names):
    return risky_case(idva, reasons, level, consent, **names)


_refer = refer


def test_criteria_from_the_level_and_judgement_with_its_reason(idva):
    case = _case(idva, HIGH + REPEAT)
    referral = _refer(idva, case)
    assert referral.criteria == ["visible_high", "repeat"] and referral.repeat_definition == "safelives_2023"
    assert referral.consent_basis == "consent" and referral.risk_level == "high"
    event = CaseEvent.objects.get(case=case, kind="conference_referred")
    assert event.facet == "conference_item" and "judgement" not in str(event.params)

    plain = _case(idva, level="medium", given_name="Beth")
    with pytest.raises(ValidationError) as none:
        _refer(idva, plain)
    assert "judgement_reason" in none.value.message_dict
    by_judgement = _refer(idva, plain, judgement_reason="Extreme fear; he has found her new address")
    assert by_judgement.criteria == ["professional_judgement"]


def test_without_her_consent_only_a_lead_supervisor_with_a_legal_basis(idva):
    case = _case(idva, HIGH, consent=False)
    with pytest.raises(ValidationError) as refused:
        _refer(idva, case)
    assert "consent" in refused.value.message_dict
    with pytest.raises(ValidationError) as not_supervisor:
        _refer(idva, case, legal_basis="risk_to_life", override_reason="Threats to kill")
    assert "legal_basis" in not_supervisor.value.message_dict
    supervisor = make_actor(idva.agency, Role.SUPERVISOR)
    referral = _refer(supervisor, case, legal_basis="risk_to_life", override_reason="Threats to kill",
                      she_knows="no", why_not_told="Not safe to call her this week")
    assert referral.consent_basis == "override" and referral.she_knows == "no"


def test_she_knows_or_why_not_and_one_live_referral_a_case(idva):
    case = _case(idva, HIGH)
    with pytest.raises(ValidationError) as unsaid:
        _refer(idva, case, she_knows="no")
    assert "why_not_told" in unsaid.value.message_dict
    _refer(idva, case)
    with pytest.raises(ValidationError) as twice:
        _refer(idva, case)
    assert "case" in twice.value.message_dict


def test_referring_closes_the_high_levels_follow_up(idva):
    case = _case(idva, HIGH)
    Task.objects.create(case=case, kind="refer_to_conference", owner_agency=idva.agency, due_at=timezone.now())
    _refer(idva, case)
    assert Task.objects.get(case=case).status == "done"


def test_the_agenda_takes_highest_risk_then_oldest_up_to_capacity(area, idva):
    coordinator = make_actor(idva.agency, Role.CONFERENCE_COORDINATOR)
    series = ConferenceSeries.objects.create(area=area, name="Northshire MARAC", capacity=2)
    first = Meeting.objects.create(series=series, held_at=timezone.now() + datetime.timedelta(days=7))
    second = Meeting.objects.create(series=series, held_at=timezone.now() + datetime.timedelta(days=21))
    older_medium = _refer(idva, _case(idva, level="medium", given_name="Ada"), judgement_reason="Fear")
    high = _refer(idva, _case(idva, HIGH, given_name="Bea"))
    newer_high = _refer(idva, _case(idva, HIGH, given_name="Cat"))
    with pytest.raises(PermissionDenied):
        services.agenda_build(actor=idva, meeting=first)
    built = services.agenda_build(actor=coordinator, meeting=first)
    assert [r.pk for r in built.listed] == [high.pk, newer_high.pk] and built.overflow == 1
    assert services.agenda_build(actor=coordinator, meeting=first).listed == []  # full
    overflow = services.agenda_build(actor=coordinator, meeting=second)
    assert [r.pk for r in overflow.listed] == [older_medium.pk] and overflow.overflow == 0

    reordered = services.agenda_reorder(actor=coordinator, meeting=first, order=[newer_high.pk, high.pk])
    assert [(r.pk, r.position) for r in reordered] == [(newer_high.pk, 1), (high.pk, 2)]
    with pytest.raises(ValidationError):
        services.agenda_reorder(actor=coordinator, meeting=first, order=[high.pk])
    listed = CaseEvent.objects.filter(kind="conference_listed")
    assert listed.count() == 3 and all(e.system_actor == "conference agenda" for e in listed)


def test_the_referral_form_through_http(client, idva):
    from django.urls import reverse

    from concord.conferences.models import ConferenceReferral
    from concord.testing.factories import login

    case = _case(idva, HIGH)
    login(client, idva)
    url = reverse("web:conference_refer", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Visible high risk" in page and "Given" in page and 'name="legal_basis"' not in page
    assert reverse("web:conference_refer", args=[case.reference]) in client.get(
        reverse("web:case", args=[case.reference])).content.decode()
    unsaid = client.post(url, {"she_knows": "no"})
    assert unsaid.status_code == 422 and "why she has not been told" in unsaid.content.decode()
    assert client.post(url, {"she_knows": "yes"}).status_code == 302
    assert ConferenceReferral.objects.get(case=case).criteria == ["visible_high"]
    again = client.post(url, {"she_knows": "yes"})
    assert again.status_code == 422 and "already waiting" in again.content.decode()


def test_a_referral_starts_the_repeat_window(idva):
    from concord.risk.services import level_facts

    case = _case(idva, HIGH)
    assert level_facts(case).last_referral_on is None
    referral = _refer(idva, case)
    assert level_facts(case).last_referral_on == timezone.localdate(referral.referred_at)
