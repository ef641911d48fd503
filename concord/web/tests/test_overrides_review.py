"""The overrides review lists overrides only on cases the reader may see now: an override's reason is
case content, and must not outlive the access it gave."""

import datetime

from django.urls import reverse
from django.utils import timezone

from concord.cases import services as case_services
from concord.consent.services import override_authorise
from concord.testing.factories import login, make_actor, make_case, share_with, shorten_overrides

REASON = "Threats to kill made on 3 November; police need the full history"


def _override_for(advocacy_supervisor, case, agency):
    return override_authorise(actor=advocacy_supervisor, case=case, agency=agency, legal_basis="risk_to_life",
                              reason=REASON)


def test_the_lead_agency_and_the_agency_given_access_see_the_override(client, advocacy, officer):
    supervisor = make_actor(advocacy, role="supervisor")
    case = make_case(supervisor)
    share_with(supervisor, case, officer.agency, consent=False)
    _override_for(supervisor, case, officer.agency)
    for reader in (supervisor, officer):
        login(client, reader)
        page = client.get(reverse("web:overrides")).text
        assert case.reference in page and REASON in page


def test_an_expired_override_is_not_shown_to_the_agency_that_lost_access(client, advocacy, officer):
    supervisor = make_actor(advocacy, role="supervisor")
    case = make_case(supervisor)
    share_with(supervisor, case, officer.agency, consent=False)
    _override_for(supervisor, case, officer.agency)
    shorten_overrides(timezone.now() - datetime.timedelta(seconds=1), case=case)
    login(client, officer)
    page = client.get(reverse("web:overrides")).text
    assert case.reference not in page and REASON not in page
    login(client, supervisor)  # the lead agency still reviews it
    assert REASON in client.get(reverse("web:overrides")).text


def test_a_restricted_case_hides_its_overrides_from_staff_not_named(client, advocacy, officer):
    supervisor = make_actor(advocacy, role="supervisor")
    colleague = make_actor(advocacy, role="supervisor")
    case = make_case(supervisor)
    share_with(supervisor, case, officer.agency, consent=False)
    _override_for(supervisor, case, officer.agency)
    case_services.case_restrict(actor=supervisor, case=case, named_users=[])
    for reader in (officer, colleague):
        login(client, reader)
        page = client.get(reverse("web:overrides")).text
        assert case.reference not in page and REASON not in page


def test_the_review_is_recorded_in_the_cases_access_log(client, advocacy, officer):
    from concord.audit.models import AccessLogEntry
    from concord.audit.selectors import who_has_seen

    supervisor = make_actor(advocacy, role="supervisor")
    case = make_case(supervisor)
    share_with(supervisor, case, officer.agency, consent=False)
    _override_for(supervisor, case, officer.agency)
    login(client, officer)
    client.get(reverse("web:overrides"))
    (entry,) = AccessLogEntry.objects.filter(user_id=officer.user.pk, object_type="listing")
    assert entry.fields == [f"case:{case.pk}", "overrides"]
    (seen,) = [seen for seen in who_has_seen(case) if seen.object_type == "listing"]
    assert seen.user_id == officer.user.pk and seen.fields == ["overrides"] and seen.basis.startswith("override:")


def test_the_review_links_each_case_and_lets_a_lead_supervisor_end_or_renew(client, advocacy, officer):
    supervisor = make_actor(advocacy, role="supervisor")
    case = make_case(supervisor)
    share_with(supervisor, case, officer.agency, consent=False)
    override = _override_for(supervisor, case, officer.agency)
    end_url = reverse("web:override_end", args=[case.reference, override.pk])
    renew_url = f"{reverse('web:override_add', args=[case.reference])}?renew={override.pk}"
    for reader in (make_actor(advocacy), officer):  # a practitioner of the lead; the agency holding it
        login(client, reader)
        page = client.get(reverse("web:overrides")).text
        assert f'href="{reverse("web:case", args=[case.reference])}"' in page
        assert end_url not in page and "renew=" not in page
    login(client, supervisor)
    page = client.get(reverse("web:overrides")).text
    assert end_url in page and renew_url.replace("&", "&amp;") in page

    form = client.get(renew_url).text
    assert "Renew the override for Northshire Police" in form and REASON in form  # the old reason, as a hint
    response = client.post(renew_url, {"agency": "", "legal_basis": "risk_to_life", "facets": ["incident_narratives"],
                                       "reason": "Still needed: the trial is on 5 January"})
    assert response.status_code == 302
    old, new = case.overrides.order_by("pk")
    assert old.ended_at is not None and new.in_force() and new.agency == officer.agency
    assert new.reason == "Still needed: the trial is on 5 January"

    response = client.post(reverse("web:override_end", args=[case.reference, new.pk]), {"back": "review"})
    assert response.status_code == 302 and response.url == reverse("web:overrides")
    new.refresh_from_db()
    assert new.ended_at is not None
    # An ended override is offered neither again.
    login(client, supervisor)
    page = client.get(reverse("web:overrides")).text
    assert reverse("web:override_end", args=[case.reference, new.pk]) not in page and "renew=" not in page
