"""A case the acting agency may not see answers 404 on every case URL, as if it did not exist."""

import pytest
from django.urls import reverse

from concord.accounts.models import Role
from concord.cases import services
from concord.testing.factories import login, make_actor, make_case, share_with


def case_urls(case):
    incident, need = case.incidents.get(), case.needs.get()
    involvement = case.involvements.first()
    ref = case.reference
    get_urls = [
        reverse("web:case", args=[ref]),
        reverse("web:timeline", args=[ref]),
        reverse("web:incident_add", args=[ref]),
        reverse("web:incident_edit", args=[ref, incident.pk]),
        reverse("web:need_add", args=[ref]),
        reverse("web:need_edit", args=[ref, need.pk]),
        reverse("web:person_add", args=[ref]),
    ]
    post_urls = get_urls[2:] + [
        reverse("web:agency_add", args=[ref]),
        reverse("web:agency_end", args=[ref, involvement.pk]),
        reverse("web:case_close", args=[ref]),
        reverse("web:case_reopen", args=[ref]),
    ]
    return get_urls, post_urls


@pytest.fixture
def shared_case(advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    return case


def test_uninvolved_agency_gets_404_on_every_case_url(client, shared_case, housing_worker):
    login(client, housing_worker)
    get_urls, post_urls = case_urls(shared_case)
    for url in get_urls:
        assert client.get(url).status_code == 404, url
    for url in post_urls:
        assert client.post(url, {"version": 1}).status_code == 404, url


def test_lead_and_involved_agencies_see_the_case(client, shared_case, advocate, officer):
    for actor in (advocate, officer):
        login(client, actor)
        response = client.get(reverse("web:case", args=[shared_case.reference]))
        assert response.status_code == 200
        assert "Amina Khan" in response.text


def test_ending_involvement_removes_access_on_the_next_request(client, shared_case, advocate, officer):
    login(client, officer)
    url = reverse("web:case", args=[shared_case.reference])
    assert client.get(url).status_code == 200
    services.agency_end_involvement(actor=advocate, involvement=shared_case.involvements.get())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNERSHIP_LEAD,
                                  Role.SURVIVOR_PANEL_MEMBER])
def test_roles_without_casework_never_see_case_content_even_in_the_lead_agency(client, shared_case, advocacy,
                                                                               role):
    actor = make_actor(advocacy, role=role)
    login(client, actor)
    get_urls, _ = case_urls(shared_case)
    for url in get_urls:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert "Amina" not in response.text
    home = client.get(reverse("web:home"))
    assert home.status_code == 200 and "Amina" not in home.text


def test_involved_agency_cannot_manage_who_is_on_the_case(client, shared_case, officer, housing):
    login(client, officer)
    response = client.post(reverse("web:agency_add", args=[shared_case.reference]), {"agency": housing.pk})
    assert response.status_code in (302, 422)
    assert not shared_case.involvements.filter(agency=housing).exists()


def test_case_of_another_area_is_404(client, advocate):
    from concord.testing.factories import make_agency, make_area

    other_area = make_area()
    other = make_actor(make_agency(other_area))
    case = make_case(other)
    login(client, advocate)
    assert client.get(reverse("web:case", args=[case.reference])).status_code == 404
