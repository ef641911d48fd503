"""A real `db_worker` runs the sweep from the database queue, and is killed (SIGKILL) half-way: what
it escalated stays escalated with its timeline event, what it had not reached is escalated by the
next run, and no task is escalated twice. PostgreSQL only: the worker is another process, and the
SQLite test database lives in this one's memory."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from concord.accounts.models import Role, Sector
from concord.cases.models import CaseEvent
from concord.protocols.services import in_force
from concord.protocols.standard import adopt_standard
from concord.risk.models import Task
from concord.testing.factories import make_actor, make_agency, make_area, make_case

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker is another process")]

TASKS = 120
RUN_WORKER = ("import sys, pytest, django; from django.core.management import call_command; django.setup(); "
              "call_command('db_worker', '--no-startup-delay', '--max-tasks', '1', '--interval', '0.1', "
              "'--no-reload')")


def _worker() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "concord.test_settings",
           "CONCORD_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "DATABASE_URL": _url()}
    return subprocess.Popen([sys.executable, "-c", RUN_WORKER], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _escalated() -> int:
    return Task.objects.filter(escalated_at__isnull=False).count()


def _enqueue(settings) -> None:
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends._settings = None  # the handler reads TASKS once: read it again
    from concord.protocols.tasks import sweep_deadlines

    sweep_deadlines.using(backend="default").enqueue()


def test_a_worker_killed_mid_sweep_loses_and_duplicates_nothing(settings):
    area = make_area()
    adopt_standard(partnership_lead=make_actor(make_agency(area, Sector.HOUSING), Role.PARTNERSHIP_LEAD), area=area)
    police = make_actor(make_agency(area, Sector.POLICE))
    make_actor(police.agency, Role.SUPERVISOR)
    case = make_case(police)
    version = in_force(area, "police_incident")[0]
    past = timezone.now() - datetime.timedelta(days=2)
    Task.objects.bulk_create(Task(case=case, kind="notify_advocacy", owner_agency=police.agency, due_at=past,
                                  escalate_at=past, protocol_version=version, subject=f"incident:{n}")
                             for n in range(TASKS))

    _enqueue(settings)
    worker = _worker()
    deadline = time.monotonic() + 60
    while _escalated() < 5 and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    halfway = _escalated()
    assert 0 < halfway < TASKS, "the worker was not stopped half-way"
    # Each escalated task has its one event; none without.
    assert CaseEvent.objects.filter(case=case, kind="task_escalated").count() == halfway

    _enqueue(settings)  # the schedule's next sweep
    again = _worker()
    assert again.wait(120) == 0, again.stderr.read().decode() if again.stderr else ""
    assert _escalated() == TASKS
    events = list(CaseEvent.objects.filter(case=case, kind="task_escalated").values_list("object_id", flat=True))
    assert len(events) == len(set(events)) == TASKS
