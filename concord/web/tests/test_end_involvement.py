"""The lead agency ends another agency's involvement from the case page; from the next request that
agency gets a 404 for the case, as if it did not exist."""

from django.urls import reverse

from concord.testing.factories import login, make_case, share_with


def test_ending_an_involvement_closes_the_case_to_that_agency(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    involvement = case.involvements.get(agency=officer.agency)
    case_url = reverse("web:case", args=[case.reference])
    login(client, officer)
    assert client.get(case_url).status_code == 200

    login(client, advocate)
    response = client.post(reverse("web:agency_end", args=[case.reference, involvement.pk]), follow=True)
    assert f"{officer.agency.name} is no longer involved." in response.text
    involvement.refresh_from_db()
    assert involvement.ended_at is not None and involvement.ended_by == advocate.user

    login(client, officer)
    assert client.get(case_url).status_code == 404


def test_only_the_lead_agency_can_end_an_involvement(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    involvement = case.involvements.get(agency=officer.agency)
    login(client, officer)

    client.post(reverse("web:agency_end", args=[case.reference, involvement.pk]))

    involvement.refresh_from_db()
    assert involvement.ended_at is None
