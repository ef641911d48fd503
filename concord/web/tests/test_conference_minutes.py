"""A closed conference's minutes as each invited agency receives them, checked by the document's text:
the meeting, who came, the shared summary, that agency's own research and actions, never another
agency's research or actions (only how many there are), never her views for an agency working with the
person causing harm, never how to reach her or where she is; in the access log per case item."""

import pytest
from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.conferences import services
from concord.testing import conferences as c
from concord.testing.conferences import conference, held_meeting
from concord.testing.documents import pdf_text
from concord.testing.factories import login

pytestmark = pytest.mark.django_db

RESEARCH = {"police": c.POLICE_RESEARCH, "probation": c.PROBATION_RESEARCH, "advocate": c.ADVOCACY_RESEARCH}
ACTIONS = {"police": c.POLICE_ACTION, "probation": c.PROBATION_ACTION, "advocate": c.ADVOCACY_ACTION}


def _minutes(client, setup, actor):
    login(client, actor)
    return client.get(reverse("web:conference_minutes", args=[setup.meeting.pk]))


@pytest.mark.parametrize("reader", ["police", "probation", "advocate"])
def test_each_agency_reads_the_summary_and_its_own_research_and_actions_only(client, reader):
    setup = held_meeting()
    response = _minutes(client, setup, getattr(setup, reader))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    case = setup.cases[0]
    assert "Minutes of Northshire MARAC" in text and c.SUMMARY in text
    assert f"{case.reference}, Amina Case0" in text and "Risk level High" in text
    assert "Visible high risk (the risk instrument)" in text
    assert "Northshire Police (DI Shah)" in text and "Apologies Probation Service" in text
    assert "never tell the person causing harm" in text
    assert RESEARCH[reader] in text and ACTIONS[reader] in text
    assert "2 actions for other agencies" in text
    for other in set(RESEARCH) - {reader}:
        assert RESEARCH[other] not in text and ACTIONS[other] not in text
    assert (c.HER_VIEWS in text) is (reader == "advocate")  # her words: the advocacy's own research only
    for never in (c.PHONE, "900777", c.REFUGE):
        assert never not in text
    # Not discussed, so not in the minutes: it went back to the waiting list.
    assert setup.cases[1].reference not in text
    # The footer: who printed it, for which agency, page numbers.
    actor = getattr(setup, reader)
    assert f"Printed by {actor.label} for {actor.agency.name}" in text and "Page 1 / " in text


def test_probation_never_reads_her_views_even_written_in_its_own_research(client):
    setup = held_meeting()
    research = setup.referrals[0].research.get(agency=setup.probation.agency)
    research.her_views = "Words probation must not see again"
    research.save()
    text = pdf_text(_minutes(client, setup, setup.probation).content)
    assert "Words probation must not see again" not in text and c.PROBATION_RESEARCH in text


def test_each_download_is_in_the_access_log_per_case_item(client):
    setup = held_meeting()
    before = AccessLogEntry.objects.count()
    _minutes(client, setup, setup.probation)
    (entry,) = AccessLogEntry.objects.all()[before:]
    assert (entry.object_type, entry.action, entry.case_id) == ("conference_minutes", "export", setup.cases[0].pk)
    assert entry.basis.startswith("conference:") and "research.her_views" not in entry.fields
    assert "research.involvement" in entry.fields and "pdf" in entry.fields


def test_an_uninvited_agency_gets_404_and_nothing_is_logged(client):
    setup = held_meeting()
    before = AccessLogEntry.objects.count()
    assert _minutes(client, setup, setup.uninvited).status_code == 404
    assert AccessLogEntry.objects.count() == before


def test_the_minutes_are_refused_before_the_meeting_closes(client):
    setup = conference()
    services.discussion_record(actor=setup.police, referral=setup.referrals[0], summary=c.SUMMARY)
    response = _minutes(client, setup, setup.police)
    assert response.status_code == 403 and b"closes the meeting" in response.content


def test_without_the_pdf_libraries_it_is_a_503_and_nothing_is_logged(client, monkeypatch):
    from concord.web import minutes
    from concord.web.pdf import PdfUnavailable

    def unavailable(*args, **kwargs):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr(minutes, "render_pdf", unavailable)
    setup = held_meeting()
    before = AccessLogEntry.objects.count()
    response = _minutes(client, setup, setup.police)
    assert response.status_code == 503 and AccessLogEntry.objects.count() == before
