"""The lead agency closes a case with a reason, from the case page, and can reopen it."""

from django.urls import reverse

from concord.cases.models import CaseEvent
from concord.cases.vocabularies import CaseEventKind
from concord.testing.factories import login, make_case


def test_closing_a_case_records_the_reason_and_reopening_clears_it(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(reverse("web:case_close", args=[case.reference]), {
        "version": case.version, "closure_reason": "needs_met", "closure_note": "Moved to a new flat"}, follow=True)
    assert "Case closed." in response.text
    assert "Closed: Her needs are met and she agreed to close. Moved to a new flat" in response.text
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closure_note) == ("closed", "needs_met", "Moved to a new flat")
    assert case.closed_at is not None

    response = client.post(reverse("web:case_reopen", args=[case.reference]), {"version": case.version},
                           follow=True)
    assert "Case reopened." in response.text
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closure_note, case.closed_at) == ("open", "", "", None)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert CaseEventKind.CLOSED in kinds and CaseEventKind.REOPENED in kinds


def test_a_case_is_not_closed_without_a_reason(client, advocate):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(reverse("web:case_close", args=[case.reference]), {"version": case.version},
                           follow=True)

    assert "Choose why support is ending." in response.text
    case.refresh_from_db()
    assert case.status == "open"
