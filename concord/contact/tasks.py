"""Messages to her as background jobs: the job carries primary keys and its own key, and asks the
gate, which reads her rules at the moment of sending (not when the job was queued) and sends a key
once, however often the job runs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import task

from concord.cases.models import Case
from concord.people.models import Person

from .gate import send_to_survivor


@task
def deliver(*, case_id: int, person_id: int, channel: str, purpose: str, body: str, key: str,
            subject: str = "", names_agency: bool = False) -> str:
    case = Case.objects.select_related("area").get(pk=case_id)
    person = Person.objects.get(pk=person_id)
    return send_to_survivor(case=case, person=person, channel=channel, purpose=purpose, body=body, subject=subject,
                            names_agency=names_agency, key=key).status


def message_later(*, case: Case, person: Person, channel: str, purpose: str, body: str, key: str,
                  subject: str = "", names_agency: bool = False) -> None:
    """Queue a message to her once the caller's transaction commits (a rolled-back write sends nothing)."""
    kwargs: dict[str, Any] = {"case_id": case.pk, "person_id": person.pk, "channel": channel, "purpose": purpose,
                              "body": body, "key": key, "subject": subject, "names_agency": names_agency}
    transaction.on_commit(lambda: deliver.enqueue(**kwargs))
