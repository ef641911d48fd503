"""Entries cannot be changed or removed: neither through the ORM nor by SQL."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from concord.audit.models import AccessLogEntry, AppendOnlyViolation
from concord.audit.services import access_log_append

pytestmark = pytest.mark.django_db
TABLE = "audit_accesslogentry"


def test_saving_an_existing_entry_is_refused(write_entries):
    entry = write_entries(1)[0]
    entry.basis = "override:1"
    with pytest.raises(AppendOnlyViolation):
        entry.save()


def test_deleting_an_entry_is_refused(write_entries):
    entry = write_entries(1)[0]
    with pytest.raises(AppendOnlyViolation):
        entry.delete()
    assert AccessLogEntry.objects.count() == 1


def test_bulk_paths_are_refused(write_entries):
    write_entries(1)
    with pytest.raises(AppendOnlyViolation):
        AccessLogEntry.objects.update(basis="x")
    with pytest.raises(AppendOnlyViolation):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyViolation):
        AccessLogEntry.objects.bulk_create([AccessLogEntry()])


def test_an_entry_not_written_by_the_service_is_refused(db):
    with pytest.raises(AppendOnlyViolation):
        AccessLogEntry(sequence=1, action="view", object_type="case").save()


@pytest.mark.parametrize("statement", [
    f"UPDATE {TABLE} SET basis = 'override:1'",
    f"DELETE FROM {TABLE}",
    f"DELETE FROM {TABLE} WHERE sequence = 1",
])
def test_database_refuses_changing_the_log(write_entries, statement):
    write_entries(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.filter(basis="lead").count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_database_refuses_truncating_the_log(write_entries):
    write_entries(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_leaves_it_protected():
    # flush runs between transactional tests (pytest-django) and must get past the triggers.
    for _ in range(2):
        access_log_append(actor=None, action="view", object_type="case")
    call_command("flush", interactive=False, verbosity=0)
    assert AccessLogEntry.objects.count() == 0
    assert access_log_append(actor=None, action="view", object_type="case").sequence == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
