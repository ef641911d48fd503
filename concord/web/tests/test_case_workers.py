"""Who holds the case: each agency on it names its worker (the one who opens a case holds it for the
lead agency), reassigns within the agency, on the timeline; the home page shows her own caseload."""

from django.urls import reverse

from concord.accounts.models import Role
from concord.cases import services
from concord.cases.models import CaseEvent, CaseWorker
from concord.testing.factories import event_text, login, make_actor, make_case, share_with


def _current(case, agency):
    return CaseWorker.objects.filter(case=case, agency=agency, ended_at__isnull=True).first()


def test_whoever_opens_a_case_holds_it_and_finds_it_under_my_cases(client, advocate, advocacy):
    case = make_case(advocate)
    other = make_case(make_actor(advocacy), given_name="Chloe")
    assert _current(case, advocacy).worker == advocate.user
    login(client, advocate)
    home = client.get(reverse("web:home")).text
    mine = home[home.index('id="mine-h"'):home.index('id="agency-h"')]
    assert "My cases" in mine and "(1)" in mine and case.reference in mine and other.reference not in mine
    agency_list = home[home.index('id="agency-h"'):]
    assert case.reference in agency_list and other.reference in agency_list and "2 cases" in agency_list
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Your agency's worker</dt><dd>you" in page and "Take this case" not in page


def test_another_agency_takes_the_case_and_everyone_on_it_sees_who(client, advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    officer = make_actor(police)
    login(client, officer)
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert "Take this case" in page and "nobody named" in page
    response = client.post(reverse("web:case_worker", args=[case.reference]), {"worker": "me"}, follow=True)
    assert "You now hold this case for Northshire Police." in response.text
    assert _current(case, police).worker == officer.user
    assert case.reference in response.text  # back on the case
    home = client.get(reverse("web:home")).text
    assert case.reference in home[home.index('id="mine-h"'):home.index('id="agency-h"')]

    login(client, advocate)
    page = client.get(reverse("web:case", args=[case.reference])).text
    assert f"(worker: {officer.user})" in page
    event = CaseEvent.objects.get(case=case, kind="worker_assigned")
    assert f"Northshire Police: {officer.user}" in event_text(event, advocate)


def test_reassigning_within_the_agency_keeps_who_held_it_before(client, advocate, advocacy):
    case = make_case(advocate)
    colleague = make_actor(advocacy, role=Role.SUPERVISOR)
    login(client, advocate)
    response = client.post(reverse("web:case_worker", args=[case.reference]), {"worker": colleague.user.pk})
    assert response.status_code == 302
    rows = list(CaseWorker.objects.filter(case=case).order_by("pk"))
    assert [(row.worker, row.ended_at is None) for row in rows] == [(advocate.user, False), (colleague.user, True)]
    event = CaseEvent.objects.get(case=case, kind="worker_assigned")
    assert f"{colleague.user} in place of {advocate.user}" in event_text(event, advocate)
    # Naming the same worker again changes nothing, and writes nothing.
    services.case_worker_assign(actor=advocate, case=case, worker=colleague.user)
    assert CaseWorker.objects.filter(case=case).count() == 2
    assert CaseEvent.objects.filter(case=case, kind="worker_assigned").count() == 1


def test_a_worker_must_work_cases_for_the_agency_and_see_the_case(client, advocate, advocacy, police):
    case = make_case(advocate)
    outsider = make_actor(police)
    analyst = make_actor(advocacy, role=Role.ANALYST)
    left_out = make_actor(advocacy)
    services.case_restrict(actor=advocate, case=case, named_users=[])
    login(client, advocate)
    url = reverse("web:case_worker", args=[case.reference])
    # Only the agency's own staff who work cases are offered; anyone else is refused, and nothing written.
    choices = client.get(url).text
    assert str(outsider.user) not in choices and str(analyst.user) not in choices
    for worker in (outsider, analyst):
        response = client.post(url, {"worker": worker.user.pk})
        assert response.status_code == 422
    response = client.post(url, {"worker": left_out.user.pk})
    assert response.status_code == 422 and "cannot see this case" in response.text
    assert _current(case, advocacy).worker == advocate.user
    assert not CaseEvent.objects.filter(case=case, kind="worker_assigned").exists()


def test_an_agency_that_leaves_the_case_holds_it_no_more(client, advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    officer = make_actor(police)
    services.case_worker_assign(actor=officer, case=case, worker=officer.user)
    services.agency_end_involvement(actor=advocate, involvement=case.involvements.get())
    assert _current(case, police) is None
    services.conflict_declare(actor=advocate, case=case)
    assert _current(case, advocate.agency) is None


def test_who_holds_a_case_is_not_shown_to_an_agency_that_does_not_see_it(client, advocate, police):
    case = make_case(advocate)
    login(client, make_actor(police))
    url = reverse("web:case_worker", args=[case.reference])
    assert client.get(url).status_code == 404
    assert client.post(url, {"worker": "me"}).status_code == 404
    assert CaseWorker.objects.filter(case=case).count() == 1
