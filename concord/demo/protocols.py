"""The demo's protocols: the three standard ones, approved by the partnership lead before the seeded
history's last months; and the escalation the sweep would have made by the end of that history (the
police referral the IDVA service has not answered goes to its team manager). Run once (a second
seeding finds them there)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import Max

from concord.accounts.models import Area, Membership
from concord.cases.models import Case, CaseEvent
from concord.policy import Actor
from concord.protocols import services
from concord.protocols.models import ProtocolVersion
from concord.protocols.standard import adopt_standard
from concord.risk.models import Task

from .partnership import AREA, EMAIL_DOMAIN

APPROVED_DAYS_BEFORE_ANCHOR = 90
LEAD = "partnership"  # the demo login of the partnership lead
SWEEP_EVERY = datetime.timedelta(minutes=5)


def protocols_seed(anchor: datetime.date) -> list[ProtocolVersion]:
    area = Area.objects.get(code=AREA["code"])
    if area.protocols.exists():
        return []
    membership = (Membership.objects.select_related("user", "agency__area")
                  .get(user__email=f"{LEAD}@{EMAIL_DOMAIN}", agency__area=area))
    versions = adopt_standard(partnership_lead=Actor(user=membership.user, membership=membership), area=area)
    approved = datetime.datetime.combine(anchor - datetime.timedelta(days=APPROVED_DAYS_BEFORE_ANCHOR),
                                         datetime.time(10, 0), zoneinfo.ZoneInfo(area.time_zone))
    ProtocolVersion.objects.filter(pk__in=[v.pk for v in versions]).update(drafted_at=approved, approved_at=approved)
    return versions


def history_end(anchor: datetime.date, area: Area) -> datetime.datetime:
    """The end of the seeded history: the day before the anchor, 17:59 in the area."""
    return datetime.datetime.combine(anchor - datetime.timedelta(days=1), datetime.time(17, 59),
                                     zoneinfo.ZoneInfo(area.time_zone))


def escalations_seed(anchor: datetime.date) -> int:
    """What the sweep, running every five minutes, had escalated by the end of the history: each
    breached task escalated at its escalation time, dated so on its case."""
    area = Area.objects.get(code=AREA["code"])
    result = services.sweep(history_end(anchor, area))
    escalated = Task.objects.filter(case__area=area, escalated_at__isnull=False, escalated_at__gt=history_end(
        anchor, area) - SWEEP_EVERY)
    # Reminders the sweep sent by then, each dated when it fell due.
    for task in Task.objects.filter(case__area=area, reminded_at__isnull=False, remind_at__isnull=False,
                                    reminded_at__gt=history_end(anchor, area) - SWEEP_EVERY):
        when = task.remind_at + SWEEP_EVERY
        Task.objects.filter(pk=task.pk).update(reminded_at=when)
        CaseEvent.objects.filter(case=task.case, kind="task_reminded", object_id=str(task.pk)).update(
            occurred_at=when)
    for task in escalated:
        when = task.escalate_at + SWEEP_EVERY
        Task.objects.filter(pk=task.pk).update(escalated_at=when)
        CaseEvent.objects.filter(case=task.case, kind="task_escalated", object_id=str(task.pk)).update(
            occurred_at=when)
        last = CaseEvent.objects.filter(case=task.case).aggregate(last=Max("occurred_at"))["last"]
        Case.objects.filter(pk=task.case_id).update(updated_at=last)
    return result.escalated


def try_line() -> str:
    escalated = (Task.objects.filter(case__area__code=AREA["code"], escalated_at__isnull=False, status="open",
                                     referral__isnull=False).select_related("escalated_to").order_by("pk").first())
    if escalated is None:
        return ""
    return ("Protocols: as idva-supervisor, open Tasks and choose Escalated: the reply to the police referral is "
            "past its deadline and came to you; as partnership, open Protocols for the three in force and "
            "their compliance.")
