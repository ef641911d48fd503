"""Writers in parallel threads (each with its own database connection) keep unbroken chains."""

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from concord.accounts.models import Area
from concord.audit.chain import chain_verify
from concord.audit.models import AccessLogEntry
from concord.audit.services import access_log_append

from .stand_ins import case_label

WRITERS, ENTRIES_EACH = 4, 25


@pytest.mark.skipif(connection.vendor == "sqlite",
                    reason="the SQLite test database is in memory, shared by threads through a table-locking cache")
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_a_valid_chain():
    _write_in_parallel(lambda writer: None)
    total = WRITERS * ENTRIES_EACH
    assert list(AccessLogEntry.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    report = chain_verify()
    assert report.ok and report.checked == total


@pytest.mark.skipif(connection.vendor == "sqlite",
                    reason="the SQLite test database is in memory, shared by threads through a table-locking cache")
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_in_two_new_areas_make_each_chain_once():
    """Two writers per area, each area's chain started by whichever comes first."""
    _write_in_parallel(lambda writer: case_label(Area(pk=100 + writer % 2), writer))
    report = chain_verify()
    assert report.ok and [(chain.chain, chain.checked) for chain in report.chains] == [
        (100, WRITERS // 2 * ENTRIES_EACH), (101, WRITERS // 2 * ENTRIES_EACH)]


def _write_in_parallel(case_of) -> None:
    start, errors = threading.Barrier(WRITERS), []

    def write(writer: int) -> None:
        try:
            start.wait()
            for n in range(ENTRIES_EACH):
                access_log_append(actor=None, action="view", object_type="case", object_id=f"{writer}-{n}",
                                  case=case_of(writer))
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []


# One interpreter start (Django's is slow): migrate, fork the writers, then verify.
SQLITE_SCRIPT = f"""
import multiprocessing
import pytest  # a child of the test run: the test settings are refused anywhere else
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from concord.audit.services import access_log_append

def write():
    for n in range({ENTRIES_EACH}):
        access_log_append(actor=None, action="view", object_type="case", object_id=n)

call_command("migrate", "audit", verbosity=0)
connections.close_all()  # each forked writer opens its own connection
writers = [multiprocessing.get_context("fork").Process(target=write) for _ in range({WRITERS})]
for writer in writers:
    writer.start()
for writer in writers:
    writer.join()
assert [writer.exitcode for writer in writers] == [0] * {WRITERS}
call_command("audit_verify", verbosity=0)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file database's own writer lock")
def test_parallel_processes_on_a_sqlite_file_keep_a_valid_chain(tmp_path):
    """The real settings (WAL, IMMEDIATE transactions) on a file, written by separate processes."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "concord.test_settings", "CONCORD_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'audit.sqlite3'}"}
    run = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], env=env, cwd=settings.BASE_DIR,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"OK: {WRITERS * ENTRIES_EACH} entries verified" in run.stdout
