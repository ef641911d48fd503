"""/conferences through the API: an invited agency lists its meetings, reads the agenda cases it holds
(only the position of one it does not), every agency's research on them (her views never to probation),
records its own research, and downloads its own minutes once the meeting is closed; the coordinator
agrees actions; an agency not invited gets 404 everywhere, and every read of a case is logged."""

import datetime

import pytest
from django.utils import timezone

from concord.audit.models import AccessLogEntry
from concord.cases import services as case_services
from concord.conferences import services
from concord.testing import conferences as c
from concord.testing.conferences import conference, held_meeting
from concord.testing.documents import pdf_text

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not Found"}


def _due(days=10):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def _research(setup):
    referral = setup.referrals[0]
    services.research_record(actor=setup.police, referral=referral, details=services.ResearchDetails(
        involvement=c.POLICE_RESEARCH))
    services.research_record(actor=setup.advocate, referral=referral, details=services.ResearchDetails(
        involvement=c.ADVOCACY_RESEARCH, her_views=c.HER_VIEWS))
    return referral


def test_an_invited_agency_lists_and_reads_its_meetings_and_others_get_404(client_for):
    setup = conference()
    police, uninvited = client_for(setup.police), client_for(setup.uninvited)
    listing = police.call("get", "/conferences").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == setup.meeting.pk
    assert listing["items"][0]["series"] == "Northshire MARAC"
    detail = police.call("get", f"/conferences/{setup.meeting.pk}").json()
    assert detail["you_may"] == ["research"] and detail["attendance"] == []
    assert {a["name"] for a in detail["invited"]} >= {"Northshire Police", "Probation Service"}
    assert uninvited.call("get", "/conferences").json() == {"items": [], "count": 0}
    for path in ("", "/agenda", "/research", "/actions", "/minutes"):
        response = uninvited.call("get", f"/conferences/{setup.meeting.pk}{path}")
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    assert police.call("get", "/conferences/999999").status_code == 404


def test_the_agenda_names_the_cases_held_and_only_the_position_of_the_others(client_for):
    setup = conference()
    hidden = setup.cases[1]
    case_services.case_restrict(actor=setup.advocate, case=hidden, named_users=[setup.advocate.user])
    before = AccessLogEntry.objects.count()
    items = client_for(setup.police).call("get", f"/conferences/{setup.meeting.pk}/agenda").json()
    assert [(i["position"], i["held"]) for i in items] == [(1, True), (2, False)]
    assert (items[0]["reference"], items[0]["name"], items[0]["risk_level"]) == (
        setup.cases[0].reference, "Amina Case0", "high")
    assert items[1]["reference"] is None and items[1]["name"] is None and "name" in items[1]["withheld"]
    assert hidden.reference.encode() not in client_for(setup.police).call(
        "get", f"/conferences/{setup.meeting.pk}/agenda").content
    (entry,) = AccessLogEntry.objects.all()[before:before + 1]
    assert entry.case_id == setup.cases[0].pk and entry.object_type == "conference_item"
    assert entry.basis.startswith("conference:")


def test_research_is_read_by_the_meeting_without_her_views_for_probation(client_for):
    setup = conference()
    referral = _research(setup)
    police = client_for(setup.police).call("get", f"/conferences/{setup.meeting.pk}/research").json()
    assert {(r["agency"]["name"], r["her_views"]) for r in police} == {
        ("Northshire Police", ""), ("Northshire IDVA Service", c.HER_VIEWS)}
    before = AccessLogEntry.objects.count()
    probation = client_for(setup.probation).call("get", f"/conferences/{setup.meeting.pk}/research")
    assert c.HER_VIEWS.encode() not in probation.content
    rows = probation.json()
    assert all(r["her_views"] is None and r["withheld"] == ["her_views"] for r in rows)
    assert {r["involvement"] for r in rows} == {c.POLICE_RESEARCH, c.ADVOCACY_RESEARCH}
    (entry,) = AccessLogEntry.objects.all()[before:]
    assert entry.case_id == referral.case_id and entry.object_type == "conference_research"
    assert not any(field.endswith("her_views") for field in entry.fields)


def test_an_agency_records_and_corrects_its_own_research(client_for):
    setup = conference()
    api, url = client_for(setup.probation), f"/conferences/{setup.meeting.pk}/research"
    referral_id = setup.referrals[0].pk
    created = api.call("post", url, {"referral_id": referral_id, "version": 0, "involvement": c.PROBATION_RESEARCH})
    assert created.status_code == 200, created.json()
    assert (created.json()["involvement"], created.json()["version"]) == (c.PROBATION_RESEARCH, 1)
    changed = api.call("post", url, {"referral_id": referral_id, "version": 1, "risks": "Breached licence"})
    assert changed.json()["risks"] == "Breached licence" and changed.json()["version"] == 2
    stale = api.call("post", url, {"referral_id": referral_id, "version": 1, "risks": "Old"})
    assert stale.status_code == 422 and stale.json()["detail"][0]["loc"] == ["body", "payload", "version"]
    empty = api.call("post", url, {"referral_id": referral_id, "version": 2})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"][-1] == "involvement"
    elsewhere = api.call("post", url, {"referral_id": 999999, "version": 0, "involvement": "x"})
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["loc"][-1] == "referral_id"
    assert api.call("post", url, {"referral_id": referral_id, "version": 0, "colour": "red"}).status_code == 422
    uninvited = client_for(setup.uninvited).call("post", url, {"referral_id": referral_id, "version": 0,
                                                                "involvement": "x"})
    assert uninvited.status_code == 404


def test_research_is_refused_once_the_meeting_is_closed(client_for):
    setup = held_meeting()
    response = client_for(setup.police).call("post", f"/conferences/{setup.meeting.pk}/research", {
        "referral_id": setup.referrals[0].pk, "version": 1, "involvement": "Late news"})
    assert response.status_code == 403


def test_the_coordinator_agrees_an_action_and_the_meeting_reads_it(client_for):
    setup = conference()
    url, referral_id = f"/conferences/{setup.meeting.pk}/actions", setup.referrals[0].pk
    coordinator = client_for(setup.coordinator)
    body = {"referral_id": referral_id, "owner_agency": setup.probation.agency.pk,
            "description": c.PROBATION_ACTION, "due_at": _due(), "worker": setup.probation.user.pk}
    created = coordinator.call("post", url, body)
    assert created.status_code == 201, created.json()
    assert created.json()["owner_agency"]["name"] == "Probation Service" and created.json()["status"] == "open"
    assert created.json()["worker"] == str(setup.probation.user)
    # Not the chair: refused; an agency not invited cannot own one; the deadline is in the future.
    assert client_for(setup.probation).call("post", url, body).status_code == 403
    wrong = coordinator.call("post", url, body | {"owner_agency": setup.uninvited.agency.pk, "worker": None})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "owner_agency"
    late = coordinator.call("post", url, body | {"due_at": _due(-1)})
    assert late.status_code == 422 and late.json()["detail"][0]["loc"][-1] == "due_at"
    assert coordinator.call("post", url, body | {"due_at": 1767225600}).status_code == 422
    assert client_for(setup.uninvited).call("post", url, body).status_code == 404

    action = setup.referrals[0].actions.get()
    services.action_close(actor=setup.probation, action=action, status="blocked", reason="She moved to Wales")
    police = client_for(setup.police).call("get", url).json()
    assert [(a["description"], a["status"], a["status_reason"]) for a in police] == [
        (c.PROBATION_ACTION, "blocked", None)]
    assert "status_reason" in police[0]["withheld"]
    owner = client_for(setup.probation).call("get", url).json()
    assert owner[0]["status_reason"] == "She moved to Wales"


def test_each_agency_downloads_its_own_minutes_once_the_meeting_is_closed(client_for):
    open_setup = conference()
    assert client_for(open_setup.police).call("get", f"/conferences/{open_setup.meeting.pk}/minutes").status_code \
        == 403
    setup = held_meeting()
    before = AccessLogEntry.objects.count()
    response = client_for(setup.probation).call("get", f"/conferences/{setup.meeting.pk}/minutes")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert c.PROBATION_RESEARCH in text and c.PROBATION_ACTION in text and c.SUMMARY in text
    for never in (c.POLICE_RESEARCH, c.ADVOCACY_RESEARCH, c.HER_VIEWS, c.POLICE_ACTION, c.PHONE, c.REFUGE):
        assert never not in text
    (entry,) = AccessLogEntry.objects.all()[before:]
    assert (entry.object_type, entry.action, entry.case_id) == ("conference_minutes", "export", setup.cases[0].pk)
