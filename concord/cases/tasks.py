"""The cases' background job: every hour, the case-change log loses the rows no page reads (all but the
newest change of each case, concord.cases.changes.prune). Safe to run twice or on two workers at once."""

from crontask import cron
from django.db import connection
from django.tasks import task

from . import changes


@cron("17 * * * *")
@task
def prune_case_changes() -> int:
    return changes.prune(connection)
