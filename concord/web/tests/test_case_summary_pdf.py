"""The case summary as a PDF document: what a court or a colleague reads, checked by its text. It
holds what the printer's agency may see of the case and no more, never her refuge or how to reach
her, and every page says who printed it, when and what for."""

import datetime

from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.cases import services
from concord.cases.models import Incident
from concord.consent.services import consent_record
from concord.people.models import Person
from concord.testing.documents import pdf_text
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with

REFUGE = "Refuge house 3, 9 Hidden Row, Northam"
SAFE_ADDRESS = "12 Larch Lane, Eastwick"
PHONE = "07700 900456"
CONSENT_NOTE = "Only after 6pm when he is at work"
NARRATIVE = "He pushed her against the wall."
NEED = "I need the locks changed"


def _case(advocate):
    case = make_case(advocate, phone=PHONE)
    services.location_record(actor=advocate, case=case, kind="refuge", address=REFUGE)
    services.location_record(actor=advocate, case=case, kind="safe_address", address=SAFE_ADDRESS)
    consent_record(actor=advocate, case=case, scope="contact", channel="text", decision="given", method="verbal",
                   note=CONSENT_NOTE)
    Person.objects.filter(pk=case.survivor_id).update(first_language="Polish", interpreter_needed="yes")
    Incident.objects.filter(case=case).update(strangulation="yes", weapon_used="no", children_present="yes",
                                              injuries="minor")
    return case


def _pdf(client, case, **query):
    return client.get(reverse("web:case_export_pdf", args=[case.reference]), query)


def test_the_lead_agencys_pdf_is_a_document_with_the_safety_facts_and_a_footer(client, advocate):
    case = _case(advocate)
    login(client, advocate)
    response = _pdf(client, case, purpose="court", detail="Family court, 3 December")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}-summary.pdf"'
    assert "no-store" in response["Cache-Control"]  # a copy in a shared computer's cache: nobody recorded it
    text = pdf_text(response.content)
    assert f"Case summary {case.reference}" in text and "Amina Khan" in text
    assert "Strangulation or choking Yes" in text and "Children present Yes" in text
    assert "Weapon used No" in text and "Injuries Minor" in text
    assert "Yes (Polish): book an interpreter" in text
    assert NARRATIVE in text and NEED in text and SAFE_ADDRESS in text
    # The footer, on every page: who, for which agency, when, and what for.
    today = datetime.date.today().strftime("%-d %b %Y")
    assert (f"Printed by {advocate.label} ({advocate.agency.name}) on {today}" in text
            and "for: A court or hearing: Family court, 3 December" in text)
    # What never leaves: her refuge, her numbers, how she may be contacted; no page furniture either.
    for never in (REFUGE, "900456", CONSENT_NOTE, "Sign out", "csrfmiddlewaretoken"):
        assert never not in text
    assert b"csrfmiddlewaretoken" not in response.content


def test_an_agency_sharing_under_her_consent_gets_less_in_its_pdf(client, advocate, officer):
    case = _case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, officer)
    text = pdf_text(_pdf(client, case, purpose="meeting").content)
    assert "Amina Khan" in text and "Strangulation or choking Yes" in text
    assert "for: A multi-agency meeting" in text and officer.agency.name in text
    assert "Withheld: her locations" in text
    for never in (SAFE_ADDRESS, REFUGE, "900456", CONSENT_NOTE):
        assert never not in text


def test_a_perpetrator_facing_agency_under_an_override_gets_no_needs_or_narrative(client, advocate, area,
                                                                                      idva_supervisor):
    from concord.consent.services import override_authorise

    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = _case(advocate)
    override_authorise(actor=idva_supervisor, case=case, agency=probation.agency, legal_basis="prevention_of_crime",
                       reason="Risk to her from his licence conditions", facets=[])
    login(client, probation)
    response = _pdf(client, case, purpose="supervision")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Amina Khan" in text
    for never in (NEED, NARRATIVE, SAFE_ADDRESS, REFUGE, "900456", CONSENT_NOTE):
        assert never not in text


def test_a_pdf_needs_a_purpose_and_says_so_on_the_summary_page(client, advocate):
    case = _case(advocate)
    login(client, advocate)
    response = _pdf(client, case)
    assert response.status_code == 422 and "There is a problem" in response.text
    assert "This field is required" in response.text
    response = _pdf(client, case, purpose="other", detail="   ")
    assert response.status_code == 422 and "Say what the summary is for." in response.text
    # The summary page was shown again (and logged as such); no document was made.
    assert not any("pdf" in entry.fields for entry in AccessLogEntry.objects.filter(case_id=case.pk, action="export"))

    text = pdf_text(_pdf(client, case, purpose="other", detail="Her solicitor's request").content)
    assert "for: Her solicitor's request." in text


def test_every_pdf_is_recorded_with_its_purpose_and_an_unseen_case_is_not_found(client, advocate,
                                                                                 housing_worker):
    case = _case(advocate)
    login(client, advocate)
    assert _pdf(client, case, purpose="referral").status_code == 200
    entry = AccessLogEntry.objects.filter(case_id=case.pk, action="export").get()
    assert "pdf" in entry.fields and "purpose:referral" in entry.fields and "locations" in entry.fields
    assert entry.basis == "lead@r2"
    # Her worker can tell her where her record went, in plain words.
    seen = client.get(reverse("web:who_has_seen", args=[case.reference])).text
    assert "printed a PDF summary of" in seen and "for: A referral to another service" in seen
    assert "purpose:" not in seen

    login(client, housing_worker)
    assert _pdf(client, case, purpose="court").status_code == 404
    assert AccessLogEntry.objects.filter(case_id=case.pk, action="export").count() == 1
