"""Areas and agencies: an actor sees their own area and its agencies, nothing of other areas."""

from concord.testing.factories import make_agency, make_area


def test_areas_list_only_the_actors_own_area(advocate_api, area):
    make_area(name="Southshire", code="sth")
    response = advocate_api.call("get", "/areas")
    assert response.status_code == 200
    assert response.json() == {"count": 1, "items": [{"id": area.pk, "name": "Northshire", "code": "NTH",
                                                      "jurisdiction": "England and Wales",
                                                      "time_zone": "Europe/London"}]}


def test_another_area_is_404(advocate_api, area):
    other = make_area(name="Southshire", code="sth")
    assert advocate_api.call("get", f"/areas/{area.pk}").status_code == 200
    assert advocate_api.call("get", f"/areas/{other.pk}").status_code == 404


def test_agencies_are_those_of_the_actors_area(advocate_api, advocacy, police, housing):
    make_agency(make_area(name="Southshire", code="sth"), "police", "Southshire Police")
    response = advocate_api.call("get", "/agencies")
    assert response.status_code == 200
    names = [agency["name"] for agency in response.json()["items"]]
    assert names == ["Northshire Housing", "Northshire IDVA Service", "Northshire Police"]


def test_an_agency_of_another_area_is_404(advocate_api, police):
    elsewhere = make_agency(make_area(name="Southshire", code="sth"), "police", "Southshire Police")
    assert advocate_api.call("get", f"/agencies/{police.pk}").json()["sector"] == "police"
    assert advocate_api.call("get", f"/agencies/{elsewhere.pk}").status_code == 404


def test_lists_are_paginated_with_a_bounded_page_size(advocate_api, advocacy, police, housing):
    first = advocate_api.call("get", "/agencies?page_size=2").json()
    second = advocate_api.call("get", "/agencies?page_size=2&page=2").json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert advocate_api.call("get", "/agencies?page_size=200").status_code == 200
    assert advocate_api.call("get", "/agencies?page_size=201").status_code == 422
    assert advocate_api.call("get", "/agencies?page=0").status_code == 422
