"""The safety plans' background job: each morning, plans whose review date has come are marked due
(and the area's protocol for a review due opens its task)."""

from crontask import cron
from django.tasks import task

from .services import safety_plans_due_by_date


@cron("15 6 * * *")
@task
def mark_scheduled_reviews() -> int:
    return safety_plans_due_by_date()
