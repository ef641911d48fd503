"""The conference's rows of the derived access table equal the rule recomputed from the conference's
records, whatever the history of a meeting (built, released, agencies invited and uninvited, a case
withdrawn and referred again, actions agreed and closed, the meeting closed), now and after the
window; and an invited agency reads an agenda case's item exactly while the rule says so."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord import policy
from concord.access.derive import differences
from concord.access.facets import Facet
from concord.conferences import services
from concord.conferences.models import ConferenceAction, ConferenceReferral
from concord.testing.conferences import all_present, conference, refer

STEPS = st.lists(st.sampled_from(["build", "release", "uninvite_probation", "invite_probation", "withdraw",
                                  "refer_again", "action", "close_action", "close_meeting"]),
                 min_size=1, max_size=7)


def _apply(step: str, setup) -> None:
    meeting = setup.meeting
    meeting.refresh_from_db()
    first = setup.cases[0]
    live = ConferenceReferral.objects.filter(case=first).order_by("-pk").first()
    if step == "build":
        services.agenda_build(actor=setup.coordinator, meeting=meeting)
    elif step == "release":
        services.agenda_release(actor=setup.coordinator, meeting=meeting)
    elif step in ("uninvite_probation", "invite_probation"):
        invited = [setup.advocate.agency, setup.police.agency]
        if step == "invite_probation":
            invited.append(setup.probation.agency)
        services.meeting_change(actor=setup.coordinator, meeting=meeting, version=meeting.version,
                                details=services.MeetingDetails(held_at=meeting.held_at, chair=setup.police.user,
                                                                invited=tuple(invited)))
    elif step == "withdraw":
        services.conference_referral_withdraw(actor=setup.advocate, referral=live, reason="She moved away")
    elif step == "refer_again":
        refer(setup.advocate, first)
    elif step == "action":
        services.action_agree(actor=setup.police, referral=live, details=services.ActionDetails(
            owner_agency=setup.probation.agency, description="Check licence conditions",
            due_at=timezone.now() + datetime.timedelta(days=60)))
    elif step == "close_action":
        action = ConferenceAction.objects.filter(status="open").first()
        if action is not None:
            services.action_close(actor=setup.probation, action=action, status="done")
    elif step == "close_meeting":
        all_present(setup)
        services.meeting_close(actor=setup.police, meeting=meeting)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@pytest.mark.django_db
def test_the_conference_rows_equal_the_rule_whatever_the_history(steps):
    setup = conference(cases=2, build=False)
    ids = [case.pk for case in setup.cases]
    for step in steps:
        with contextlib.suppress(ValidationError, PermissionDenied, Http404):
            _apply(step, setup)  # a step the state does not allow is refused, nothing written
        assert differences(ids) == (set(), set()), step
    setup.meeting.refresh_from_db()
    later = setup.meeting.access_ends_at + datetime.timedelta(days=1)
    assert differences(ids, later) == (set(), set())
    # Probation reads the first case's item exactly while invited to a released agenda that lists it, or
    # while it owns an open action on it; never the case itself, never her protected details.
    first = ConferenceReferral.objects.filter(case=setup.cases[0]).order_by("-pk").first()
    meeting = setup.meeting
    listed = first.meeting_id == meeting.pk and first.status in ("listed", "discussed")
    invited = meeting.invited.filter(pk=setup.probation.agency.pk).exists()
    owns = ConferenceAction.objects.filter(referral__case=setup.cases[0], owner_agency=setup.probation.agency,
                                           status="open").exists()
    decision = policy.decide(setup.probation, setup.cases[0])
    assert decision.sees(Facet.CONFERENCE_ITEM) == ((listed and invited and meeting.is_released) or owns)
    assert not decision.visible and not decision.facets & {Facet.PROTECTED, Facet.RISK_ANSWERS}
