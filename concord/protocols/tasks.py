"""The protocols' background job: every five minutes, escalate the tasks past their escalation
time. The sweep is safe to run twice or on two workers at once (services.escalate), and one killed
mid-run leaves each task either escalated, with its timeline event, or not yet."""

from crontask import cron
from django.tasks import task

from . import services


@cron("*/5 * * * *")
@task
def sweep_deadlines() -> int:
    return services.sweep().escalated
