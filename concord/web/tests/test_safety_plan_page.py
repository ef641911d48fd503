"""The safety plan's page: made and changed with her from a form (steps added, removed, reordered),
errors beside their fields, a stale form refused with her entries kept, earlier versions readable; a
404 for an agency that does not hold the plan; the case page's line about it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from concord import policy
from concord.accounts.models import Sector
from concord.audit.models import AccessLogEntry
from concord.safety import selectors
from concord.safety.services import StepDetails, safety_plan_mark_for_review, safety_plan_save
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with

pytestmark = pytest.mark.django_db

REVIEW = (timezone.localdate() + datetime.timedelta(days=28)).isoformat()


def _post(rows, *, version=0, initial=0, review=REVIEW):
    data = {"version": version, "next_review_on": review, "steps-TOTAL_FORMS": len(rows),
            "steps-INITIAL_FORMS": initial, "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 60}
    for index, row in enumerate(rows):
        for name, value in {"owner": "her", "status": "agreed", **row}.items():
            data[f"steps-{index}-{name}"] = value
    return data


def _url(case):
    return reverse("web:safety_plan", args=[case.reference])


def _plan_steps(actor, case):
    plan = selectors.safety_plan_of(policy.decide(actor, case))
    return [(step.what, step.status) for step in plan.steps.all()] if plan else []


def test_a_new_plan_is_made_from_the_form_and_blank_rows_are_ignored(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    page = client.get(_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "No safety plan yet." in html and 'name="version"' in html and 'value="0"' in html
    for name in ("what", "owner", "owner_agency", "owner_name", "status", "order"):
        assert re.search(rf'<label for="id_steps-0-{name}"', html), name
    response = client.post(_url(case), _post([
        {"what": "A code word with her neighbour", "in_her_words": "on", "owner": "someone", "owner_name": "Mrs Patel"},
        {"what": "I don't want the school told", "in_her_words": "on", "status": "not_taken"},
        {"what": ""}]))
    assert response.status_code == 302
    assert _plan_steps(advocate, case) == [("A code word with her neighbour", "agreed"),
                                           ("I don't want the school told", "not_taken")]
    html = client.get(_url(case)).content.decode()
    assert "<q>A code word with her neighbour</q>" in html and "Mrs Patel" in html and "She chose not to" in html
    assert AccessLogEntry.objects.filter(case_id=case.pk, object_type="safety_plan", action="view").exists()


def test_steps_are_removed_and_reordered_and_each_save_is_a_version(client, advocate):
    case = make_case(advocate)
    safety_plan_save(actor=advocate, case=case, expected_version=0, next_review_on=datetime.date.fromisoformat(REVIEW),
                     steps=[StepDetails(what="First"), StepDetails(what="Second"), StepDetails(what="Third")])
    login(client, advocate)
    response = client.post(_url(case), _post([
        {"what": "First", "order": "3"}, {"what": "Second", "remove": "on"}, {"what": "Third", "order": "1"},
        {"what": "A bag ready", "order": "2"}], version=1, initial=3))
    assert response.status_code == 302
    assert _plan_steps(advocate, case) == [("Third", "agreed"), ("A bag ready", "agreed"), ("First", "agreed")]
    html = client.get(_url(case)).content.decode()
    first = reverse("web:safety_plan_version", args=[case.reference, 1])
    assert f'href="{first}"' in html
    old = client.get(first).content.decode()
    assert "Second" in old and "A bag ready" not in old
    assert client.get(reverse("web:safety_plan_version", args=[case.reference, 9])).status_code == 404


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    response = client.post(_url(case), _post([{"what": "Call her", "owner": "agency"},
                                              {"what": "Her sister", "owner": "someone"}], review="2020-01-01"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem: nothing was saved" in html
    assert 'href="#id_steps-0-owner_agency"' in html and "Choose the agency that does it." in html
    assert 'href="#id_steps-1-owner_name"' in html and "Say who she names." in html
    assert not _plan_steps(advocate, case)
    response = client.post(_url(case), _post([{"what": "Ok"}], review="2020-01-01"))
    assert response.status_code == 422 and "The next review cannot be in the past." in response.content.decode()
    response = client.post(_url(case), _post([]))
    assert response.status_code == 422 and "at least one step" in response.content.decode()


def test_a_stale_form_is_refused_and_keeps_what_was_entered(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    assert client.post(_url(case), _post([{"what": "Theirs"}])).status_code == 302
    response = client.post(_url(case), _post([{"what": "Mine, from an old form"}], version=0))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed the plan since you opened it" in html
    assert "Mine, from an old form" in html and 'name="version" value="1"' in html
    assert _plan_steps(advocate, case) == [("Theirs", "agreed")]


def test_the_case_page_shows_the_plan_line_and_review_due(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "Safety plan" in page and "Make a safety plan with her" in page
    safety_plan_save(actor=advocate, case=case, expected_version=0, next_review_on=datetime.date.fromisoformat(REVIEW),
                     steps=[StepDetails(what="A bag ready"), StepDetails(what="Safe route")])
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "2 steps; next review" in page and "Review due" not in page
    assert "A bag ready" not in page  # the steps are on the plan's own page
    safety_plan_mark_for_review(case, "new_incident")
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "Review due: A new incident" in page


@pytest.mark.parametrize("sector", [Sector.PROBATION, Sector.PERPETRATOR_PROGRAMME])
def test_an_agency_working_with_him_never_sees_the_plan_anywhere(client, advocate, area, sector):
    other = make_actor(make_agency(area, sector))
    case = make_case(advocate)
    share_with(advocate, case, other.agency)
    safety_plan_save(actor=advocate, case=case, expected_version=0, next_review_on=datetime.date.fromisoformat(REVIEW),
                     steps=[StepDetails(what="A code word with Mrs Patel")])
    safety_plan_mark_for_review(case, "new_incident")
    login(client, other)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _post([{"what": "x"}], version=1)).status_code == 404
    assert client.get(reverse("web:safety_plan_version", args=[case.reference, 1])).status_code == 404
    page = client.get(reverse("web:case", args=[case.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Safety plan" not in html and "safety-plan" not in html and "Mrs Patel" not in html
    timeline = client.get(reverse("web:timeline", args=[case.reference])).content.decode()
    assert "Safety plan" not in timeline
    assert _plan_steps(advocate, case) == [("A code word with Mrs Patel", "agreed")]


def test_an_agency_without_access_gets_404(client, advocate, housing_worker):
    case = make_case(advocate)
    login(client, housing_worker)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _post([{"what": "x"}])).status_code == 404
