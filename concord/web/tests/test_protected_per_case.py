"""Protected details belong to the case they were recorded on: need-to-know is granted per case, so an
agency cannot reach her refuge address or phone number by opening a case of its own for her, and a
phone number finds only cases whose protected details the searcher holds."""

from django.db import connection
from django.urls import reverse

from concord.cases import services
from concord.people.details import ContactDetails
from concord.people.models import ContactPoint
from concord.people.services import contact_point_create
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with

PHONE = "07700 900321"
REFUGE = "4 Quiet Close, Hiddenham"


def test_a_second_case_for_the_same_person_does_not_reveal_the_first_cases_protected_details(
        client, advocate, officer):
    first = make_case(advocate, phone=PHONE)
    services.location_record(actor=advocate, case=first, kind="refuge", address=REFUGE)
    share_with(advocate, first, officer.agency)  # the police may see the case, not her whereabouts

    # The officer opens a case of their own for the same woman, picked from the intake's matches.
    second = services.case_open(actor=officer, survivor=first.survivor,
                                first_incident=None, needs=[], persons_causing_harm=[])
    login(client, officer)
    page = client.get(reverse("web:case", args=[second.reference])).text
    assert second.lead_agency == officer.agency
    assert REFUGE not in page and "900321" not in page
    assert "None recorded." in page


def test_a_phone_number_finds_only_cases_whose_protected_details_the_searcher_holds(client, advocate, officer):
    case = make_case(advocate, phone=PHONE)
    share_with(advocate, case, officer.agency)
    search = reverse("web:search")

    login(client, advocate)
    assert case.reference in client.post(search, {"q": PHONE}).text

    login(client, officer)  # sees the case by consent, but holds no grant of her contact details
    assert case.reference in client.post(search, {"q": "Khan"}).text
    assert case.reference not in client.post(search, {"q": PHONE}).text

    login(client, advocate)
    client.post(reverse("web:protected_grant_add", args=[case.reference]),
                {"agency": officer.agency.pk, "reason": "Flag her number for an urgent response"})
    login(client, officer)
    assert case.reference in client.post(search, {"q": PHONE}).text


def test_a_perpetrator_facing_agency_cannot_probe_a_phone_number(client, advocate, area):
    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = make_case(advocate, phone=PHONE)
    share_with(advocate, case, probation.agency)
    login(client, probation)
    assert case.reference in client.post(reverse("web:search"), {"q": "Khan"}).text
    assert case.reference not in client.post(reverse("web:search"), {"q": PHONE}).text


def test_the_note_on_a_contact_point_is_encrypted_at_rest(advocate):
    case = make_case(advocate)
    note = "He has access to this phone"
    contact_point_create(person=case.survivor, case=case, details=ContactDetails(kind="mobile", value=PHONE, note=note))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT note FROM {ContactPoint._meta.db_table}")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(note not in value for value in stored)
    assert ContactPoint.objects.get().note == note
