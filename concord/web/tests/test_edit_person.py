"""Correcting a person on a case after intake: their details (versioned, like incidents and needs),
other and previous names, and the language facts a worker calling her must see."""

from dataclasses import replace

import pytest
from django.urls import reverse

from concord.cases import people_services
from concord.cases.models import CaseEvent
from concord.people.details import PersonDetails
from concord.people.models import Person
from concord.testing.factories import event_text, login, make_actor, make_case, share_with, stale_change_row

from .test_intake import INTAKE

# What the edit form sends for the survivor make_case creates, before any change.
AMINA = {"given_name": "Amina", "family_name": "Khan", "known_as": "", "date_of_birth": "1990-04-02",
         "estimated_age": "", "gender": "woman", "gender_self_description": "", "pronouns": "",
         "first_language": "", "interpreter_needed": "", "ethnicity": "", "disability": "",
         "sexual_orientation": "", "gender_identity": "", "immigration_status": "", "income_band": ""}


def edit_url(case, person=None):
    return reverse("web:person_edit", args=[case.reference, (person or case.survivor).pk])


def test_editing_her_details_saves_them_and_shows_her_language_on_the_case_page(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(edit_url(case), AMINA | {"version": 1, "family_name": "Begum", "first_language": "Urdu",
                                                    "interpreter_needed": "yes"})

    assert response.status_code == 302 and response.url == reverse("web:case", args=[case.reference])
    survivor = case.survivor
    survivor.refresh_from_db()
    assert (survivor.family_name, survivor.first_language, survivor.version) == ("Begum", "Urdu", 2)
    page = client.get(response.url).text
    assert "Amina Begum" in page and "Urdu" in page
    assert "Yes: book an interpreter before contacting her" in page


def test_the_timeline_names_the_fields_changed_and_not_their_values(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    client.post(edit_url(case), AMINA | {"version": 1, "immigration_status": "no_recourse"})

    event = CaseEvent.objects.get(case=case, kind="person_updated")
    assert event_text(event) == "Amina Khan: immigration status"


def test_the_case_page_has_an_edit_link_for_her_and_each_person_on_the_case(client, advocate):
    case = make_case(advocate)
    harmer = case.participants.get().person
    login(client, advocate)
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert f'href="{edit_url(case)}"' in page and f'href="{edit_url(case, harmer)}"' in page


def test_a_person_causing_harm_can_be_corrected(client, advocate):
    case = make_case(advocate)
    harmer = case.participants.get().person
    login(client, advocate)
    response = client.post(edit_url(case, harmer), AMINA | {"version": harmer.version, "given_name": "Darren",
                                                            "family_name": "Smyth", "date_of_birth": "",
                                                            "gender": "man"})
    assert response.status_code == 302
    harmer.refresh_from_db()
    assert harmer.family_name == "Smyth"


def test_stale_person_edit_is_refused_and_shows_the_other_change(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    # A colleague at the lead agency saves first, from the same starting version.
    colleague = make_actor(advocate.agency)
    people_services.person_update(actor=colleague, case=case, person=case.survivor, expected_version=1,
                                  details=replace(PersonDetails.of(case.survivor), known_as="Mina"))

    response = client.post(edit_url(case), AMINA | {"version": 1, "first_language": "Urdu"})

    assert response.status_code == 409
    assert "Not saved: someone else changed this first" in response.text
    assert stale_change_row("Known as", "—", "Mina") in response.text
    assert 'value="Urdu"' in response.text  # her entry is kept
    assert 'name="version" value="2"' in response.text  # saving again will go through
    case.survivor.refresh_from_db()
    assert case.survivor.first_language == "" and case.survivor.known_as == "Mina"


def test_a_date_of_birth_and_an_estimated_age_together_are_refused(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(edit_url(case), AMINA | {"version": 1, "estimated_age": "35"})

    assert response.status_code == 422
    assert "Give a date of birth or an estimated age, not both" in response.text
    case.survivor.refresh_from_db()
    assert case.survivor.estimated_age is None and case.survivor.version == 1


def test_prefer_not_to_say_is_recorded_for_her_first_language(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    client.post(edit_url(case), AMINA | {"version": 1, "first_language_prefer_not": "on",
                                         "interpreter_needed": "prefer_not_to_say"})

    case.survivor.refresh_from_db()
    assert (case.survivor.first_language, case.survivor.interpreter_needed) == ("prefer_not_to_say",) * 2
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "<dt>First language</dt><dd>Prefer not to say</dd>" in page
    assert 'name="first_language_prefer_not" id="id_first_language_prefer_not" checked' in client.get(
        edit_url(case)).text


def test_an_added_previous_name_is_found_by_search(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(reverse("web:alias_add", args=[case.reference, case.survivor_id]),
                           {"alias_name": "Amina Chaudhry", "alias_kind": "previous_name"}, follow=True)

    assert "Amina Chaudhry — Previous name" in response.text
    assert case.reference in client.post(reverse("web:search"), {"q": "Chaudhry"}).text
    assert "<dt>Previous name</dt><dd>Amina Chaudhry</dd>" in client.get(
        reverse("web:case", args=[case.reference])).text


def test_the_same_name_twice_is_refused(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    url = reverse("web:alias_add", args=[case.reference, case.survivor_id])
    client.post(url, {"alias_name": "Amina Chaudhry", "alias_kind": "previous_name"})

    response = client.post(url, {"alias_name": "amina  chaudhry", "alias_kind": "alias"})

    assert response.status_code == 422 and "already recorded" in response.text
    assert case.survivor.aliases.count() == 1


def test_intake_records_previous_names_apart_from_aliases(client, advocate):
    login(client, advocate)
    client.post(reverse("web:intake"), INTAKE | {"aliases": "Gee", "previous_names": "Grace Mensah",
                                                 "gender": "self_described", "gender_self_description": "Femme"})

    survivor = Person.objects.get(given_name="Grace")
    assert set(survivor.aliases.values_list("name", "kind")) == {("Gee", "alias"), ("Grace Mensah", "previous_name")}
    assert survivor.gender_self_description == "Femme"


def test_editing_his_gender_and_pronouns_saves_them_and_the_form_shows_them_again(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(edit_url(case), AMINA | {"version": 1, "given_name": "Amir", "gender": "man",
                                                    "pronouns": "he_him"})

    assert response.status_code == 302
    survivor = Person.objects.get(pk=case.survivor_id)
    assert (survivor.gender, survivor.pronouns, survivor.version) == ("man", "he_him", 2)
    assert survivor.history.latest().pronouns == "he_him"
    assert '<option value="he_him" selected>' in client.get(edit_url(case)).text


def test_intake_records_the_pronouns_they_gave(client, advocate):
    login(client, advocate)
    client.post(reverse("web:intake"), INTAKE | {"gender": "non_binary", "pronouns": "they_them"})

    assert Person.objects.get(given_name="Grace").pronouns == "they_them"


def test_a_person_on_another_case_is_not_found_through_this_one(client, advocate):
    case = make_case(advocate)
    other = make_case(advocate, given_name="Chloe")
    login(client, advocate)
    assert client.get(edit_url(case, other.survivor)).status_code == 404


@pytest.mark.parametrize("method, name, extra", [
    ("get", "web:person_edit", []), ("post", "web:person_edit", []), ("post", "web:alias_add", []),
    ("get", "web:contact_point_add", []), ("post", "web:contact_point_add", []),
    ("post", "web:contact_point_mark", ["contact"]),
])
def test_every_person_page_is_404_to_an_agency_not_on_the_case(client, advocate, housing_worker, method, name, extra):
    case = make_case(advocate, phone="07700 900123")
    args = [case.reference, case.survivor_id] + [case.contact_points.get().pk for _ in extra]
    login(client, housing_worker)
    response = getattr(client, method)(reverse(name, args=args), AMINA | {"version": 1, "safe_to_use": "no"})
    assert response.status_code == 404
    case.survivor.refresh_from_db()
    assert case.survivor.version == 1 and case.contact_points.get().safe_to_use is True


def test_an_agency_working_with_the_person_causing_harm_is_not_offered_to_edit_her(client, advocate, area):
    from concord.testing.factories import make_actor, make_agency

    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = make_case(advocate)
    share_with(advocate, case, probation.agency)
    her_page = reverse("web:person_edit", args=[case.reference, case.survivor_id])
    login(client, probation)
    assert her_page not in client.get(reverse("web:case", args=[case.reference])).text
    login(client, advocate)
    assert her_page in client.get(reverse("web:case", args=[case.reference])).text
