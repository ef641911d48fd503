"""The conference pages through HTTP: the coordinator lists meetings and the referrals waiting, schedules
a meeting, builds, reorders and releases its agenda; an invited agency reads each agenda case's item
(never the case, never her protected details; her views withheld from an agency working with the person
causing harm); the chair records the meeting; an action's owner closes it from its tasks. An agency not
invited, and anyone after the access window, gets a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.access.derive import refresh_cases
from concord.audit.models import AccessLogEntry
from concord.conferences import services
from concord.conferences.models import ConferenceAction, Meeting, Research
from concord.conferences.services import ActionDetails, ResearchDetails
from concord.risk import catalogue
from concord.risk import services as risk_services
from concord.risk.services import BeforeQuestions
from concord.testing.conferences import conference, refer, risky_case
from concord.testing.factories import login

pytestmark = pytest.mark.django_db

NARRATIVE = "He pushed her against the wall."  # make_case's incident: never on a conference page
HER_NEED = "I need the locks changed"
HER_FEAR = "That he will find me at my sisters house"
HER_VIEWS = "She wants the locks changed before he is released"


def _meeting_url(setup):
    return reverse("web:conference_meeting", args=[setup.meeting.pk])


def _item_url(setup, index=0):
    return reverse("web:conference_item", args=[setup.meeting.pk, setup.referrals[index].pk])


def _change(setup, action):
    return reverse("web:conference_meeting_change", args=[setup.meeting.pk, action])


def _item_change(setup, action, index=0):
    return reverse("web:conference_item_change", args=[setup.meeting.pk, setup.referrals[index].pk, action])


def _future(days=10, hour="10:00"):
    return f"{(timezone.localdate() + datetime.timedelta(days=days)).isoformat()}T{hour}"


def test_the_coordinator_sees_the_meetings_the_waiting_referrals_and_schedules_one(client):
    setup = conference(cases=1)
    waiting = refer(setup.advocate, risky_case(setup.advocate, given_name="Zora", family_name="Waits"))
    login(client, setup.coordinator)
    page = client.get(reverse("web:conferences"))
    body = page.content.decode()
    assert page.status_code == 200 and _meeting_url(setup) in body
    assert waiting.case.reference in body and "Zora Waits" in body and "High" in body
    assert AccessLogEntry.objects.filter(object_type="conference_referral", object_id=str(waiting.pk)).exists()
    form = {"schedule-series": setup.series.pk, "schedule-held_at": "2020-01-01T10:00",
            "schedule-chair": setup.police.user.pk, "schedule-invited": [setup.police.agency.pk]}
    refused = client.post(reverse("web:conferences"), form)
    assert refused.status_code == 422 and "A meeting is scheduled in the future." in refused.content.decode()
    done = client.post(reverse("web:conferences"), form | {"schedule-held_at": _future()})
    meeting = Meeting.objects.latest("pk")
    assert done.status_code == 302 and done["Location"] == reverse("web:conference_meeting", args=[meeting.pk])
    assert set(meeting.invited.all()) == {setup.police.agency}  # as chosen: the coordinator reads by its role


def test_an_invited_agency_lists_its_meetings_but_not_the_waiting_list_and_cannot_schedule(client):
    setup = conference(cases=1)
    login(client, setup.police)
    page = client.get(reverse("web:conferences")).content.decode()
    assert _meeting_url(setup) in page and "Schedule a meeting" not in page
    assert client.post(reverse("web:conferences"), {}).status_code == 403
    login(client, setup.uninvited)
    assert _meeting_url(setup) not in client.get(reverse("web:conferences")).content.decode()


def test_the_main_navigation_links_the_conferences(client):
    setup = conference(cases=1)
    login(client, setup.police)
    assert f'href="{reverse("web:conferences")}"' in client.get(reverse("web:home")).content.decode()


def test_before_release_invited_agencies_see_item_numbers_only_and_the_coordinator_reorders(client):
    setup = conference(cases=2, release=False)
    first, second = setup.referrals
    login(client, setup.police)
    page = client.get(_meeting_url(setup)).content.decode()
    assert "Item 1" in page and first.case.reference not in page and "Agenda not released" in page
    assert client.get(_item_url(setup)).status_code == 404
    login(client, setup.coordinator)
    page = client.get(_meeting_url(setup)).content.decode()
    assert first.case.reference in page and second.case.reference in page and "Move down" in page
    stale = client.post(_change(setup, "reorder"), {"order": f"{second.pk},{first.pk}",
                                                    "reorder-version": setup.meeting.version - 1})
    assert stale.status_code == 422 and "Someone else changed this" in stale.content.decode()
    moved = client.post(_change(setup, "reorder"), {"order": f"{second.pk},{first.pk}",
                                                    "reorder-version": setup.meeting.version})
    setup.refreshed()
    assert moved.status_code == 302 and (second.position, first.position) == (1, 2)
    released = client.post(_change(setup, "release"), {"release-version": setup.meeting.version})
    assert released.status_code == 302 and Meeting.objects.get(pk=setup.meeting.pk).is_released
    login(client, setup.police)
    page = client.get(_meeting_url(setup)).content.decode()
    assert first.case.reference in page and "Agenda released" in page


def test_building_the_agenda_says_how_many_wait_for_the_next_meeting(client):
    setup = conference(cases=2, release=False, capacity=2)
    refer(setup.advocate, risky_case(setup.advocate, given_name="Overflow"))
    login(client, setup.coordinator)
    built = client.post(_change(setup, "build"), follow=True)
    assert "1 more waits for the next meeting" in built.content.decode()


def test_only_the_coordinator_changes_the_agenda(client):
    setup = conference(cases=1, release=False)
    login(client, setup.police)
    assert client.post(_change(setup, "build")).status_code == 403
    assert client.post(_change(setup, "release"), {"release-version": setup.meeting.version}).status_code == 403


def test_the_invited_agency_reads_the_item_not_the_case(client):
    setup = conference(cases=2)
    referral = setup.referrals[0]
    login(client, setup.police)
    page = client.get(_item_url(setup))
    body = page.content.decode()
    assert page.status_code == 200 and referral.case.reference in body and "Amina" in body
    assert "Visible high risk" in body and "She knows of the referral" in body
    assert "1 incident in the last 12 months" in body and "Physical assault" in body
    assert NARRATIVE not in body and HER_NEED not in body  # her words and narratives: not this basis
    assert reverse("web:conference_item", args=[setup.meeting.pk, setup.referrals[1].pk]) in body  # next item
    assert client.get(reverse("web:case", args=[referral.case.reference])).status_code == 404
    entry = AccessLogEntry.objects.filter(object_type="conference_referral", object_id=str(referral.pk),
                                          case_id=referral.case.pk).latest("pk")
    assert entry.basis.startswith("conference:")


def test_the_lead_agency_also_reads_her_needs_and_her_words_the_perpetrator_facing_agency_never(client):
    setup = conference(cases=1)
    case = setup.cases[0]
    answers = {item.id: "yes" for item in catalogue.instrument("checklist").scored_items[:16]}
    risk_services.assessment_record(actor=setup.advocate, case=case, instrument_id="checklist", answers=answers,
                                    her_view="very", her_words=HER_FEAR,
                                    before=BeforeQuestions(safe_to_talk="yes", channel="phone"))
    services.research_record(actor=setup.advocate, referral=setup.referrals[0], details=ResearchDetails(
        involvement="Weekly support since October", her_views=HER_VIEWS))
    login(client, setup.advocate)
    lead = client.get(_item_url(setup)).content.decode()
    assert HER_NEED in lead and HER_FEAR in lead and HER_VIEWS in lead and NARRATIVE not in lead
    login(client, setup.probation)
    probation = client.get(_item_url(setup)).content.decode()
    assert "Weekly support since October" in probation and "Withheld" in probation
    assert HER_VIEWS not in probation and HER_FEAR not in probation and HER_NEED not in probation
    assert 'name="research-her_views"' not in probation


def test_an_uninvited_agency_and_anyone_after_the_window_get_a_404(client):
    setup = conference(cases=1)
    login(client, setup.uninvited)
    assert client.get(_meeting_url(setup)).status_code == 404
    assert client.get(_item_url(setup)).status_code == 404
    # The meeting was six weeks ago: its access window (28 days) has ended.
    Meeting.objects.filter(pk=setup.meeting.pk).update(held_at=timezone.now() - datetime.timedelta(days=42))
    refresh_cases([c.pk for c in setup.cases])
    login(client, setup.police)
    assert client.get(_item_url(setup)).status_code == 404
    page = client.get(_meeting_url(setup)).content.decode()
    assert "Item 1" in page and setup.cases[0].reference not in page


def test_research_is_recorded_refused_when_empty_and_when_stale(client):
    setup = conference(cases=1)
    login(client, setup.police)
    empty = client.post(_item_change(setup, "research"), {"research-version": 0})
    assert empty.status_code == 422 and "Record what your agency holds" in empty.content.decode()
    saved = client.post(_item_change(setup, "research"), {"research-version": 0,
                                                           "research-involvement": "Three call-outs"})
    assert saved.status_code == 302
    stale = client.post(_item_change(setup, "research"), {"research-version": 0,
                                                           "research-involvement": "Rewritten"})
    assert stale.status_code == 422 and "Someone else changed this" in stale.content.decode()
    assert Research.objects.get(agency=setup.police.agency).involvement == "Three call-outs"
    login(client, setup.probation)
    nothing = client.post(_item_change(setup, "research"), {"research-version": 0, "research-nothing_held": "on"})
    assert nothing.status_code == 302 and Research.objects.get(agency=setup.probation.agency).nothing_held


def test_the_chair_records_the_discussion_and_agrees_an_action_the_owner_closes_it_from_its_tasks(client):
    setup = conference(cases=1)
    login(client, setup.probation)
    assert client.post(_item_change(setup, "discussion"), {"discussion-version": 1,
                                                            "discussion-summary": "x"}).status_code == 403
    login(client, setup.police)
    page = client.get(_item_url(setup)).content.decode()
    assert "Agree an action" in page
    discussed = client.post(_item_change(setup, "discussion"), {"discussion-version": setup.referrals[0].version,
                                                                "discussion-summary": "Escalating; strangulation."})
    assert discussed.status_code == 302
    past = client.post(_item_change(setup, "action"), {
        "action-owner_agency": setup.probation.agency.pk, "action-description": "Check licence conditions",
        "action-due_on": "2020-01-01"})
    assert past.status_code == 422 and "The deadline is in the future." in past.content.decode()
    blank = client.post(_item_change(setup, "action"), {"action-owner_agency": setup.probation.agency.pk})
    assert blank.status_code == 422 and "error-summary" in blank.content.decode()
    agreed = client.post(_item_change(setup, "action"), {
        "action-owner_agency": setup.probation.agency.pk, "action-description": "Check licence conditions",
        "action-due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat()})
    assert agreed.status_code == 302
    action = ConferenceAction.objects.get()
    action_url = reverse("web:conference_action", args=[action.pk])

    login(client, setup.probation)
    assert action_url in client.get(reverse("web:tasks")).content.decode()
    page = client.get(action_url)
    assert page.status_code == 200 and "Check licence conditions" in page.content.decode()
    no_reason = client.post(action_url, {"status": "blocked", "version": action.version})
    assert no_reason.status_code == 422 and "Say what changed in her circumstances." in no_reason.content.decode()
    stale = client.post(action_url, {"status": "done", "version": action.version - 1})
    assert stale.status_code == 422 and "Someone else changed this" in stale.content.decode()
    closed = client.post(action_url, {"status": "blocked", "reason": "She moved to Wales", "version": action.version})
    action.refresh_from_db()
    assert closed.status_code == 302 and action.status == "blocked"
    assert "Close the action" not in client.get(action_url).content.decode()

    login(client, setup.police)  # reads the item, does not own the action: sees it, cannot close it
    page = client.get(action_url)
    assert page.status_code == 200 and "Close the action" not in page.content.decode()
    assert client.post(action_url, {"status": "done", "version": action.version}).status_code == 403
    login(client, setup.uninvited)
    assert client.get(action_url).status_code == 404


def test_the_chair_records_attendance_then_closes_the_meeting(client):
    setup = conference(cases=1)
    login(client, setup.police)
    too_soon = client.post(_change(setup, "close"), {"close-version": setup.meeting.version})
    assert too_soon.status_code == 422 and "Record attendance for every agency invited" in too_soon.content.decode()
    fields = {f"attendance-status_{a.pk}": "present" for a in setup.meeting.invited.all()}
    missing = client.post(_change(setup, "attendance"), {})
    assert missing.status_code == 422 and "error-summary" in missing.content.decode()
    recorded = client.post(_change(setup, "attendance"), fields | {
        f"attendance-names_{setup.police.agency.pk}": "DI Shah"})
    assert recorded.status_code == 302
    closed = client.post(_change(setup, "close"), {"close-version": Meeting.objects.get(pk=setup.meeting.pk).version})
    assert closed.status_code == 302 and Meeting.objects.get(pk=setup.meeting.pk).is_closed
    page = client.get(_meeting_url(setup)).content.decode()
    assert "DI Shah" in page and f"/conferences/{setup.meeting.pk}/minutes.pdf" in page
    login(client, setup.probation)
    assert client.post(_change(setup, "attendance"), fields).status_code == 403


def test_changing_the_meeting_uninvites_an_agency_and_refuses_a_stale_form(client):
    setup = conference(cases=1)
    login(client, setup.coordinator)
    form = {"change-held_at": _future(8), "change-chair": setup.police.user.pk,
            "change-invited": [setup.police.agency.pk, setup.advocate.agency.pk]}
    stale = client.post(_change(setup, "change"), form | {"change-version": setup.meeting.version - 1})
    assert stale.status_code == 422 and "Someone else changed this" in stale.content.decode()
    changed = client.post(_change(setup, "change"), form | {"change-version": setup.meeting.version})
    assert changed.status_code == 302
    login(client, setup.probation)
    assert client.get(_meeting_url(setup)).status_code == 404


def test_an_action_owner_not_at_the_meeting_any_more_still_reads_its_action(client):
    setup = conference(cases=1)
    action = services.action_agree(actor=setup.police, referral=setup.referrals[0], details=ActionDetails(
        owner_agency=setup.probation.agency, description="Home visit",
        due_at=timezone.now() + datetime.timedelta(days=60)))
    Meeting.objects.filter(pk=setup.meeting.pk).update(held_at=timezone.now() - datetime.timedelta(days=42))
    refresh_cases([c.pk for c in setup.cases])
    login(client, setup.probation)
    page = client.get(reverse("web:conference_action", args=[action.pk])).content.decode()
    assert setup.cases[0].reference in page and "Close the action" in page
    login(client, setup.police)  # the window has ended and it owns nothing
    assert client.get(reverse("web:conference_action", args=[action.pk])).status_code == 404


def test_every_piece_of_case_data_on_the_item_page_belongs_to_a_facet():
    from concord.web.tests.test_case_page_facets import LOCAL, NOT_CASE_DATA, TEMPLATES, _root_names
    from concord.web.views.conference_items import ITEM_PAGE_FACETS

    own = {"meeting", "forms", "withholds_her_views", "words", "line", "r", "action", "field"}  # bound here
    untied = (_root_names((TEMPLATES / "conference_item.html").read_text()) - set(ITEM_PAGE_FACETS)
              - NOT_CASE_DATA - LOCAL - own)
    assert not untied, f"conference_item.html reads {sorted(untied)} without a facet in ITEM_PAGE_FACETS"
