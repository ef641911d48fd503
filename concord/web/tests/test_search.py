import datetime

from django.urls import reverse

from concord.people.models import PersonAlias
from concord.testing.factories import login, make_case, share_with


def search(client, q):
    return client.post(reverse("web:search"), {"q": q}).text


def test_search_by_name_alias_dob_phone_and_reference(client, advocate):
    case = make_case(advocate, given_name="Zainab", family_name="Hussain", phone="07700 900321",
                     date_of_birth=datetime.date(1992, 3, 4))
    PersonAlias.objects.create(person=case.survivor, name="Zainab Ahmed")
    make_case(advocate, given_name="Other", family_name="Person", harm_name="")
    login(client, advocate)
    for query in ["zainab hussain", "Ahmed", "1992-03-04", "04/03/1992", "+44 7700 900321", case.reference]:
        page = search(client, query)
        assert case.reference in page, query
        assert "Other Person" not in page, query


def test_search_finds_case_by_person_causing_harm(client, advocate):
    case = make_case(advocate, harm_name="Brendan")
    login(client, advocate)
    assert case.reference in search(client, "brendan smith")


def test_search_never_finds_cases_the_agency_cannot_see(client, advocate, officer):
    hidden = make_case(officer, given_name="Zainab", family_name="Hussain", phone="07700 900321")
    login(client, advocate)
    for query in ["Zainab", "07700900321", hidden.reference]:
        page = search(client, query)
        assert "0 cases found" in page, query
        assert reverse("web:case", args=[hidden.reference]) not in page, query


def test_home_filters_by_status_and_lead(client, advocate, officer):
    from concord.cases import services

    mine = make_case(advocate, given_name="Mine")
    theirs = make_case(officer, given_name="Theirs")
    share_with(officer, theirs, advocate.agency)
    login(client, advocate)
    page = client.get(reverse("web:home"), {"lead": "mine"}).text
    assert mine.reference in page and theirs.reference not in page
    page = client.get(reverse("web:home"), {"lead": "others"}, headers={"HX-Request": "true"}).text
    assert theirs.reference in page and mine.reference not in page and "<html" not in page
    services.case_close(actor=advocate, case=mine, expected_version=mine.version, reason="needs_met")
    page = client.get(reverse("web:home"), {"status": "open"}).text
    assert mine.reference not in page and theirs.reference in page


def test_one_letter_words_are_left_out_of_a_name_search(client, advocate):
    make_case(advocate, given_name="Amina", family_name="Khan", harm_name="")
    make_case(advocate, given_name="Zoe", family_name="Lewis", harm_name="")
    login(client, advocate)
    # "a a" would otherwise match every name with an "a" in it.
    nothing = client.post(reverse("web:search"), {"q": "a a"}).content.decode()
    assert "0 cases found" in nothing and "Khan" not in nothing and "Lewis" not in nothing
    found = client.post(reverse("web:search"), {"q": "Zoe L"}).content.decode()
    assert "Lewis" in found and "Khan" not in found


def test_search_words_never_reach_a_url(client, advocate, monkeypatch):
    """On a shared computer the browser's history and the server's request log would keep them."""
    from concord.web import pagination

    monkeypatch.setattr(pagination.paginate_counting_with_page, "__defaults__", (2,))
    case = make_case(advocate, given_name="Ngozi", family_name="Okafor", harm_name="")
    for n in range(3):
        make_case(advocate, given_name=f"Ngozi{n}", family_name="Okafor", harm_name="")
    login(client, advocate)
    form = client.get(reverse("web:search")).content.decode()
    assert 'method="post"' in form and "hx-push-url" not in form
    # A search in a link is not run: the words must come in the body.
    assert case.reference not in client.get(reverse("web:search"), {"q": "Okafor"}).content.decode()
    response = client.post(reverse("web:search"), {"q": "Okafor"})
    page = response.content.decode()
    assert "4 cases found" in page and "no-store" in response.headers["Cache-Control"]
    # The next page is asked for by POST too: no link carries the words.
    assert 'name="page" value="2"' in page and "q=" not in page


def test_search_results_are_one_entry_per_request(client, advocate):
    cases = [make_case(advocate, family_name="Khan", given_name=name) for name in ("Amina", "Beth")]
    login(client, advocate)
    response = client.post(reverse("web:search"), {"q": "Khan"})
    assert response.status_code == 200
    from concord.audit.models import AccessLogEntry
    from concord.audit.selectors import who_has_seen

    (entry,) = AccessLogEntry.objects.filter(object_type="listing", user_id=advocate.user.pk)
    assert {f"case:{case.pk}" for case in cases} <= set(entry.fields) and "survivor_name" in entry.fields
    for case in cases:
        assert any(seen.object_type == "listing" for seen in who_has_seen(case))


def test_search_says_why_a_case_matched_and_tells_people_apart(client, advocate):
    case = make_case(advocate, given_name="Amina", family_name="Khan", harm_name="Zoe",
                     date_of_birth=datetime.date(2005, 9, 1))
    PersonAlias.objects.create(person=case.survivor, name="Amina Begum", kind="previous_name")
    undated = make_case(advocate, given_name="Chloe", family_name="Begum", date_of_birth=None, harm_name="")
    login(client, advocate)
    page = search(client, "Begum")
    assert "Matched by Previous name: Amina Begum" in page and case.reference in page
    assert undated.reference in page and "1 Sep 2005" in page  # a date of birth, or else an age band
    assert "Matched by Person causing harm: Zoe Smith" in search(client, "zoe smith")
    assert "Matched by date of birth" in search(client, "1 September 2005")


def test_dates_are_found_written_the_usual_ways(client, advocate):
    case = make_case(advocate, date_of_birth=datetime.date(2005, 9, 1))
    login(client, advocate)
    for query in ["1 September 2005", "1st Sept 2005", "01/09/2005", "1/9/2005", "2005-09-01", "September 1, 2005"]:
        assert case.reference in search(client, query), query


def test_a_case_is_found_by_its_number_alone_within_the_access_rule(client, advocate, officer):
    case = make_case(advocate)
    hidden = make_case(officer, given_name="Zainab")
    number = case.reference.rsplit("-", 1)[1]  # "00001"
    login(client, advocate)
    for query in [number, str(int(number)), case.reference.split("-", 1)[1]]:
        page = search(client, query)
        assert case.reference in page, query
    assert hidden.reference not in search(client, hidden.reference.rsplit("-", 1)[1])


def test_a_small_misspelling_finds_names_like_it_within_the_access_rule(client, advocate, officer):
    case = make_case(advocate, given_name="Zoe", family_name="Lewis", harm_name="")
    hidden = make_case(officer, given_name="Zoe", family_name="Lewiss", harm_name="")
    make_case(advocate, given_name="Amina", family_name="Khan", harm_name="")
    login(client, advocate)
    page = search(client, "Zoe Lewes")
    assert case.reference in page and "Khan" not in page and hidden.reference not in page
    assert "No name has all these words" in page and "Matched by a name like “Zoe Lewes”" in page
    exact = search(client, "Zoe Lewis")  # an exact match is not mixed with names like it
    assert case.reference in exact and "No name has all these words" not in exact
