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
    found = client.post(reverse("web:search"), {"q": "Khan"}).content.decode()
    assert "More than 3 cases found" in found


def test_a_short_list_is_counted_exactly(client, advocate):
    make_case(advocate)
    login(client, advocate)
    found = client.post(reverse("web:search"), {"q": "Khan"}).content.decode()
    assert "1 case found" in found and "More than" not in found


def test_search_pages_carry_their_count_and_go_on_past_the_first(client, advocate, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(pagination.paginate_counting_with_page, "__defaults__", (2,))
    cases = [make_case(advocate, given_name=f"Amina{n}", harm_name="") for n in range(5)]
    login(client, advocate)
    newest_first = [case.reference for case in reversed(cases)]
    seen = []
    for number in (1, 2, 3):
        found = client.post(reverse("web:search"), {"q": "Khan", "page": number}).content.decode()
        assert "5 cases found" in found, number
        seen += [reference for reference in newest_first if reference in found]
    assert seen == newest_first  # every case once, newest first, across the pages
    # Past the end, or not a number: the last page, and the first.
    assert newest_first[-1] in client.post(reverse("web:search"), {"q": "Khan", "page": 9}).content.decode()
    first = client.post(reverse("web:search"), {"q": "Khan", "page": "x"}).content.decode()
    assert newest_first[0] in first and "5 cases found" in first
    nothing = client.post(reverse("web:search"), {"q": "Nobody"}).content.decode()
    assert "0 cases found" in nothing or "No cases" in nothing


def test_a_page_read_by_its_keys_keeps_the_order_and_leaves_out_what_is_no_longer_there(advocate):
    """The search sorts and counts only the keys, then reads the page's rows by them: the rows come back
    in the sorted order, whatever order the second read gives, and one gone in between is left out."""
    from concord.cases.models import Case

    cases = [make_case(advocate, given_name=f"Amina{n}", harm_name="") for n in range(4)]
    newest_first = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("-updated_at", "-pk")
    expected = [case.pk for case in newest_first]
    page = pagination.paginate_counting_with_page(
        newest_first, 1, rows_of=lambda keys: Case.objects.filter(pk__in=keys).order_by("pk"))
    assert [case.pk for case in page.object_list] == expected and page.paginator.count == 4
    gone = expected[1]
    page = pagination.paginate_counting_with_page(
        newest_first, 1, rows_of=lambda keys: Case.objects.filter(pk__in=keys).exclude(pk=gone))
    assert [case.pk for case in page.object_list] == [pk for pk in expected if pk != gone]
