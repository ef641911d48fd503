"""Authorization matrix for the conference pages: every agency's member of staff at a released meeting
× every conference URL (tests/authorization/test_ui_matrix.py covers the case URLs).

- GET: exactly 200 or 404 as the access rule says: the meeting for the agencies invited and the
  coordinator; an agenda case's item for whoever reads it; an action for its owner and whoever reads its
  item. Nobody else, and nobody outside casework.
- POST: 404 for whoever may not see the meeting; 403 for whoever sees it without the power; nothing
  written when refused.
- Her phone number and the incident's narrative appear on no conference page; her words from a risk
  assessment and her needs only for the agency whose decision holds them (the lead); her views in the
  research never for the agency working with the person causing harm.

`test_every_conference_route_is_in_the_matrix` fails for a conference URL with no entry, by name.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import Role
from concord.conferences import services
from concord.conferences.models import Attendance, ConferenceAction, Research
from concord.conferences.services import ActionDetails, ResearchDetails
from concord.risk import catalogue
from concord.risk import services as risk_services
from concord.risk.services import BeforeQuestions
from concord.testing.conferences import conference, refer, risky_case
from concord.testing.factories import login, make_actor
from concord.web import urls as web_urls

pytestmark = pytest.mark.django_db

PHONE = "07700 900777"
NARRATIVE = "He pushed her against the wall."
HER_NEED = "I need the locks changed"
HER_FEAR = "That he will come back at night"
HER_VIEWS = "She wants him kept away from the school gate"

# Who is tested, and what each one may open: (meeting, item, action).
EXPECTED = {
    "coordinator": (200, 200, 200),
    # The coordinating agency's other staff: not invited to this meeting; the coordination basis is its
    # coordinators' alone.
    "colleague": (404, 404, 404),
    "chair": (200, 200, 200),  # the police: invited, chairs
    "lead": (200, 200, 200),  # the advocacy service: the case's lead, invited
    "probation": (200, 200, 200),  # invited, works with the person causing harm, owns the action
    "uninvited": (404, 404, 404),
    "administrator": (404, 404, 404),  # not casework: no conference page exists for them
}
# The one POST each may make at this meeting, by (route, action): who gets 403 rather than the change.
POSTS = {
    ("web:conference_meeting_change", "release"): {"coordinator"},
    ("web:conference_meeting_change", "attendance"): {"coordinator", "chair"},
    ("web:conference_item_change", "research"): {"chair", "lead", "probation"},  # invited agencies
    ("web:conference_item_change", "discussion"): {"coordinator", "chair"},
}


@pytest.fixture
def meeting():
    setup = conference(cases=1, release=False)
    advocate = setup.advocate
    # Her case with her phone number on it, and her words from an assessment.
    case = risky_case(advocate, given_name="Petra", family_name="Phone", phone=PHONE)
    answers = {item.id: "yes" for item in catalogue.instrument("checklist").scored_items[:16]}
    risk_services.assessment_record(actor=advocate, case=case, instrument_id="checklist", answers=answers,
                                    her_view="very", her_words=HER_FEAR,
                                    before=BeforeQuestions(safe_to_talk="yes", channel="phone"))
    referral = refer(advocate, case)
    services.agenda_build(actor=setup.coordinator, meeting=setup.meeting)
    services.agenda_release(actor=setup.coordinator, meeting=setup.meeting)
    referral.refresh_from_db()
    services.research_record(actor=advocate, referral=referral, details=ResearchDetails(
        involvement="Weekly support", her_views=HER_VIEWS))
    action = services.action_agree(actor=setup.police, referral=referral, details=ActionDetails(
        owner_agency=setup.probation.agency, description="Check licence conditions",
        due_at=timezone.now() + datetime.timedelta(days=14)))
    setup.meeting.refresh_from_db()
    actors = {"coordinator": setup.coordinator, "colleague": make_actor(setup.coordinator.agency),
              "chair": setup.police, "lead": advocate, "probation": setup.probation,
              "uninvited": setup.uninvited, "administrator": make_actor(setup.police.agency, Role.ADMINISTRATOR)}
    return setup, referral, action, actors


def _urls(setup, referral, action) -> dict[str, str]:
    return {"web:conferences": reverse("web:conferences"),
            "web:conference_meeting": reverse("web:conference_meeting", args=[setup.meeting.pk]),
            "web:conference_item": reverse("web:conference_item", args=[setup.meeting.pk, referral.pk]),
            "web:conference_action": reverse("web:conference_action", args=[action.pk]),
            "web:conference_minutes": reverse("web:conference_minutes", args=[setup.meeting.pk])}


GET_ROUTES = {"web:conferences", "web:conference_meeting", "web:conference_item", "web:conference_action",
              "web:conference_minutes"}
POST_ROUTES = {route for route, _action in POSTS} | {"web:conference_action", "web:conferences"}
CONFERENCE_ROUTES = sorted(f"{web_urls.app_name}:{pattern.name}" for pattern in web_urls.urlpatterns
                           if str(pattern.pattern).startswith("conferences/"))


# Counts only, no case named: tried by its own tests (concord/web/tests/test_conference_figures_page.py).
COUNTS_ONLY = {"web:conference_figures"}


def test_every_conference_route_is_in_the_matrix():
    assert len(CONFERENCE_ROUTES) >= 4
    missing = [name for name in CONFERENCE_ROUTES if name not in GET_ROUTES | POST_ROUTES | COUNTS_ONLY]
    assert not missing, f"conference URLs with no entry in the conference matrix: {missing}"


def _leaks(who: str, body: str) -> list[str]:
    found = [value for value in (PHONE, NARRATIVE) if value in body]
    if who != "lead":
        found += [value for value in (HER_FEAR, HER_NEED) if value in body]
    if who == "probation" and HER_VIEWS in body:
        found.append(HER_VIEWS)
    return found


def test_every_conference_page_answers_exactly_as_the_access_rule_says(client, meeting):
    setup, referral, action, actors = meeting
    urls, failures = _urls(setup, referral, action), []
    for who, actor in actors.items():
        login(client, actor)
        expected = dict(zip(("web:conference_meeting", "web:conference_item", "web:conference_action"),
                            EXPECTED[who], strict=True))
        expected["web:conferences"] = 404 if who == "administrator" else 200
        # The meeting is open: no minutes yet for who sees it (the closed meeting's minutes, agency by
        # agency, are tried in concord/web/tests/test_conference_minutes.py and the API matrix).
        expected["web:conference_minutes"] = 403 if EXPECTED[who][0] == 200 else 404
        for name, url in urls.items():
            response = client.get(url)
            body = response.content.decode()
            if response.status_code != expected[name]:
                failures.append(f"{who} GET {name}: {response.status_code}, expected {expected[name]}")
            if found := _leaks(who, body):
                failures.append(f"{who} GET {name}: shows {found}")
            if name == "web:conference_meeting" and response.status_code == 200 and \
                    referral.case.reference not in body:
                failures.append(f"{who} GET {name}: the agenda does not name the case it holds")
        if who == "lead":
            item = client.get(urls["web:conference_item"]).content.decode()
            if not all(value in item for value in (HER_FEAR, HER_NEED, HER_VIEWS)):
                failures.append("lead: its own decision's needs, her words or her views are not on the item")
    assert not failures, "\n".join(failures)


def _post(client, setup, referral, route, action, actor):
    if route == "web:conference_meeting_change":
        url = reverse(route, args=[setup.meeting.pk, action])
    else:
        url = reverse(route, args=[setup.meeting.pk, referral.pk, action])
    own = Research.objects.filter(referral=referral, agency=actor.agency).first()
    data = {"release-version": setup.meeting.version, "research-version": own.version if own else 0,
            "research-involvement": "Known to us", "discussion-version": referral.version,
            "discussion-summary": "Discussed"} | {
        f"attendance-status_{agency.pk}": "present" for agency in setup.meeting.invited.all()}
    return client.post(url, data)


def _written(referral) -> tuple:
    referral.refresh_from_db()
    return (Research.objects.count(), Attendance.objects.count(), referral.version, referral.discussion_summary,
            ConferenceAction.objects.filter(status="open").count())


def test_every_conference_change_is_made_or_refused_as_the_access_rule_says(client, meeting):
    setup, referral, action, actors = meeting
    failures = []
    for who, actor in actors.items():
        login(client, actor)
        for (route, change), allowed in POSTS.items():
            before = _written(referral)
            response = _post(client, setup, referral, route, change, actor)
            sees = EXPECTED[who][0] == 200
            expected = (302,) if who in allowed else (403,) if sees else (404,)
            if change == "release" and who in allowed:
                expected = (422,)  # already released: refused with the reason, on the page
            if response.status_code not in expected:
                failures.append(f"{who} POST {route}[{change}]: {response.status_code}, expected {expected}")
            if response.status_code != 302 and _written(referral) != before:
                failures.append(f"{who} POST {route}[{change}]: refused, yet something was written")
        close = client.post(reverse("web:conference_action", args=[action.pk]),
                            {"status": "done", "version": action.version})
        owns = who == "probation"  # the coordinator records "not done" only
        expected_close = 302 if owns else 403 if EXPECTED[who][2] == 200 else 404
        if close.status_code != expected_close and not (owns and close.status_code == 422):
            failures.append(f"{who} POST conference_action: {close.status_code}, expected {expected_close}")
        if owns and close.status_code == 302:
            ConferenceAction.objects.filter(pk=action.pk).update(status="open", closed_at=None, closed_by=None)
            action.refresh_from_db()
        schedule = client.post(reverse("web:conferences"), {})
        expected_schedule = 422 if who == "coordinator" else 404 if who == "administrator" else 403
        if schedule.status_code != expected_schedule:
            failures.append(f"{who} POST conferences: {schedule.status_code}, expected {expected_schedule}")
    assert not failures, "\n".join(failures)
