"""Tasks and protocols through HTTP: the receiver's task to answer a referral is listed, linking to
the referral (not the case it cannot open), and escalated to its supervisor past the deadline; an
agency never sees another's tasks; the partnership lead drafts, approves and reviews a protocol, and
nobody else may; compliance counts the tasks per protocol and per agency."""

import datetime

import pytest
from django.urls import reverse

from concord.accounts.models import Role
from concord.consent.services import consent_record
from concord.protocols import services
from concord.protocols.models import ProtocolVersion
from concord.protocols.standard import adopt_standard
from concord.referrals.services import ReferralDetails, referral_send
from concord.risk.models import Task
from concord.testing.factories import login, make_actor, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(housing):
    return make_actor(housing, Role.PARTNERSHIP_LEAD)


@pytest.fixture
def referral(area, lead, officer, advocacy):
    adopt_standard(partnership_lead=lead, area=area)
    case = make_case(officer)
    consent_record(actor=officer, case=case, scope="refer", agency=advocacy, decision="given", method="verbal")
    return referral_send(actor=officer, case=case, details=ReferralDetails(to_agency=advocacy, reason="Advocacy"))


def test_the_receiver_sees_its_task_linking_to_the_referral_and_the_escalation(client, referral, advocate,
                                                                               idva_supervisor, officer):
    login(client, advocate)
    page = client.get(reverse("web:tasks")).content.decode()
    assert "Accept or decline the referral" in page and reverse("web:referral", args=[referral.pk]) in page
    assert reverse("web:case", args=[referral.case.reference]) not in page  # it cannot open the case yet
    home = client.get(reverse("web:home")).content.decode()
    assert "1 open task for your agency" in home

    task = Task.objects.get(referral=referral)
    services.sweep(task.escalate_at + datetime.timedelta(minutes=1))
    login(client, idva_supervisor)
    escalated = client.get(reverse("web:tasks"), {"which": "escalated"}).content.decode()
    assert "Accept or decline the referral" in escalated and str(idva_supervisor.user) in escalated
    assert "escalated to a supervisor" in client.get(reverse("web:home")).content.decode()

    # The police sent it: the task is not theirs, and is not listed for them.
    login(client, officer)
    assert "Accept or decline the referral" not in client.get(reverse("web:tasks")).content.decode()


def test_only_the_partnership_lead_changes_protocols(client, area, lead, officer):
    adopt_standard(partnership_lead=lead, area=area)
    login(client, officer)
    page = client.get(reverse("web:protocols")).content.decode()
    assert "Referral: a reply within 2 working days" in page and "Save the draft" not in page
    assert client.post(reverse("web:protocol_draft"), {}).status_code == 404
    version = ProtocolVersion.objects.get(protocol__key="referral-response")
    assert client.post(reverse("web:protocol_review", args=[version.pk]), {}).status_code == 404

    login(client, lead)
    fields = {"new-key": "referral-response", "new-name": "Referral reply", "new-trigger": "referral_sent",
              "new-owner": "receiver", "new-task_kind": "answer_referral", "new-action": "Reply",
              "new-due_working_days": "3", "new-escalate_after_hours": "4"}
    both = client.post(reverse("web:protocol_draft"), fields | {"new-due_hours": "5"})
    assert both.status_code == 422 and "not both" in both.content.decode()
    assert client.post(reverse("web:protocol_draft"), fields).status_code == 302
    draft = ProtocolVersion.objects.get(protocol__key="referral-response", number=2)
    assert client.post(reverse("web:protocol_approve", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "in_force" and draft.approved_by == lead.user
    client.post(reverse("web:protocol_review", args=[draft.pk]), {"review-outcome": "keep",
                                                                 "review-note": "Working well"})
    assert draft.reviews.get().note == "Working well"
    page = client.get(reverse("web:protocols")).content.decode()
    assert "Working well" in page and "Replaced on" in page


def test_compliance_counts_on_time_late_open_and_breached(client, referral, advocate, officer):
    task = Task.objects.get(referral=referral)
    Task.objects.filter(pk=task.pk).update(due_at=task.opened_at - datetime.timedelta(hours=1))
    login(client, officer)
    page = client.get(reverse("web:protocols")).content.decode()
    assert "By protocol" in page and "Referral: a reply within 2 working days" in page
    bad = client.get(reverse("web:protocols"), {"start": "2026-12-01", "end": "2026-01-01"})
    assert bad.status_code == 422 and "before its start" in bad.content.decode()
    from concord.protocols.selectors import compliance

    today = task.opened_at.date()
    table = compliance(referral.case.area, today - datetime.timedelta(days=1), today + datetime.timedelta(days=1))
    assert table.by_protocol[0].counts["breached"] == 1 and table.by_agency[0].label == advocate.agency.name
