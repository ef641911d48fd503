"""Her contact rules from the UI: one set across her cases, changed only by an agency that holds her
contact details on the case it is reached through; a stale form and bad input change nothing."""

import pytest
from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.cases.models import CaseEvent
from concord.consent.services import protected_info_grant
from concord.contact.models import ContactRules
from concord.people.models import ContactPoint
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with

PHONE = "07700 900321"
RULES = {"safe_channels": ["phone_call"], "time_1_days": ["0", "1", "2", "3", "4"], "time_1_start": "09:00",
         "time_1_end": "17:00", "never_post_home": "on", "third_party": "Joy, her sister", "code_word": "Bluebell"}


@pytest.fixture
def case(advocate):
    return make_case(advocate, phone=PHONE)


def url(case):
    return reverse("web:contact_rules", args=[case.reference])


def rules_of(case):
    return ContactRules.objects.filter(person=case.survivor).first()


def test_the_lead_sets_her_rules_and_the_case_page_says_them_in_a_sentence(client, advocate, case):
    login(client, advocate)
    page = client.get(url(case))
    assert page.status_code == 200 and "Channels she says are safe" in page.text
    assert PHONE in page.text and "safe to use" in page.text  # her number beside the form

    response = client.post(url(case), RULES)

    assert response.status_code == 302 and response["Location"].endswith("#contact-rules-h")
    rules = rules_of(case)
    assert (rules.safe_channels, rules.safe_times, rules.voicemail_ok, rules.may_name_agency, rules.never_post_home,
            rules.third_party, rules.code_word, rules.version) == (
        ["phone_call"], [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}], False, False, True,
        "Joy, her sister", "Bluebell", 1)
    assert CaseEvent.objects.filter(case=case, kind="contact_rules_set").count() == 1
    case_page = client.get(reverse("web:case", args=[case.reference])).text
    assert ("Phone calls only, weekdays 9:00–17:00; no voicemail; do not say which agency is calling; never send "
            "post to her home address") in case_page
    assert "Change her contact rules" in case_page


def test_the_form_is_drawn_from_her_rules_and_a_window_can_be_cleared(client, advocate, case):
    login(client, advocate)
    client.post(url(case), RULES)
    page = client.get(url(case)).text
    assert 'name="version" value="1"' in page and 'value="Bluebell"' in page
    assert 'name="time_1_start" value="09:00"' in page
    client.post(url(case), {"version": "1", "safe_channels": ["text", "email"]})
    rules = rules_of(case)
    assert (rules.safe_channels, rules.safe_times, rules.never_post_home, rules.code_word, rules.version) == (
        ["text", "email"], [], False, "", 2)


def test_a_stale_form_is_refused_and_nothing_of_it_is_saved(client, advocate, case):
    login(client, advocate)
    client.post(url(case), RULES)
    # Two workers open the form at version 1; the first saves.
    client.post(url(case), RULES | {"version": "1", "voicemail_ok": "on"})

    response = client.post(url(case), RULES | {"version": "1", "safe_channels": ["email"]})

    assert response.status_code == 409
    assert "Someone changed her contact rules since you opened them" in response.text
    assert "There is a problem: nothing was saved" in response.text
    rules = rules_of(case)
    assert (rules.safe_channels, rules.voicemail_ok, rules.version) == (["phone_call"], True, 2)
    # Her entries stay on the form, which now carries the version she is at.
    assert 'value="email" id="id_safe_channels_2" checked' in response.text
    assert 'value="phone_call" id="id_safe_channels_0">' in response.text
    assert 'name="version" value="2"' in response.text
    assert "voicemail may be left" in response.text  # the rules as they are now, above the form


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"time_1_days": ["0"], "time_1_start": "17:00", "time_1_end": "09:00"}, "time_1_end", "The end must be after"),
    ({"time_1_start": "09:00", "time_1_end": "17:00"}, "time_1_days", "Choose the days"),
    ({"time_2_days": ["5"], "time_2_end": "12:00"}, "time_2_start", "Give the time it starts"),
    ({"time_1_days": ["9"], "time_1_start": "09:00", "time_1_end": "17:00"}, "time_1_days", "Select a valid choice"),
    ({"safe_channels": ["carrier_pigeon"]}, "safe_channels", "Select a valid choice"),
    ({"time_1_days": ["0"], "time_1_start": "25:00", "time_1_end": "26:00"}, "time_1_start", "Enter a valid time"),
])
def test_bad_input_is_an_error_beside_its_field_and_nothing_is_saved(client, advocate, case, data, field, message):
    login(client, advocate)
    response = client.post(url(case), {"safe_channels": ["text"]} | data)
    assert response.status_code == 422
    assert message in response.text
    field_html = response.text[response.text.index(f'data-field="{field}"'):]
    assert message in field_html[:field_html.index("</fieldset>" if "days" in field or "channels" in field
                                                   else "</div>")]
    assert rules_of(case) is None
    assert not CaseEvent.objects.filter(case=case, kind="contact_rules_set").exists()


def test_an_agency_on_the_case_without_her_contact_details_can_neither_read_nor_change_them(client, advocate,
                                                                                           officer, case):
    share_with(advocate, case, officer.agency)
    login(client, officer)
    assert client.get(url(case)).status_code == 403
    assert client.post(url(case), RULES).status_code == 403
    assert rules_of(case) is None
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Change her contact rules" not in page and url(case) not in page


def test_an_agency_given_her_contact_details_on_need_to_know_may_change_them(client, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    protected_info_grant(actor=advocate, case=case, agency=officer.agency, reason="Urgent response flag")
    login(client, officer)
    assert client.get(url(case)).status_code == 200
    assert client.post(url(case), RULES).status_code == 302
    assert rules_of(case).safe_channels == ["phone_call"]


def test_an_agency_not_on_the_case_gets_404(client, advocate, housing_worker, case):
    login(client, housing_worker)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), RULES).status_code == 404
    missing = reverse("web:contact_rules", args=["NTH-2026-99999"])
    assert client.get(missing).status_code == 404
    assert rules_of(case) is None


def test_a_number_not_safe_on_another_of_her_cases_is_shown_not_safe_and_others_only_counted(client, advocate,
                                                                                             case):
    other = make_case(make_actor(make_agency(case.area, "police")), given_name="Other")
    ContactPoint.objects.create(person=case.survivor, case=other, kind="mobile", value=PHONE, safe_to_use=False)
    ContactPoint.objects.create(person=case.survivor, case=other, kind="email", value="elsewhere@example.org",
                                safe_to_use=True)
    login(client, advocate)
    page = client.get(url(case)).text
    assert "NOT safe to use</strong> (marked so on another of her cases)" in page
    assert "••• ••• •321" in page and PHONE not in page
    assert "elsewhere@example.org" not in page
    assert "One more is recorded on another of her cases (safe: 1; not safe: 0)" in page


def test_opening_the_page_is_a_logged_read_of_her_rules_and_contact_details(client, advocate, case):
    login(client, advocate)
    client.get(url(case))
    entry = AccessLogEntry.objects.order_by("-sequence").first()
    assert (entry.case_id, entry.object_type, entry.fields) == (case.pk, "contact_rules",
                                                                ["contact_rules", "contact_points"])
