"""Protocols at work: a referral opens its receiver's task due in 2 working days on the area's
calendar, answering it closes the task; a police-attended incident opens one task however often it is
saved; a breach escalates once to a supervisor of the owner agency, whoever sweeps; versions are
drafted, approved (the old one retires, its open tasks keep it) and reviewed by the partnership lead
only."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.accounts.models import Role, Sector
from concord.cases.models import CaseEvent, Need
from concord.cases.records import IncidentDetails
from concord.cases.services import incident_record
from concord.consent.services import consent_record
from concord.protocols import services
from concord.protocols.models import ProtocolVersion
from concord.protocols.services import VersionDetails
from concord.protocols.standard import adopt_standard
from concord.referrals import services as referrals
from concord.referrals.services import ReferralDetails
from concord.risk.models import Task
from concord.risk.vocabularies import TaskKind, TaskStatus
from concord.testing.factories import make_actor, make_agency, make_area, make_case

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def area_with_protocols():
    area = make_area()
    lead = make_actor(make_agency(area, Sector.HOUSING, "Housing"), Role.PARTNERSHIP_LEAD)
    adopt_standard(partnership_lead=lead, area=area)
    police = make_actor(make_agency(area, Sector.POLICE, "Police"))
    advocacy = make_actor(make_agency(area, Sector.SPECIALIST_ADVOCACY, "Advocacy"))
    supervisor = make_actor(advocacy.agency, Role.SUPERVISOR)
    return area, lead, police, advocacy, supervisor


def _send(police, case, to):
    consent_record(actor=police, case=case, scope="refer", agency=to, decision="given", method="verbal")
    return referrals.referral_send(actor=police, case=case, details=ReferralDetails(
        to_agency=to, reason="She wants an advocate", needs=list(Need.objects.filter(case=case))))


def test_a_referral_opens_the_receivers_task_and_the_answer_closes_it(area_with_protocols):
    area, _, police, advocacy, _ = area_with_protocols
    case = make_case(police)
    referral = _send(police, case, advocacy.agency)
    task = Task.objects.get(case=case, kind=TaskKind.ANSWER_REFERRAL)
    assert task.owner_agency == advocacy.agency and task.referral == referral and task.is_open
    assert task.protocol_version.protocol.key == "referral-response"
    assert referral.respond_by == task.due_at == task.escalate_at
    assert CaseEvent.objects.filter(case=case, kind="task_opened", system_actor="protocols").count() == 1

    referrals.referral_accept(actor=advocacy, referral=referral)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == "Referral accepted" and task.done_at
    # Sent again to another agency: one task per referral.
    housing = make_agency(area, Sector.HOUSING, "Housing options")
    second = _send(police, case, housing)
    assert Task.objects.filter(case=case, kind=TaskKind.ANSWER_REFERRAL, status="open").get().referral == second
    referrals.referral_withdraw(actor=police, referral=second, reason="Sent to the wrong service")
    assert Task.objects.get(referral=second).status == TaskStatus.CANCELLED


def test_the_reply_deadline_skips_the_weekend_and_the_bank_holiday(area_with_protocols):
    _, _, police, advocacy, _ = area_with_protocols
    case = make_case(police)
    version = services.in_force(case.area, "referral_sent")[0]
    # Friday 22 May 2026, 16:00; Monday 25 May is the spring bank holiday in England.
    friday = datetime.datetime(2026, 5, 22, 16, 0, tzinfo=LONDON)
    assert services.due_at(version, case.area, friday) == datetime.datetime(2026, 5, 27, 16, 0, tzinfo=LONDON)


def test_a_police_attended_incident_opens_one_task_however_often_it_is_saved(area_with_protocols):
    _, _, police, _, _ = area_with_protocols
    case = make_case(police)
    details = IncidentDetails(occurred_on=datetime.date(2026, 11, 1), police_attended="yes",
                              violence_types=("physical_assault",))
    incident = incident_record(actor=police, case=case, details=details)
    task = Task.objects.get(case=case, kind=TaskKind.NOTIFY_ADVOCACY)
    assert task.subject == f"incident:{incident.pk}" and task.owner_agency == police.agency
    services.fire("police_incident", case, subject=f"incident:{incident.pk}")
    task.status = TaskStatus.DONE
    task.save()
    services.fire("police_incident", case, subject=f"incident:{incident.pk}")  # done stays done
    assert Task.objects.filter(case=case, kind=TaskKind.NOTIFY_ADVOCACY).count() == 1
    incident_record(actor=police, case=case, details=IncidentDetails(
        occurred_on=datetime.date(2026, 11, 2), police_attended="no", violence_types=("physical_assault",)))
    assert Task.objects.filter(case=case, kind=TaskKind.NOTIFY_ADVOCACY).count() == 1


def test_a_breach_escalates_once_to_a_supervisor_of_the_owner_agency(area_with_protocols):
    _, _, police, advocacy, supervisor = area_with_protocols
    case = make_case(police)
    referral = _send(police, case, advocacy.agency)
    task = Task.objects.get(referral=referral)
    assert services.sweep(task.due_at - datetime.timedelta(minutes=1)).escalated == 0
    after = task.due_at + datetime.timedelta(minutes=1)
    assert services.sweep(after).escalated == 1
    assert services.sweep(after).escalated == 0 and not services.escalate(task.pk, after)
    task.refresh_from_db()
    assert task.escalated_to == supervisor.user and task.escalated_at == after and task.is_open
    event = CaseEvent.objects.get(case=case, kind="task_escalated")
    assert event.system_actor == "protocols" and event.params["escalated_to"] == str(supervisor.user)
    # Answered late: it closes, and is not escalated again.
    referrals.referral_accept(actor=advocacy, referral=referral)
    assert services.sweep(after + datetime.timedelta(days=3)).escalated == 0


def test_an_answered_task_is_never_escalated(area_with_protocols):
    _, _, police, advocacy, _ = area_with_protocols
    case = make_case(police)
    referral = _send(police, case, advocacy.agency)
    referrals.referral_decline(actor=advocacy, referral=referral, reason="no_capacity")
    task = Task.objects.get(referral=referral)
    assert services.sweep(task.due_at + datetime.timedelta(days=1)).escalated == 0
    assert Task.objects.get(referral=referral).escalated_at is None


def test_only_the_partnership_lead_drafts_approves_and_reviews(area_with_protocols):
    area, lead, police, _, _ = area_with_protocols
    details = VersionDetails(trigger="referral_sent", owner="receiver", task_kind=TaskKind.ANSWER_REFERRAL,
                             action="Reply", due_working_days=3)
    with pytest.raises(PermissionDenied):
        services.protocol_draft(actor=police, area=area, key="referral-response", name="x", details=details)
    old = services.in_force(area, "referral_sent")[0]
    case = make_case(police)
    advocacy_agency = make_agency(area, Sector.SPECIALIST_ADVOCACY, "Other advocacy")
    referral = _send(police, case, advocacy_agency)
    draft = services.protocol_draft(actor=lead, area=area, key="referral-response", name="x", details=details)
    assert draft.number == 2 and draft.status == "draft"
    with pytest.raises(ValidationError):  # one draft at a time
        services.protocol_draft(actor=lead, area=area, key="referral-response", name="x", details=details)
    with pytest.raises(PermissionDenied):
        services.protocol_approve(actor=police, version=draft)
    services.protocol_approve(actor=lead, version=draft)
    old.refresh_from_db()
    assert old.status == "retired" and old.retired_at
    assert services.in_force(area, "referral_sent") == [draft]
    assert Task.objects.get(referral=referral).protocol_version == old  # an open task keeps its version
    review = services.protocol_review(actor=lead, version=draft, outcome="keep", note="Replies on time")
    assert review.reviewed_by == lead.user
    with pytest.raises(ValidationError) as bad:
        services.protocol_review(actor=lead, version=draft, outcome="", note="")
    assert set(bad.value.message_dict) == {"outcome", "note"}


def test_a_version_needs_a_deadline_in_hours_or_working_days(area_with_protocols):
    area, lead, _, _, _ = area_with_protocols
    with pytest.raises(ValidationError) as both:
        services.protocol_draft(actor=lead, area=area, key="new", name="New", details=VersionDetails(
            trigger="arrest", owner="lead", task_kind=TaskKind.CONTACT_SURVIVOR, action="Call her", due_hours=4,
            due_working_days=1))
    assert "due_hours" in both.value.message_dict
    assert not ProtocolVersion.objects.filter(protocol__key="new").exists()


def test_an_arrest_and_a_breach_at_an_incident_fire_their_protocols(area_with_protocols):
    area, lead, police, _, _ = area_with_protocols
    for key, trigger, kind in (("arrest", "arrest", TaskKind.CONTACT_SURVIVOR),
                               ("breach", "order_breached", TaskKind.REASSESS)):
        services.protocol_approve(actor=lead, version=services.protocol_draft(
            actor=lead, area=area, key=key, name=key, details=VersionDetails(
                trigger=trigger, owner="lead", task_kind=kind, action="Call her", due_hours=4)))
    case = make_case(police)
    incident = incident_record(actor=police, case=case, details=IncidentDetails(
        occurred_on=datetime.date(2026, 11, 3), violence_types=("physical_assault",), arrest_made="yes",
        order_breached="yes"))
    opened = Task.objects.filter(case=case, subject=f"incident:{incident.pk}", protocol_version__isnull=False)
    assert sorted(opened.values_list("protocol_version__protocol__key", flat=True)) == ["arrest", "breach"]


def test_compliance_counts_each_task_against_its_deadline(area_with_protocols):
    from concord.protocols.selectors import compliance

    area, _, police, advocacy, _ = area_with_protocols
    case = make_case(police)
    referrals_sent = [_send(police, case, make_agency(area, Sector.SPECIALIST_ADVOCACY, f"Advocacy {n}"))
                      for n in range(5)]
    tasks = [Task.objects.get(referral=referral) for referral in referrals_sent]
    now = tasks[0].due_at - datetime.timedelta(hours=1)
    hour = datetime.timedelta(hours=1)
    Task.objects.filter(pk=tasks[0].pk).update(status="done", done_at=tasks[0].due_at - hour)  # on time
    Task.objects.filter(pk=tasks[1].pk).update(status="done", done_at=tasks[1].due_at + hour)  # late
    Task.objects.filter(pk=tasks[2].pk).update(due_at=now - hour, escalated_at=now)  # breached, escalated
    Task.objects.filter(pk=tasks[3].pk).update(status="cancelled")  # not counted
    day = tasks[0].opened_at.astimezone(zoneinfo.ZoneInfo(area.time_zone)).date()
    table = compliance(area, day, day, now=now)
    [row] = table.by_protocol
    assert row.counts == {"on_time": 1, "late": 1, "open": 1, "breached": 1} and row.escalated == 1
    assert row.on_time_share == 33
    assert sum(r.total for r in table.by_agency) == 4 and len(table.by_agency) == 4
    later = day + datetime.timedelta(days=1)
    assert compliance(area, later, later, now=now).by_protocol == []
