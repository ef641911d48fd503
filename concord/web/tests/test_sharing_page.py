"""The sharing page: the lead agency's view of who can see the case now and why, the overrides given
on it and who holds her protected details on need-to-know. The case page links to it with the counts."""

from django.urls import reverse

from concord.audit.models import AccessLogEntry
from concord.consent import services as consent_services
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with


def test_the_lead_sees_every_agency_with_its_basis_and_the_overrides_and_grants(client, idva_supervisor, police,
                                                                               housing, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor, phone="07700 900123")
    share_with(idva_supervisor, case, police)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation,
                                        legal_basis="risk_to_life", reason="Offender manager needs the history")
    share_with(idva_supervisor, case, housing)
    consent_services.protected_info_grant(actor=idva_supervisor, case=case, agency=housing,
                                          reason="Flag the address on the housing register")
    login(client, idva_supervisor)

    page = client.get(reverse("web:sharing", args=[case.reference])).text
    now = page[page.index('id="now-h"'):page.index('id="overrides-h"')]
    for agency, basis in ((idva_supervisor.agency.name, "Lead agency"), (police.name, "Her consent"),
                          (probation.name, "Supervised override"), (housing.name, "Need-to-know grant")):
        assert agency in now and basis in now, (agency, basis)
    assert "Offender manager needs the history" in page and "Flag the address on the housing register" in page
    assert reverse("web:override_end", args=[case.reference, case.overrides.get().pk]) in page
    logged = AccessLogEntry.objects.filter(case_id=case.pk, object_type="case").order_by("-sequence").first()
    assert logged.fields == ["case", "restricted_to", "sharing", "overrides", "protected_grants"]

    case_page = client.get(reverse("web:case", args=[case.reference])).text
    assert reverse("web:sharing", args=[case.reference]) in case_page
    assert "1 override in force" in case_page and "1 agency holds her protected details" in case_page
    assert "Offender manager needs the history" not in case_page  # its reason is on the sharing page only


def test_ending_an_override_from_the_sharing_page_comes_back_to_it(client, idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor)
    override = consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation,
                                                   legal_basis="risk_to_life", reason="Offender manager")
    login(client, idva_supervisor)
    response = client.post(reverse("web:override_end", args=[case.reference, override.pk]))
    assert response.status_code == 302 and response.url == reverse("web:sharing", args=[case.reference])
    page = client.get(response.url).text
    assert "Override for Northshire Probation ended." in page and "(ended)" in page
    assert probation.name not in page[page.index('id="now-h"'):page.index('id="overrides-h"')]


def test_only_the_lead_agency_has_the_sharing_page(client, idva_supervisor, police, housing):
    case = make_case(idva_supervisor)
    share_with(idva_supervisor, case, police)
    url = reverse("web:sharing", args=[case.reference])
    login(client, make_actor(police))
    assert client.get(url).status_code == 403  # sees the case, but the oversight is the lead's
    login(client, make_actor(housing))
    assert client.get(url).status_code == 404  # does not see the case at all
    assert client.post(url).status_code == 405
