"""Her contact details after intake: added and marked safe or NOT safe on the case page, only by an
agency that holds her protected information on this case, and never spelt out on the timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.cases import people_services
from concord.cases.models import CaseEvent
from concord.consent.models import ProtectedInfoGrant
from concord.people.models import ContactPoint
from concord.testing.factories import event_text, login, make_actor, make_agency, make_case, share_with

PHONE = "07700 900654"
NOTE = "He has access to this phone"


def add_url(case):
    return reverse("web:contact_point_add", args=[case.reference, case.survivor_id])


def mark_url(case, point):
    return reverse("web:contact_point_mark", args=[case.reference, point.person_id, point.pk])


def case_page(client, case):
    return client.get(reverse("web:case", args=[case.reference])).text


def test_a_number_added_by_the_lead_is_shown_to_the_lead(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(add_url(case), {"kind": "mobile", "value": PHONE, "safe_to_use": "yes"}, follow=True)

    assert "Contact details recorded (encrypted)." in response.text
    assert PHONE in response.text and "safe to use" in response.text
    assert ContactPoint.objects.get().case == case


def test_a_number_added_by_the_lead_is_withheld_from_an_involved_agency_without_a_grant(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    client.post(add_url(case), {"kind": "mobile", "value": PHONE, "safe_to_use": "yes"})

    login(client, officer)
    page = case_page(client, case)
    assert "Withheld." in page
    assert "900654" not in page and "Add a contact number or e-mail" not in page


def test_an_invalid_e_mail_address_is_refused_beside_the_field(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    response = client.post(add_url(case), {"kind": "email", "value": "not an address"})
    assert response.status_code == 422 and "Enter an e-mail address" in response.text
    assert not ContactPoint.objects.exists()


def test_marking_a_number_not_safe_shows_it_as_not_safe_to_use_with_the_note(client, advocate):
    case = make_case(advocate, phone=PHONE)
    point = case.contact_points.get()
    login(client, advocate)

    response = client.post(mark_url(case, point), {"safe_to_use": "no", "note": NOTE}, follow=True)

    assert "Marked NOT safe to use." in response.text
    assert "<strong>NOT safe to use</strong> — He has access to this phone" in response.text
    point.refresh_from_db()
    assert point.safe_to_use is False and point.note == NOTE


def _marked_not_safe(advocate, case):
    people_services.contact_point_mark(actor=advocate, case=case, contact_point=case.contact_points.get(),
                                       safe_to_use=False, note=NOTE)
    return case.contact_points.get()


def test_a_number_marked_not_safe_is_flagged_at_the_top_and_masked(client, advocate):
    case = make_case(advocate, phone=PHONE)
    point = _marked_not_safe(advocate, case)
    login(client, advocate)
    page = case_page(client, case)
    header = page[:page.index('id="protected-h"')]
    assert "Do not contact her on:" in header and "••• ••• •654" in header
    assert PHONE not in header  # masked wherever it is flagged
    listed = page[page.index('id="protected-h"'):]
    assert "<strong>NOT safe to use</strong> — He has access to this phone" in listed
    assert '<summary>Show it in full' in listed and PHONE in listed  # in full only when asked for
    assert 'value="yes">Mark safe' not in page and "Mark not safe" not in listed.split("</ul>")[0]
    assert reverse("web:contact_point_mark", args=[case.reference, point.person_id, point.pk]) in listed


def test_marking_it_safe_again_needs_a_reason_and_a_confirmation(client, advocate):
    case = make_case(advocate, phone=PHONE)
    point = _marked_not_safe(advocate, case)
    login(client, advocate)
    page = client.get(mark_url(case, point))
    assert page.status_code == 200 and "••• ••• •654" in page.text and PHONE not in page.text

    for data in ({"safe_to_use": "yes"}, {"safe_to_use": "yes", "note": "New phone"},
                 {"safe_to_use": "yes", "confirm": "on"}, {"safe_to_use": "yes", "confirm": "on", "note": "   "}):
        response = client.post(mark_url(case, point), data)
        assert response.status_code == 422, data
        assert "There is a problem: nothing was saved" in response.text
        assert case.contact_points.get().safe_to_use is False
    response = client.post(mark_url(case, point), {"safe_to_use": "yes", "confirm": "on",
                                                  "note": "She told me at the office on 2 Dec he has no access now"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.safe_to_use is True and point.note.startswith("She told me at the office")


def test_no_caller_marks_it_safe_again_without_a_reason(advocate):
    case = make_case(advocate, phone=PHONE)
    point = _marked_not_safe(advocate, case)
    with pytest.raises(ValidationError) as refused:
        people_services.contact_point_mark(actor=advocate, case=case, contact_point=point, safe_to_use=True,
                                           note="  ")
    assert "note" in refused.value.message_dict
    assert case.contact_points.get().safe_to_use is False


def test_the_safe_again_page_is_a_logged_read_of_her_contact_details(client, advocate):
    case = make_case(advocate, phone=PHONE)
    point = _marked_not_safe(advocate, case)
    login(client, advocate)
    client.get(mark_url(case, point))
    entry = AccessLogEntry.objects.order_by("-sequence").first()
    assert (entry.case_id, entry.object_type, entry.object_id, entry.fields) == (
        case.pk, "protected", str(point.pk), ["contact_points"])


def test_ending_an_involvement_asks_first(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    page = case_page(client, case)
    involvement = case.involvements.get()
    form_at = page.index(reverse("web:agency_end", args=[case.reference, involvement.pk]))
    assert page.rfind('<details class="confirm">', 0, form_at) > page.rfind("</details>", 0, form_at)
    assert f"End the involvement of {officer.agency.name}" in page


def test_an_involved_agency_without_protected_access_is_refused_on_the_contact_pages(client, advocate, officer):
    case = make_case(advocate, phone=PHONE)
    share_with(advocate, case, officer.agency)
    point = case.contact_points.get()
    login(client, officer)

    assert client.get(add_url(case)).status_code == 403
    assert client.post(add_url(case), {"kind": "mobile", "value": "07700 900999"}).status_code == 403
    assert client.post(mark_url(case, point), {"safe_to_use": "no"}).status_code == 403
    point.refresh_from_db()
    assert point.safe_to_use is True and ContactPoint.objects.count() == 1


def test_a_perpetrator_facing_agency_is_refused_even_with_a_grant(client, advocate, area):
    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = make_case(advocate, phone=PHONE)
    share_with(advocate, case, probation.agency)
    # Not possible through the UI (the form offers no such agency); the rule must hold regardless.
    ProtectedInfoGrant.objects.create(case=case, agency=probation.agency, reason="test", granted_by=advocate.user)
    login(client, probation)
    assert client.post(mark_url(case, case.contact_points.get()), {"safe_to_use": "no"}).status_code == 403


def test_a_contact_point_of_another_case_is_404(client, advocate):
    case = make_case(advocate)
    other = make_case(advocate, given_name="Chloe", phone=PHONE)
    login(client, advocate)
    url = reverse("web:contact_point_mark", args=[case.reference, case.survivor_id, other.contact_points.get().pk])
    assert client.post(url, {"safe_to_use": "no"}).status_code == 404
    assert other.contact_points.get().safe_to_use is True


def test_the_timeline_of_a_contact_change_shows_neither_the_value_nor_the_kind(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    client.post(add_url(case), {"kind": "email", "value": "amina.k@example.org", "note": "Only after 6pm"})
    # Followed, as a browser does: her confirmation is shown to her, not to whoever uses the client next.
    client.post(mark_url(case, ContactPoint.objects.get()), {"safe_to_use": "no", "note": NOTE}, follow=True)

    events = CaseEvent.objects.filter(case=case, kind__in=["contact_recorded", "contact_updated"])
    assert [event_text(event) for event in events] == ["Protected information updated"] * 2
    assert all(event.params == {} and event.facet == "protected" for event in events)
    login(client, officer)
    timeline = client.get(reverse("web:timeline", args=[case.reference])).text
    # An agency without her protected details is not even told they changed.
    assert "Protected information" not in timeline
    secrets = ("amina.k", "example.org", "e-mail", "email", "6pm", "access to this phone", "safe to use", "not safe")
    for secret in secrets:
        assert secret not in timeline.lower(), secret


def test_her_contact_rules_are_shown_to_who_may_contact_her_and_withheld_from_others(client, advocate, officer):
    from concord.contact.models import ContactRules

    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    assert "Not recorded: ask how she may be contacted" in case_page(client, case)
    ContactRules.objects.create(person=case.survivor, safe_channels=["phone_call"], code_word="bluebell",
                                safe_times=[{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}])
    page = case_page(client, case)
    assert "Phone call" in page and "Mon, Tue, Wed, Thu, Fri 09:00–17:00" in page and "bluebell" in page

    client.logout()
    login(client, officer)
    page = case_page(client, case)
    assert "contact rules" not in page and "bluebell" not in page
