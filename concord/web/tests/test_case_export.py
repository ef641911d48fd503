"""The case summary export: what leaves the system carries less than the screen, and every export
is recorded."""

from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.cases import services
from concord.consent.services import consent_record
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with

REFUGE = "Refuge house 3, 9 Hidden Row, Northam"
SAFE_ADDRESS = "12 Larch Lane, Eastwick"
PHONE = "07700 900456"


def _case(advocate):
    case = make_case(advocate, phone=PHONE)
    services.location_record(actor=advocate, case=case, kind="refuge", address=REFUGE)
    services.location_record(actor=advocate, case=case, kind="safe_address", address=SAFE_ADDRESS)
    consent_record(actor=advocate, case=case, scope="contact", channel="text", decision="given", method="verbal",
                   note="Only after 6pm when he is at work")
    return case


def test_the_lead_agencys_export_never_holds_the_refuge_or_her_numbers(client, advocate):
    case = _case(advocate)
    login(client, advocate)
    body = client.get(reverse("web:case_export", args=[case.reference])).text
    assert case.survivor.full_name in body and "He pushed her against the wall." in body
    assert SAFE_ADDRESS in body
    assert REFUGE not in body and "900456" not in body and "after 6pm" not in body


def test_an_agency_without_need_to_know_gets_an_export_with_no_location(client, advocate, officer):
    case = _case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, officer)
    body = client.get(reverse("web:case_export", args=[case.reference])).text
    assert "Withheld" in body and SAFE_ADDRESS not in body and REFUGE not in body


def test_a_perpetrator_facing_agency_never_exports_a_location(client, advocate, area):
    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = _case(advocate)
    share_with(advocate, case, probation.agency)
    login(client, probation)
    body = client.get(reverse("web:case_export", args=[case.reference])).text
    assert SAFE_ADDRESS not in body and REFUGE not in body and "900456" not in body


def test_every_export_is_recorded_and_an_unseen_case_is_not_found(client, advocate, housing_worker):
    case = _case(advocate)
    login(client, advocate)
    response = client.get(reverse("web:case_export", args=[case.reference]))
    assert response.status_code == 200 and "Download PDF" in response.text
    entry = AccessLogEntry.objects.filter(case_id=case.pk, action="export").get()
    assert entry.user_id == advocate.user.pk and "locations" in entry.fields and entry.basis == "lead@r2"

    login(client, housing_worker)
    assert client.get(reverse("web:case_export", args=[case.reference])).status_code == 404
    assert AccessLogEntry.objects.filter(case_id=case.pk, action="export").count() == 1
