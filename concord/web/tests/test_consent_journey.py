"""Record consent for a second agency, see it gain access, withdraw, see access end — through HTTP."""

import datetime

from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import Role
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with, shorten_overrides


def record(client, case, **fields):
    data = {"scope": "share_agency", "decision": "given", "method": "verbal"} | fields
    return client.post(reverse("web:consent_add", args=[case.reference]), data)


def test_consent_given_then_withdrawn_controls_access_on_the_next_request(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency, consent=False)
    case_url = reverse("web:case", args=[case.reference])

    login(client, officer)
    assert client.get(case_url).status_code == 404  # involved, but she has not agreed

    login(client, advocate)
    assert record(client, case, agency=officer.agency.pk, note="Yes, the police can know").status_code == 302
    page = client.get(case_url).text
    assert "Yes, the police can know" in page

    login(client, officer)
    assert client.get(case_url).status_code == 200

    login(client, advocate)
    assert record(client, case, agency=officer.agency.pk, decision="withdrawn").status_code == 302

    login(client, officer)
    assert client.get(case_url).status_code == 404


def test_consent_form_errors_are_shown_not_saved(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    response = record(client, case)  # share with an agency, but no agency named
    assert response.status_code == 422
    assert "Say which agency" in response.text


def test_override_gives_access_until_it_expires(client, advocacy, officer):
    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    case = make_case(supervisor)
    login(client, supervisor)
    response = client.post(reverse("web:override_add", args=[case.reference]), {
        "agency": officer.agency.pk, "legal_basis": "risk_to_life", "reason": "Threat to kill made last night"})
    assert response.status_code == 302
    case_url = reverse("web:case", args=[case.reference])
    login(client, officer)
    assert client.get(case_url).status_code == 200
    # Expiry takes effect at once: move the override's end into the past.
    shorten_overrides(timezone.now() - datetime.timedelta(seconds=1), case=case)
    assert client.get(case_url).status_code == 404


def test_only_a_lead_supervisor_can_authorise_an_override(client, advocate, officer):
    case = make_case(advocate)
    login(client, advocate)
    assert client.get(reverse("web:override_add", args=[case.reference])).status_code == 403


def test_protected_information_is_withheld_from_involved_agencies_until_granted(client, advocate, officer):
    case = make_case(advocate, phone="07700 900777")
    share_with(advocate, case, officer.agency)
    login(client, advocate)
    client.post(reverse("web:location_add", args=[case.reference]),
                {"kind": "refuge", "address": "12 Hidden Lane, Refugetown"})
    assert "12 Hidden Lane" in client.get(reverse("web:case", args=[case.reference])).text

    login(client, officer)
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Withheld." in page and "12 Hidden Lane" not in page and "900777" not in page

    login(client, advocate)
    client.post(reverse("web:protected_grant_add", args=[case.reference]),
                {"agency": officer.agency.pk, "reason": "Police need to flag the address for urgent response"})
    login(client, officer)
    assert "12 Hidden Lane" in client.get(reverse("web:case", args=[case.reference])).text


def test_perpetrator_facing_agencies_never_see_protected_information(client, advocate, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    officer = make_actor(probation)
    case = make_case(advocate, phone="07700 900888")
    share_with(advocate, case, probation)
    login(client, advocate)
    client.post(reverse("web:location_add", args=[case.reference]), {"kind": "safe_address", "address": "Safe St 1"})
    response = client.post(reverse("web:protected_grant_add", args=[case.reference]),
                           {"agency": probation.pk, "reason": "asked"})
    assert response.status_code == 422  # not even offered
    login(client, officer)
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Withheld." in page and "Safe St 1" not in page and "900888" not in page


def test_restricted_case_is_seen_only_by_named_staff(client, advocate, advocacy):
    colleague = make_actor(advocacy)
    case = make_case(advocate)
    login(client, advocate)
    client.post(reverse("web:restriction", args=[case.reference]), {"action": "restrict"})
    case_url = reverse("web:case", args=[case.reference])
    assert client.get(case_url).status_code == 200
    login(client, colleague)
    assert client.get(case_url).status_code == 404


def test_declaring_a_conflict_removes_access(client, advocate, advocacy):
    colleague = make_actor(advocacy)
    case = make_case(advocate)
    login(client, colleague)
    case_url = reverse("web:case", args=[case.reference])
    assert client.get(case_url).status_code == 200
    client.post(reverse("web:conflict_declare", args=[case.reference]), {"reason": "She is my neighbour"})
    assert client.get(case_url).status_code == 404


def test_who_has_seen_lists_each_view_with_its_basis(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, officer)
    client.get(reverse("web:case", args=[case.reference]))
    client.get(reverse("web:case", args=[case.reference]))
    assert client.get(reverse("web:who_has_seen", args=[case.reference])).status_code == 403  # lead only

    login(client, advocate)
    page = client.get(reverse("web:who_has_seen", args=[case.reference])).text
    officer_rows = [line for line in page.splitlines() if str(officer.user) in line]
    assert len(officer_rows) == 2
    # In plain words: no field names, no basis codes.
    assert all("saw the case record" in row and "(with her consent)" in row for row in officer_rows)
    assert "contact_points" not in page and "consent:" not in page and "@r" not in page
    assert f"<strong>{advocate.user}</strong> added" in page
    police = page[page.index(f">{officer.agency.name} <span"):]
    assert str(officer.user) in police.split("</section>")[0]  # grouped under the officer's agency


def test_who_has_seen_filters_by_agency_kind_and_period(client, advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    login(client, officer)
    client.get(reverse("web:case", args=[case.reference]))
    login(client, advocate)
    url = reverse("web:who_has_seen", args=[case.reference])
    only_police = client.get(url, {"agency": officer.agency.name}).text
    assert str(officer.user) in only_police and f"<strong>{advocate.user}</strong>" not in only_police
    changes = client.get(url, {"kind": "change"}).text
    assert f"<strong>{advocate.user}</strong> added" in changes and str(officer.user) not in changes
    assert str(officer.user) in client.get(url, {"period": "7"}).text


def test_involving_an_agency_with_her_agreement_records_consent_in_one_step(client, advocate, officer):
    case = make_case(advocate)
    login(client, advocate)
    response = client.post(reverse("web:agency_add", args=[case.reference]),
                           {"agency": officer.agency.pk, "reason": "Arrest enquiry", "consent_method": "verbal"})
    assert response.status_code == 302
    login(client, officer)
    assert client.get(reverse("web:case", args=[case.reference])).status_code == 200


def test_lead_sees_which_involved_agencies_lack_consent(client, advocate, officer):
    case = make_case(advocate)
    login(client, advocate)
    client.post(reverse("web:agency_add", args=[case.reference]), {"agency": officer.agency.pk})
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Cannot see the case: no consent or override in force." in page
    login(client, officer)
    assert client.get(reverse("web:case", args=[case.reference])).status_code == 404


def test_ending_an_override_or_a_grant_takes_effect_at_once(client, advocacy, officer):
    supervisor = make_actor(advocacy, role=Role.SUPERVISOR)
    case = make_case(supervisor, phone="07700 900555")
    share_with(supervisor, case, officer.agency, consent=False)
    login(client, supervisor)
    client.post(reverse("web:override_add", args=[case.reference]), {
        "agency": officer.agency.pk, "legal_basis": "safeguarding_child", "reason": "Child at risk"})
    client.post(reverse("web:protected_grant_add", args=[case.reference]),
                {"agency": officer.agency.pk, "reason": "Flag the address"})
    case_url = reverse("web:case", args=[case.reference])
    login(client, officer)
    assert "900555" in client.get(case_url).text

    login(client, supervisor)
    grant = case.protected_grants.get()
    response = client.post(reverse("web:protected_grant_end", args=[case.reference, grant.pk]), follow=True)
    assert "no longer sees her protected information" in response.text
    login(client, officer)
    page = client.get(case_url).text
    assert "Withheld." in page and "900555" not in page

    login(client, supervisor)
    override = case.overrides.get()
    response = client.post(reverse("web:override_end", args=[case.reference, override.pk]), follow=True)
    assert "ended" in response.text
    login(client, officer)
    assert client.get(case_url).status_code == 404
