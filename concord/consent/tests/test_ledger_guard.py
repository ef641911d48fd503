"""The database itself refuses to rewrite her consent decisions, or to widen an override or a grant,
whatever path the write takes (bulk update, raw SQL); ending and shortening stay possible."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from concord.cases import services as case_services
from concord.cases.models import Case
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant
from concord.consent.services import override_authorise, override_end, protected_info_grant, protected_info_revoke
from concord.testing.factories import make_actor, make_case, share_with, shorten_overrides
from concord.testing.roles import acting_as, application_role, retention_role


@pytest.fixture
def supervisor(advocacy):
    return make_actor(advocacy, role="supervisor")


@pytest.fixture
def ledger(supervisor, police):
    case = make_case(supervisor)
    share_with(supervisor, case, police)
    override = override_authorise(actor=supervisor, case=case, agency=police, legal_basis="risk_to_life",
                                  reason="Threats to kill")
    grant = protected_info_grant(actor=supervisor, case=case, agency=police, reason="Flag her address")
    return case, ConsentDecision.objects.get(case=case), override, grant


def _refused(statement, *params):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_consent_decision_cannot_be_rewritten_even_in_bulk(ledger):
    _case, decision, _override, _grant = ledger
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsentDecision.objects.filter(pk=decision.pk).update(decision="withdrawn")
    _refused("UPDATE consent_consentdecision SET note = 'edited' WHERE id = %s", decision.pk)
    assert ConsentDecision.objects.get(pk=decision.pk).decision == "given"


def test_nothing_in_the_ledger_is_deleted_while_the_case_is_open(ledger):
    _case, decision, override, grant = ledger
    for table, pk in (("consent_consentdecision", decision.pk), ("consent_override", override.pk),
                      ("consent_protectedinfogrant", grant.pk)):
        _refused(f"DELETE FROM {table} WHERE id = %s", pk)  # noqa: S608 (table names are ours)
    assert ConsentDecision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize("change", [
    {"expires_at": timezone.now() + datetime.timedelta(days=80)},  # extended
    {"reason": "reworded afterwards"},
    {"legal_basis": "court_order"},
])
def test_an_override_cannot_be_extended_or_rewritten(ledger, change):
    _case, _decision, override, _grant = ledger
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Override.objects.filter(pk=override.pk).update(**change)


def test_an_override_can_be_shortened_and_ended_once(ledger, supervisor):
    _case, _decision, override, _grant = ledger
    shorten_overrides(timezone.now() + datetime.timedelta(days=1), pk=override.pk)
    ended = override_end(actor=supervisor, override=override)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Override.objects.filter(pk=ended.pk).update(ended_at=None)


def test_a_grant_can_be_ended_but_not_reaimed(ledger, supervisor, housing):
    _case, _decision, _override, grant = ledger
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ProtectedInfoGrant.objects.filter(pk=grant.pk).update(agency=housing)
    protected_info_revoke(actor=supervisor, grant=grant)
    assert ProtectedInfoGrant.objects.get(pk=grant.pk).ended_at is not None


def test_closing_a_case_does_not_let_its_refusals_be_deleted(ledger, supervisor):
    """Close, delete her refusals, reopen: sharing would come back with no trace. Refused."""
    case, decision, override, grant = ledger
    case_services.case_close(actor=supervisor, case=case, expected_version=case.version, reason="needs_met")
    for table, pk in (("consent_consentdecision", decision.pk), ("consent_override", override.pk),
                      ("consent_protectedinfogrant", grant.pk)):
        _refused(f"DELETE FROM {table} WHERE id = %s", pk)  # noqa: S608 (table names are ours)
    # Closed a day short of the retention period: still refused.
    from concord.audit.retention import retention_days

    days = retention_days()["closed_case"]
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=days - 1))
    _refused("DELETE FROM consent_consentdecision WHERE id = %s", decision.pk)
    assert ConsentDecision.objects.filter(pk=decision.pk).exists()


def test_retention_deletes_the_ledger_of_a_case_closed_past_its_period(ledger, supervisor):
    from concord.audit.retention import closed_cases_purge, retention_days

    case, decision, _override, _grant = ledger
    case_services.case_close(actor=supervisor, case=case, expected_version=case.version, reason="needs_met")
    days = retention_days()["closed_case"]
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=days + 1))
    outcome = closed_cases_purge(case_ids=[case.pk], now=timezone.now())
    assert outcome.cases == 1
    assert not ConsentDecision.objects.filter(pk=decision.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
def test_the_application_role_cannot_delete_the_ledger_at_all(ledger, supervisor):
    """As docs/audit.md grants it: the application role has no DELETE on the ledger, even for a case
    closed past retention; the retention role has. Roles made here vanish with the test's transaction."""
    case, decision, _override, _grant = ledger
    case_services.case_close(actor=supervisor, case=case, expected_version=case.version, reason="needs_met")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=36500))
    app, retention = application_role(), retention_role()
    with acting_as(app), pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_consentdecision WHERE id = %s", [decision.pk])
    with acting_as(retention), connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_consentdecision WHERE id = %s", [decision.pk])
        assert cursor.rowcount == 1
