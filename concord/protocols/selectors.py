"""Reading tasks and protocols: an agency's tasks and a worker's own (due, overdue, escalated), each
listed only where the reader may open its case, or read its referral's packet (a receiver answers a
referral before it may see the case); the protocols in force and their history; and compliance, per
protocol and per agency over a period (counts only: no case in it is named)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from concord import policy
from concord.policy import Actor
from concord.risk.models import Task
from concord.risk.vocabularies import TaskKind, TaskStatus

from . import vocabularies as v
from .models import Protocol, ProtocolVersion


@dataclass(frozen=True)
class TaskRow:
    task: Task
    opens_case: bool  # the reader may open the case: link to it
    reads_packet: bool  # a referral task the reader answers from the packet: link to the referral
    # A conference action the reader's agency owns: it reads the case's conference item until it is closed.
    reads_conference_item: bool = False

    @property
    def names_her(self) -> bool:
        return self.opens_case or self.reads_packet or self.reads_conference_item

    @property
    def conference_action_id(self) -> int | None:
        """The conference action a conference-action task stands for (its subject), to link to its page."""
        kind, _sep, pk = self.task.subject.partition(":")
        return int(pk) if kind == "conference_action" and pk.isdigit() else None


class Which:
    AGENCY, MINE, ESCALATED = "agency", "mine", "escalated"
    ALL = (AGENCY, MINE, ESCALATED)


def _open_tasks(actor: Actor, which: str) -> QuerySet[Task]:
    tasks = Task.objects.filter(owner_agency_id=actor.agency.pk, status=TaskStatus.OPEN)
    if which == Which.MINE:
        tasks = tasks.filter(worker_id=actor.user.pk)
    elif which == Which.ESCALATED:
        tasks = tasks.filter(escalated_at__isnull=False)
    return tasks


def readable(actor: Actor, tasks: list[Task]) -> list[TaskRow]:
    """Those of these tasks the reader may be shown, each with what it may open (two queries)."""
    if not actor.does_casework or not tasks:
        return []
    visible = set(policy.visible_among(actor, {task.case_id for task in tasks}).values_list("pk", flat=True))
    packets = set(policy.packets_waiting_for(actor, {task.case_id for task in tasks if task.referral_id}))
    items = set(policy.conference_items_held(actor, {task.case_id for task in tasks
                                                     if task.kind == TaskKind.CONFERENCE_ACTION}))
    rows = [TaskRow(task=task, opens_case=task.case_id in visible, reads_packet=task.referral_id in packets,
                    reads_conference_item=task.kind == TaskKind.CONFERENCE_ACTION and task.case_id in items)
            for task in tasks]
    return [row for row in rows if row.names_her]


def tasks_for(actor: Actor, which: str = Which.AGENCY, limit: int = 50) -> list[TaskRow]:
    """The open tasks of the reader's agency (or the reader's own, or those escalated), soonest deadline
    first: the first `limit` by deadline, each checked against the access rule."""
    if not actor.does_casework:
        return []
    tasks = list(_open_tasks(actor, which).select_related("case", "case__survivor", "worker", "escalated_to",
                                                          "referral", "protocol_version__protocol")
                 .order_by("due_at", "id")[: limit * 2])
    return readable(actor, tasks)[:limit]


@dataclass(frozen=True)
class TaskCounts:
    open: int
    overdue: int
    escalated: int
    mine: int


def counts_for(actor: Actor) -> TaskCounts:
    """How many of the agency's tasks are open, overdue and escalated, and how many are the reader's
    (numbers only: one aggregate over the agency's open tasks)."""
    if not actor.does_casework:
        return TaskCounts(0, 0, 0, 0)
    now = timezone.now()
    got = _open_tasks(actor, Which.AGENCY).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
        mine=Count("pk", filter=Q(worker_id=actor.user.pk)))
    return TaskCounts(**got)


# --- Protocols and their compliance ----------------------------------------------------------------

def protocols_of(area) -> list[Protocol]:
    """The area's protocols, each with its versions (newest first) and their reviews."""
    return list(Protocol.objects.filter(area=area).prefetch_related(
        "versions__approved_by", "versions__drafted_by", "versions__reviews__reviewed_by"))


def _states(now: datetime.datetime) -> dict[str, Q]:
    """Where a task stands against its deadline, as filters (a task no longer needed is not counted)."""
    done = Q(status=TaskStatus.DONE)
    return {v.Compliance.ON_TIME: done & Q(done_at__lte=F("due_at")),
            v.Compliance.LATE: done & Q(done_at__gt=F("due_at")),
            v.Compliance.OPEN: Q(status=TaskStatus.OPEN, due_at__gte=now),
            v.Compliance.BREACHED: Q(status=TaskStatus.OPEN, due_at__lt=now)}


@dataclass
class ComplianceRow:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(v.Compliance.values, 0))
    escalated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_share(self) -> int | None:
        """Done on time, as a share of those done or past their deadline (None when none are)."""
        decided = self.total - self.counts[v.Compliance.OPEN]
        return round(100 * self.counts[v.Compliance.ON_TIME] / decided) if decided else None


@dataclass
class Compliance:
    start: datetime.date
    end: datetime.date
    by_protocol: list[ComplianceRow]
    by_agency: list[ComplianceRow]


def compliance(area, start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None) -> Compliance:
    """The protocols' tasks opened in [start, end] (the area's days): done on time, done late, open
    within the deadline, open past it, and how many were escalated; per protocol and per agency. Two
    grouped counts in the database, whatever the number of tasks."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(area.time_zone)
    since = datetime.datetime.combine(start, datetime.time.min, zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    tasks = Task.objects.filter(protocol_version__protocol__area=area, opened_at__gte=since, opened_at__lt=until)
    states = _states(now)
    counted = {state: Count("pk", filter=condition) for state, condition in states.items()}

    def table(by: str) -> list[ComplianceRow]:
        rows = []
        escalated = Count("pk", filter=Q(escalated_at__isnull=False) & ~Q(status=TaskStatus.CANCELLED))
        for got in tasks.values(by).annotate(**counted, escalated=escalated).order_by(by):
            row = ComplianceRow(label=got[by], escalated=got["escalated"])
            row.counts = {state: got[state] for state in states}
            if row.total:
                rows.append(row)
        return rows

    return Compliance(start=start, end=end, by_protocol=table("protocol_version__protocol__name"),
                      by_agency=table("owner_agency__name"))


def in_force_versions(area) -> list[ProtocolVersion]:
    return list(ProtocolVersion.objects.filter(protocol__area=area, status=v.VersionStatus.IN_FORCE)
                .select_related("protocol", "approved_by").order_by("protocol__name"))

