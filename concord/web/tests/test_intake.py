from django.urls import reverse

from concord.cases.models import Case
from concord.people.models import Person
from concord.testing.factories import login, make_case

INTAKE = {
    "given_name": "Grace", "family_name": "Okafor", "date_of_birth": "1987-06-15", "gender": "woman",
    "aliases": "Grace Mensah\nGee", "mobile": "07700 900456", "mobile_safe": "yes",
    "ethnicity": "prefer_not_to_say",
    "occurred_on": "2026-11-01", "place_type": "shared_home", "violence_types": ["physical_assault", "stalking"],
    "injuries": "minor", "weapon_used": "no", "strangulation": "yes", "children_present": "unknown",
    "police_attended": "yes", "narrative": "Followed her from work, then assaulted her at home.",
    "need_in_her_words": "I want to know he can't come near the children", "need_category": "children",
    "need_priority": "high",
    "harm_given_name": "Mark", "harm_family_name": "Okafor", "harm_relationship": "partner",
}


def test_intake_opens_a_case_and_shows_its_page(client, advocate):
    login(client, advocate)
    response = client.post(reverse("web:intake"), INTAKE)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:case", args=[case.reference])
    page = client.get(response.url).text
    assert "Grace Okafor" in page and "Stalking" in page and "come near the children" in page
    assert "Mark Okafor" in page
    assert list(case.survivor.aliases.values_list("name", flat=True)) == ["Grace Mensah", "Gee"]
    assert case.survivor.ethnicity == "prefer_not_to_say"


def test_intake_with_errors_saves_nothing_and_explains(client, advocate):
    login(client, advocate)
    response = client.post(reverse("web:intake"), INTAKE | {"given_name": "", "violence_types": []})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert not Case.objects.exists() and not Person.objects.exists()


def test_intake_refuses_future_dates(client, advocate):
    login(client, advocate)
    response = client.post(reverse("web:intake"), INTAKE | {"occurred_on": "2999-01-01"})
    assert response.status_code == 422 and "in the future" in response.text


def test_intake_offers_existing_person_before_creating_a_duplicate(client, advocate):
    existing = make_case(advocate, given_name="Grace", family_name="Okafor",
                         date_of_birth=__import__("datetime").date(1987, 6, 15)).survivor
    login(client, advocate)
    response = client.post(reverse("web:intake"), INTAKE)
    assert response.status_code == 200 and "Possible existing record" in response.text
    assert Case.objects.count() == 1  # nothing created yet

    response = client.post(reverse("web:intake"), INTAKE | {"existing_person": existing.pk})
    assert response.status_code == 302
    assert Case.objects.count() == 2 and Person.objects.filter(given_name="Grace").count() == 1


def test_intake_creates_new_person_when_worker_confirms_none_match(client, advocate):
    make_case(advocate, given_name="Grace", family_name="Okafor")
    login(client, advocate)
    response = client.post(reverse("web:intake"), INTAKE | {"confirm_new_person": "1"})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Grace").count() == 2


def test_duplicate_check_never_reveals_people_on_cases_the_agency_cannot_see(client, advocate, officer):
    make_case(officer, given_name="Grace", family_name="Okafor")
    login(client, advocate)
    response = client.get(reverse("web:intake_matches"), {"given_name": "Grace", "family_name": "Okafor"})
    assert "Grace" not in response.text


def test_choosing_a_person_the_agency_cannot_see_is_refused(client, advocate, officer):
    hidden = make_case(officer, given_name="Grace", family_name="Okafor").survivor
    login(client, advocate)
    client.post(reverse("web:intake"), INTAKE | {"existing_person": hidden.pk, "confirm_new_person": "1"})
    assert not Case.objects.filter(lead_agency=advocate.agency, survivor=hidden).exists()


def test_a_person_causing_harm_is_never_offered_as_the_survivor(client, advocate):
    case = make_case(advocate, harm_name="Grace")  # "Grace Smith" causes harm on this case
    harm = case.participants.get().person
    login(client, advocate)
    response = client.get(reverse("web:intake_matches"), {"given_name": "Grace", "family_name": "Smith"})
    assert "Grace Smith" not in response.text
    response = client.post(reverse("web:intake"), INTAKE | {"existing_person": harm.pk})
    assert response.status_code == 422
    assert not Case.objects.filter(survivor=harm).exists()
