"""Not every survivor is a woman: the case page, its summary and the PDF speak of the survivor by the
pronouns recorded, else by the gender recorded, else in neutral words."""

import re

import pytest
from django.urls import reverse

from concord.cases import people_services
from concord.consent.services import override_authorise
from concord.testing.documents import pdf_text
from concord.testing.factories import login, make_actor, make_agency, make_case

# (gender, pronouns recorded) → the possessive the pages use.
SURVIVORS = [("man", "", "his"), ("woman", "they_them", "their"), ("", "", "their"), ("non_binary", "", "their"),
             ("woman", "", "her")]


def _case(advocate, gender, pronouns):
    return make_case(advocate, given_name="Sam", gender=gender, pronouns=pronouns, phone="07700 900123")


def _page(client, name, case, **query):
    response = client.get(reverse(name, args=[case.reference]), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("gender", "pronouns", "their"), SURVIVORS)
def test_the_case_page_speaks_of_the_survivor_by_their_pronouns_or_gender(client, advocate, gender, pronouns,
                                                                           their):
    case = _case(advocate, gender, pronouns)
    login(client, advocate)
    page = _page(client, "web:case", case)
    assert f"Edit {their} details" in page
    assert f">{their.capitalize()} needs</h2>" in page and f">{their.capitalize()} consent</h2>" in page
    assert f"In {their} words" in page and f"{their.capitalize()} priority" in page
    if their != "her":
        assert "Edit her details" not in page and "Her needs</h2>" not in page and "Her consent</h2>" not in page


def test_a_man_is_him_where_the_page_says_how_to_reach_him(client, advocate):
    case = _case(advocate, "man", "")
    people_services.contact_point_mark(actor=advocate, case=case, contact_point=case.contact_points.get(),
                                       safe_to_use=False, note="His brother reads his texts")
    login(client, advocate)
    page = _page(client, "web:case", case)
    assert "Do not contact him on:" in page and "How to reach him" in page
    assert "Where to find him and how to reach him" in page
    # "He said he can read it" would be his own phone: the other one is named for what they are.
    assert "He said the person causing harm can read or use it." in page and "He said it is safe again" in page
    assert "If you know him or the person causing harm" in page


@pytest.mark.parametrize(("gender", "pronouns", "their"), SURVIVORS)
def test_the_summary_page_speaks_of_the_survivor_by_their_pronouns_or_gender(client, advocate, gender, pronouns,
                                                                              their):
    case = _case(advocate, gender, pronouns)
    login(client, advocate)
    page = _page(client, "web:case_export", case)
    assert f"{their.capitalize()} needs" in page and f"{their} priority" in page
    assert f"{their.capitalize()} consent decisions" in page
    assert f"where {their} record went" in page


def test_the_summary_page_says_him_and_them_by_the_survivor(client, advocate):
    login(client, advocate)
    man = _page(client, "web:case_export", _case(advocate, "man", ""))
    assert "Where to find him" in man and "contact him only as" in man and "he can be told" in man
    someone = _page(client, "web:case_export", _case(advocate, "", ""))
    assert "Where to find them" in someone and "contact them only as" in someone and "they can be told" in someone


def test_the_court_pdf_says_his_for_a_man(client, advocate):
    case = _case(advocate, "man", "")
    login(client, advocate)
    response = client.get(reverse("web:case_export_pdf", args=[case.reference]), {"purpose": "court"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "His needs" in text and "his priority" in text and "His consent decisions" in text
    assert "Where to find him" in text and "contact him only as" in text
    assert "Her needs" not in text and "her priority" not in text and "contact her" not in text


def test_what_is_withheld_from_an_agency_is_his_needs_and_consent(client, advocate, area, idva_supervisor):
    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = _case(idva_supervisor, "man", "")
    override_authorise(actor=idva_supervisor, case=case, agency=probation.agency, legal_basis="risk_to_life",
                       reason="Offender manager needs the incident history")
    login(client, probation)
    page = _page(client, "web:case", case)
    assert "does not include his needs" in page and "does not include his consent decisions" in page
    assert "His locations and contact details are shown only to" in page
    summary = _page(client, "web:case_export", case)
    assert "does not include his needs" in summary and "Withheld: his locations" in summary


def test_no_heading_link_button_or_label_about_a_man_says_her_or_she(client, idva_supervisor):
    case = _case(idva_supervisor, "man", "")
    login(client, idva_supervisor)  # a supervisor of the lead agency: every page of the case is open to them
    # Vocabularies' labels (a need's "Most important to her", a place's "Her home", an override's "Her
    # needs, in her words") are choices, left as they are for now; a record's own words are as written.
    pages = [reverse(name, args=[case.reference]) for name in (
        "web:case", "web:case_export", "web:sharing", "web:who_has_seen", "web:restriction", "web:consent_add",
        "web:protected_grant_add", "web:need_add", "web:person_add", "web:override_add", "web:location_add")]
    pages += [reverse("web:contact_point_add", args=[case.reference, case.survivor_id]), reverse("web:intake")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for tag, text in re.findall(r"<(h1|h2|a|button|summary|legend|label)\b[^>]*>(.*?)</\1>", page, flags=re.S):
            if "<input" not in text:  # a choice's own label
                assert not re.search(r"\b(her|she)\b", text, flags=re.I), (url, tag, text)


def test_the_contact_safety_page_speaks_of_him(client, advocate):
    case = _case(advocate, "man", "")
    point = case.contact_points.get()
    people_services.contact_point_mark(actor=advocate, case=case, contact_point=point, safe_to_use=False, note="")
    login(client, advocate)
    page = client.get(reverse("web:contact_point_mark", args=[case.reference, case.survivor_id, point.pk])).text
    assert "He said this is NOT safe to use" in page
    assert "if you heard it from him directly, somewhere the person causing harm could not hear or see" in page
    assert "e-mail him on it" in page


def test_recording_his_consent_decision_says_his(client, advocate, officer):
    case = _case(advocate, "man", "")
    login(client, advocate)
    url = reverse("web:consent_add", args=[case.reference])
    assert "<h1>Record his consent decision</h1>" in client.get(url).text
    response = client.post(url, {"scope": "share_agency", "agency": officer.agency.pk, "decision": "given",
                                  "method": "verbal"}, follow=True)
    assert "His decision is recorded." in response.text


def test_the_assessment_screen_asks_about_the_survivor_by_their_pronouns(client, advocate):
    case = _case(advocate, "man", "")
    login(client, advocate)
    page = client.get(reverse("web:assessment_add", args=[case.reference, "lethality_screen"])).content.decode()
    assert "Is it safe for him to talk now?" in page
    assert "His own view of the danger" in page and "His fears, in his own words" in page
    assert "did he speak to the advocacy service" in page
    labels = re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", page, flags=re.S)
    assert labels and not [text for text in labels if re.search(r"\b(her|she)\b", text, flags=re.I)]
