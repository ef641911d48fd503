"""Long lists are counted only as far as the pages offered: at national size an exact count of every
case an agency may see is the slowest part of its home page."""

from django.urls import reverse

from concord.testing.factories import login, make_case
from concord.web import pagination


def test_a_list_longer_than_the_cap_says_so_and_offers_the_first_pages(client, advocate, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for n in range(5):
        make_case(advocate, given_name=f"Amina{n}", harm_name="")
    login(client, advocate)
    page = client.get(reverse("web:home")).content.decode()
    assert "More than 3 cases" in page
    found = client.get(reverse("web:search"), {"q": "Khan"}).content.decode()
    assert "More than 3 cases found" in found


def test_a_short_list_is_counted_exactly(client, advocate):
    make_case(advocate)
    login(client, advocate)
    found = client.get(reverse("web:search"), {"q": "Khan"}).content.decode()
    assert "1 case found" in found and "More than" not in found
