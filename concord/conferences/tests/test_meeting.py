"""The conference basis, research, the meeting and its actions: an invited agency reads an agenda
case's conference item (never the case, never her protected details) from the agenda's release until
the access ends; the coordinator from the referral; research is each agency's own; an action is its
owner's task, reminded before and escalated after, blocked told apart from not done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from concord import policy
from concord.access.derive import differences
from concord.access.facets import Facet
from concord.accounts.models import Role
from concord.cases.models import CaseEvent
from concord.conferences import services
from concord.conferences.services import ActionDetails, AttendanceLine, ResearchDetails
from concord.protocols.selectors import tasks_for
from concord.protocols.services import sweep
from concord.risk.models import Task
from concord.testing.conferences import all_present, conference
from concord.testing.factories import make_actor

pytestmark = pytest.mark.django_db


def test_the_conference_basis_opens_the_item_not_the_case_from_release():
    setup = conference(release=False)
    case = setup.cases[0]
    assert not policy.decide(setup.police, case).sees(Facet.CONFERENCE_ITEM)  # not released yet
    coordinator = policy.decide(setup.coordinator, case)
    assert coordinator.facets == {Facet.CONFERENCE_ITEM} and not coordinator.visible  # from the referral
    # The coordinating agency's other staff read nothing by that basis: it is the coordinators'.
    colleague = make_actor(setup.coordinator.agency, Role.PRACTITIONER)
    assert policy.decide(colleague, case).facets == frozenset()
    services.agenda_release(actor=setup.coordinator, meeting=setup.meeting)
    for invited in (setup.police, setup.probation):
        decision = policy.decide(invited, case)
        assert not decision.visible and decision.facets == {Facet.CONFERENCE_ITEM}
        assert decision.basis_label.startswith("conference:")
        with pytest.raises(Http404):
            policy.case_access(invited, case.reference)
    assert policy.decide(setup.uninvited, case).facets == frozenset()
    assert differences([c.pk for c in setup.cases]) == (set(), set())


def test_the_item_closes_after_the_access_window_and_protected_details_never():
    setup = conference()
    case, meeting = setup.cases[0], setup.meeting
    ends = meeting.held_at + datetime.timedelta(days=setup.series.access_days_after)
    just_before, just_after = ends - datetime.timedelta(seconds=1), ends + datetime.timedelta(seconds=1)
    assert policy.decide(setup.police, case, at=just_before).sees(Facet.CONFERENCE_ITEM)
    assert not policy.decide(setup.police, case, at=just_after).sees(Facet.CONFERENCE_ITEM)
    for actor in (setup.police, setup.probation, setup.coordinator):
        assert not policy.decide(actor, case).facets & {Facet.PROTECTED, Facet.CONTACT_CHANNELS, Facet.RISK_ANSWERS}


def test_uninviting_an_agency_closes_its_items_at_once():
    setup = conference()
    details = services.MeetingDetails(held_at=setup.meeting.held_at, chair=setup.police.user,
                                      invited=(setup.advocate.agency, setup.police.agency))
    services.meeting_change(actor=setup.coordinator, meeting=setup.meeting, details=details,
                            version=setup.meeting.version)
    assert not policy.decide(setup.probation, setup.cases[0]).sees(Facet.CONFERENCE_ITEM)
    with pytest.raises(Http404):
        policy.meeting_access(setup.probation, setup.meeting.pk)
    assert policy.decide(setup.police, setup.cases[0]).sees(Facet.CONFERENCE_ITEM)


def test_withdrawing_a_referral_closes_its_item():
    setup = conference()
    referral = setup.referrals[0]
    with pytest.raises(PermissionDenied):
        services.conference_referral_withdraw(actor=setup.police, referral=referral, reason="No")
    services.conference_referral_withdraw(actor=setup.advocate, referral=referral, reason="She moved away")
    assert not policy.decide(setup.police, referral.case).sees(Facet.CONFERENCE_ITEM)


def test_research_is_each_agencys_own_and_seen_by_the_meeting():
    setup = conference()
    referral = setup.referrals[0]
    research = services.research_record(actor=setup.police, referral=referral, details=ResearchDetails(
        involvement="Three call-outs since June", incidents="Strangulation reported 2 Nov"))
    with pytest.raises(ValidationError) as stale:
        services.research_record(actor=setup.police, referral=referral, details=ResearchDetails(
            involvement="Rewritten"), version=research.version - 1)
    assert "version" in stale.value.message_dict
    with pytest.raises(ValidationError):
        services.research_record(actor=setup.probation, referral=referral, details=ResearchDetails())
    services.research_record(actor=setup.probation, referral=referral, details=ResearchDetails(nothing_held=True))
    with pytest.raises(Http404):
        services.research_record(actor=setup.uninvited, referral=referral, details=ResearchDetails(
            involvement="x"))
    assert set(referral.research.values_list("agency__name", flat=True)) == {"Northshire Police",
                                                                             "Probation Service"}
    assert policy.decide(setup.advocate, referral.case).sees(Facet.CONFERENCE_ITEM)  # the lead, invited too
    event = CaseEvent.objects.filter(case=referral.case, kind="conference_research").first()
    assert event.facet == Facet.CONFERENCE_ITEM and "Three" not in str(event.params)


def test_the_chair_records_the_meeting_and_actions_become_the_owners_tasks():
    setup = conference()
    referral, meeting = setup.referrals[0], setup.meeting
    due = timezone.now() + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.action_agree(actor=setup.probation, referral=referral, details=ActionDetails(
            owner_agency=setup.probation.agency, description="Check licence conditions", due_at=due))
    with pytest.raises(ValidationError) as not_invited:
        services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
            owner_agency=setup.uninvited.agency, description="Move her", due_at=due))
    assert "owner_agency" in not_invited.value.message_dict
    action = services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
        owner_agency=setup.probation.agency, description="Check licence conditions", due_at=due))
    services.discussion_record(actor=setup.police, referral=referral, summary="Escalating; strangulation.")
    task = Task.objects.get(pk=action.task_id)
    assert task.kind == "conference_action" and task.owner_agency == setup.probation.agency
    rows = tasks_for(setup.probation)
    assert [r.task.pk for r in rows] == [task.pk] and rows[0].reads_conference_item and not rows[0].opens_case

    # Two days before the deadline, a reminder; two days after it, escalation; each once.
    assert sweep(now=due - datetime.timedelta(days=2, seconds=-1)).reminded == 1
    assert sweep(now=due - datetime.timedelta(days=1)).reminded == 0
    assert sweep(now=due + datetime.timedelta(days=2, seconds=1)).escalated == 1
    task.refresh_from_db()
    assert task.reminded_at and task.escalated_at
    assert CaseEvent.objects.get(case=referral.case, kind="task_reminded").facet == Facet.CONFERENCE_ITEM

    with pytest.raises(ValidationError) as no_reason:
        services.action_close(actor=setup.probation, action=action, status="blocked")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        services.action_close(actor=setup.police, action=action, status="done")
    with pytest.raises(PermissionDenied):  # the coordinator records "not done" only
        services.action_close(actor=setup.coordinator, action=action, status="done")
    services.action_close(actor=setup.probation, action=action, status="blocked", reason="She moved to Wales")
    task.refresh_from_db()
    action.refresh_from_db()
    assert task.status == "cancelled" and action.status == "blocked" and action.on_time is None

    services.attendance_record(actor=setup.police, meeting=meeting, lines=[
        AttendanceLine(setup.police.agency, "present", "DI Shah"),
        AttendanceLine(setup.probation.agency, "apologies")])
    with pytest.raises(ValidationError) as missing:
        services.meeting_close(actor=setup.police, meeting=meeting)
    assert "Northshire IDVA Service" in str(missing.value)
    services.attendance_record(actor=setup.police, meeting=meeting, lines=[
        AttendanceLine(setup.advocate.agency, "present")])
    services.meeting_close(actor=setup.police, meeting=meeting)
    setup.refreshed()
    # Not discussed: waits for the next meeting.
    assert setup.referrals[1].status == "pending" and setup.referrals[1].meeting is None
    assert setup.referrals[0].status == "discussed"
    assert policy.meeting_access(setup.probation, meeting.pk).may(policy.MeetingAction.MINUTES)
    assert differences([c.pk for c in setup.cases]) == (set(), set())


def test_an_open_action_keeps_its_owner_reading_the_item_after_the_window():
    setup = conference()
    referral = setup.referrals[0]
    action = services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
        owner_agency=setup.probation.agency, description="Home visit",
        due_at=timezone.now() + datetime.timedelta(days=60)))
    later = setup.meeting.access_ends_at + datetime.timedelta(days=1)
    assert policy.decide(setup.probation, referral.case, at=later).sees(Facet.CONFERENCE_ITEM)
    assert not policy.decide(setup.police, referral.case, at=later).sees(Facet.CONFERENCE_ITEM)
    services.action_close(actor=setup.probation, action=action, status="done")
    assert not policy.decide(setup.probation, referral.case, at=later).sees(Facet.CONFERENCE_ITEM)


def test_the_case_page_shows_the_conference_to_who_holds_the_item(client):
    from django.urls import reverse

    from concord.testing.factories import login

    setup = conference()
    referral = setup.referrals[0]
    services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
        owner_agency=setup.probation.agency, description="Check licence conditions",
        due_at=timezone.now() + datetime.timedelta(days=10)))
    url = reverse("web:case", args=[referral.case.reference])
    login(client, setup.advocate)
    page = client.get(url).content.decode()
    assert "Multi-agency risk conference" in page and "Check licence conditions" in page
    assert "On a meeting&#x27;s agenda" in page or "On a meeting's agenda" in page
    login(client, setup.police)  # the conference item only: not the case
    assert client.get(url).status_code == 404


def test_new_abuse_after_a_discussed_referral_makes_the_next_referral_a_repeat():
    from concord.cases.services import IncidentDetails, incident_record

    setup = conference(cases=1)
    referral = setup.referrals[0]
    services.discussion_record(actor=setup.police, referral=referral, summary="Discussed.")
    all_present(setup)
    services.meeting_close(actor=setup.police, meeting=setup.meeting)
    # Referred ten days ago; the new incident is today (one on the day of the referral is not a repeat).
    type(referral).objects.filter(pk=referral.pk).update(referred_at=timezone.now() - datetime.timedelta(days=10))
    incident_record(actor=setup.advocate, case=referral.case, details=IncidentDetails(
        occurred_on=timezone.localdate(), place_type="her_home", violence_types=("physical_assault",),
        narrative="He came back to the house."))
    again = services.conference_refer(actor=setup.advocate, case=referral.case,
                                      details=services.ConferenceReferralDetails(she_knows="yes"))
    assert "repeat" in again.criteria and again.repeat_definition


def test_the_series_schedule_proposes_the_next_meeting():
    setup = conference(cases=1)
    series, held = setup.series, setup.meeting.held_at
    assert series.next_meeting_at() == held + datetime.timedelta(days=series.every_days)
    type(setup.meeting).objects.filter(pk=setup.meeting.pk).update(held_at=held - datetime.timedelta(days=30))
    proposed = series.next_meeting_at()
    assert proposed > timezone.now() and (proposed - (held - datetime.timedelta(days=30))).days % 14 == 0


def test_the_owners_home_page_lists_its_conference_action(client):
    from django.urls import reverse

    from concord.testing.factories import login

    setup = conference(cases=1)
    action = services.action_agree(actor=setup.police, referral=setup.referrals[0], details=ActionDetails(
        owner_agency=setup.probation.agency, description="Check licence conditions",
        due_at=timezone.now() + datetime.timedelta(days=3)))
    login(client, setup.probation)
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert reverse("web:conference_action", args=[action.pk]) in home.content.decode()
