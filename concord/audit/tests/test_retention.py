"""Retention: a dry run only reports; a real run deletes closed cases past retention, with an entry."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from concord.audit.chain import chain_verify
from concord.audit.models import AccessLogEntry, AuditAction
from concord.audit.retention import closed_cases_purge, retention_days
from concord.audit.services import access_log_append
from concord.cases import services as case_services
from concord.cases.models import Case, CaseParticipant, Incident, Need
from concord.people.models import Person
from concord.testing.factories import make_case

pytestmark = pytest.mark.django_db


def close(actor, case, *, years_ago: float) -> Case:
    case = case_services.case_close(actor=actor, case=case, expected_version=case.version, reason="needs_met")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=365 * years_ago))
    return Case.objects.get(pk=case.pk)


def retention(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out, verbosity=0)
    return out.getvalue()


def test_defaults_and_settings_overrides(settings):
    assert retention_days() == {"closed_case": 6 * 365, "access_log": 7 * 365}
    settings.CONCORD_RETENTION = {"closed_case": 365}
    assert retention_days() == {"closed_case": 365, "access_log": 7 * 365}


def test_dry_run_counts_without_deleting(advocate):
    old = close(advocate, make_case(advocate), years_ago=7)
    close(advocate, make_case(advocate, given_name="Beth", harm_name=""), years_ago=1)
    make_case(advocate, given_name="Cara", harm_name="")

    report = retention("--dry-run")

    assert "closed_case: kept 2190 days" in report
    assert f"past retention: 1; oldest: {old.closed_at:%Y-%m-%d}; delete" in report
    assert "access_log: kept 2555 days" in report and "report only" in report
    assert "nothing was deleted" in report
    assert Case.objects.count() == 3
    assert not AccessLogEntry.objects.filter(action="retention_delete").exists()


def test_deletes_an_old_closed_case_with_its_records_and_logs_it(advocate):
    case = close(advocate, make_case(advocate, phone="07700 900123"), years_ago=7)
    recent = close(advocate, make_case(advocate, given_name="Beth", harm_name=""), years_ago=1)
    survivor_id, reference = case.survivor_id, case.reference
    harm_ids = list(CaseParticipant.objects.filter(case=case).values_list("person_id", flat=True))

    report = retention()

    assert "Deleted 1 closed case(s) and 2 person record(s)" in report
    assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Person.objects.filter(pk__in=[survivor_id, *harm_ids]).exists()
    assert not Incident.objects.filter(case_id=case.pk).exists() and not Need.objects.filter(case_id=case.pk).exists()
    assert not Case.history.filter(id=case.pk).exists()
    assert not Person.history.filter(id=survivor_id).exists()
    entry = AccessLogEntry.objects.get(action=AuditAction.RETENTION_DELETE, object_type="case")
    assert (entry.case_reference, entry.case_id, entry.user_label) == (reference, case.pk, "system")
    assert AccessLogEntry.objects.filter(action=AuditAction.RETENTION_DELETE, object_type="person",
                                         case_reference=reference).count() == 2
    assert chain_verify().ok


def test_a_person_still_on_another_case_is_kept(advocate):
    old = close(advocate, make_case(advocate), years_ago=7)
    survivor = old.survivor
    later = case_services.case_open(actor=advocate, survivor=survivor)

    retention()

    assert not Case.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(pk=survivor.pk).exists() and Case.objects.filter(pk=later.pk).exists()


def test_consent_records_go_with_the_case(advocate):
    from concord.consent.models import ConsentDecision

    case = close(advocate, make_case(advocate, harm_name=""), years_ago=7)
    ConsentDecision.objects.create(case=case, scope="conference", decision="given", method="verbal",
                                   recorded_by=advocate.user, recorded_for=advocate.agency)
    retention()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not ConsentDecision.objects.exists()


def test_the_access_log_is_reported_but_never_deleted(advocate, settings):
    settings.CONCORD_RETENTION = {"access_log": 0}
    access_log_append(actor=advocate, action="view", object_type="case")
    report = retention()
    assert "access_log: kept 0 days" in report and "past retention: 1" in report
    assert AccessLogEntry.objects.count() == 1


def test_a_case_reopened_after_it_was_listed_is_kept(advocate):
    case = close(advocate, make_case(advocate), years_ago=7)
    case_services.case_reopen(actor=advocate, case=case, expected_version=case.version)
    outcome = closed_cases_purge(case_ids=[case.pk], now=timezone.now())
    assert outcome.cases == 0 and Case.objects.filter(pk=case.pk).exists()


def test_interrupted_run_says_how_to_continue(advocate):
    close(advocate, make_case(advocate), years_ago=7)
    stop = mock.patch("concord.audit.management.commands.retention.closed_cases_purge", side_effect=KeyboardInterrupt)
    with stop, pytest.raises(CommandError, match="rolled back") as interrupted:
        retention()
    assert interrupted.value.returncode == 130 and Case.objects.count() == 1
