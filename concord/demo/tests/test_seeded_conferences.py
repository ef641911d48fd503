"""The demo's conference: past meetings held and closed (research, summaries, actions: done, late,
blocked, still open as their owners' tasks), high-risk cases waiting, next week's meeting scheduled
with its agenda to build; the derived access table agrees with the rule on every case touched; and
nothing is dated after the anchor day."""

import datetime

from django.utils import timezone

from concord.access.derive import differences
from concord.cases.models import CaseEvent
from concord.conferences.models import ConferenceAction, ConferenceReferral, Meeting
from concord.demo import conferences
from concord.risk.models import Task


def test_the_demo_conference(run_demo):
    anchor = timezone.localdate()
    run_demo(cases=300, anchor=anchor)
    past = Meeting.objects.filter(closed_at__isnull=False)
    assert past.count() == conferences.PAST_MEETINGS
    assert all(m.held_at.date() < anchor for m in past)
    discussed = ConferenceReferral.objects.filter(status="discussed")
    assert discussed.count() > 10 and all(r.research.count() == 2 and r.discussion_summary for r in discussed)
    assert all(r.referred_at < r.meeting.held_at for r in discussed)
    statuses = set(ConferenceAction.objects.values_list("status", flat=True))
    assert {"done", "open"} <= statuses
    open_actions = ConferenceAction.objects.filter(status="open")
    assert all(a.task and a.task.kind == "conference_action" and a.task.is_open for a in open_actions)
    waiting = ConferenceReferral.objects.filter(status="pending")
    assert waiting.count() == conferences.WAITING
    upcoming = conferences.find_next_meeting()
    assert upcoming is not None and upcoming.held_at.date() > anchor and not upcoming.agenda.exists()
    touched = set(ConferenceReferral.objects.values_list("case_id", flat=True))
    assert differences(touched) == (set(), set())
    end = timezone.make_aware(datetime.datetime.combine(anchor, datetime.time()))
    assert not CaseEvent.objects.filter(case_id__in=touched, occurred_at__gte=end).exists()
    assert not Task.objects.filter(kind="conference_action", reminded_at__gte=end).exists()
    assert "Conference: as marac" in conferences.try_line()
