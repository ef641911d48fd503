"""The demo's protocols: three in force, approved by the partnership lead; the IDVA service's task to
answer the police referral opened when it was sent, due with its reply and, by the end of the seeded
history, escalated to the IDVA team manager; accepting the referral closes it."""

import pytest

from concord.cases.models import CaseEvent
from concord.demo import referrals
from concord.protocols import selectors
from concord.protocols.models import ProtocolVersion
from concord.referrals import services
from concord.risk.models import Task

from .conftest import acting_as

pytestmark = pytest.mark.django_db


def test_the_referral_task_is_overdue_and_escalated_to_the_idva_team_manager(run_demo):
    run_demo(cases=60)
    assert ProtocolVersion.objects.filter(status="in_force").count() == 3
    assert {str(v.approved_by) for v in ProtocolVersion.objects.all()} == {"Helen Carter"}
    waiting = referrals.find().waiting
    task = Task.objects.get(referral=waiting)
    assert task.opened_at == waiting.sent_at and task.due_at == waiting.respond_by and task.is_overdue
    assert task.escalated_to.email == "idva-supervisor@demo.concord.test" and task.escalated_at > task.due_at
    event = CaseEvent.objects.get(kind="task_escalated", object_id=str(task.pk))
    assert event.occurred_at == task.escalated_at and waiting.case.updated_at >= event.occurred_at

    manager = acting_as("idva-supervisor@demo.concord.test")
    rows = selectors.tasks_for(manager, selectors.Which.ESCALATED)
    assert [row.task for row in rows] == [task] and rows[0].reads_packet and not rows[0].opens_case
    services.referral_accept(actor=acting_as("idva@demo.concord.test"), referral=waiting)
    task.refresh_from_db()
    assert task.status == "done" and task.done_at > task.due_at  # late: compliance counts it so
