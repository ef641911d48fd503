"""Protocols at work: a trigger opens the tasks its protocols in force say (for the system, never for
a person), an answer satisfies them, and the sweep escalates a breach to a supervisor of the agency
that owns it. And the partnership's own work on its protocols: drafting a version, approving it (the
old one retires), recording a review.

Every write here may run twice (a job retried, two workers, a trigger fired on each save of the same
incident) and does its work once: a protocol opens one task per subject, and a task is escalated by
the one UPDATE that finds it not yet escalated."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Membership, Role, User
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.policy import Actor, SystemActor
from concord.risk.events import RiskEventKind
from concord.risk.models import Task
from concord.risk.services import holders, owner_on, task_params
from concord.risk.vocabularies import TaskKind, TaskStatus

from . import vocabularies as v
from .calendar import calendar_for
from .models import OWNER_CHOICES, Protocol, ProtocolReview, ProtocolVersion

PROTOCOLS = SystemActor("protocols")
logger = logging.getLogger(__name__)

# Who looks after the partnership's procedures: drafts and approves versions, records reviews.
PROTOCOL_ROLES = frozenset({Role.PARTNERSHIP_LEAD})


def in_force(area, trigger: str) -> list[ProtocolVersion]:
    return list(ProtocolVersion.objects.filter(protocol__area=area, trigger=trigger, status=v.VersionStatus.IN_FORCE)
                .select_related("protocol").order_by("protocol__key"))


def due_at(version: ProtocolVersion, area, start: datetime.datetime) -> datetime.datetime:
    return calendar_for(area).due_after(start, hours=version.due_hours, working_days=version.due_working_days)


def fire(trigger: str, case: Case, *, subject: str = "", referral=None,
         at: datetime.datetime | None = None) -> list[Task]:
    """Open, for the system, the task of each protocol in force for `trigger` on the case: one per
    protocol and subject, ever (firing again, or after it was done, opens nothing). A task of a kind
    already open on the case for the same subject (a high level's follow-up) is not opened twice."""
    versions = in_force(case.area, trigger)
    if not versions:
        return []
    at = at or timezone.now()
    fired = set(Task.objects.filter(case=case, subject=subject, protocol_version__protocol__in=[
        version.protocol_id for version in versions]).values_list("protocol_version__protocol_id", flat=True))
    who = holders(case)
    opened = []
    for version in versions:
        if version.protocol_id in fired:
            continue
        owner = referral.to_agency if version.owner == v.RECEIVER and referral is not None else owner_on(
            case, version.owner, who.involved)
        due = due_at(version, case.area, at)
        task = Task(case=case, kind=version.task_kind, owner_agency=owner, worker=who.workers.get(owner.pk),
                    due_at=due, escalate_at=version.escalation_after(due), opened_at=at, protocol_version=version,
                    subject=subject, referral=referral,
                    opened_by_rule=f"protocol:{version.protocol.key}@v{version.number}")
        try:
            with transaction.atomic():
                task.save()
        except IntegrityError:  # a task of this kind is already open for this subject
            continue
        record_event(access=policy.decide(PROTOCOLS, case), kind=RiskEventKind.TASK_OPENED, object_id=task.pk,
                     params=task_params(task))
        opened.append(task)
    return opened


def satisfy(case: Case, *, subject: str, kinds: Iterable[str], outcome: str, status: str = TaskStatus.DONE) -> int:
    """Close the open protocol tasks of these kinds about `subject`: what they asked for has happened
    (the referral was answered). Closed by the system, with what happened as the outcome."""
    closed = 0
    for task in (Task.objects.select_for_update(of=("self",)).select_related("owner_agency", "worker",
                                                                               "protocol_version__protocol")
                 .filter(case=case, subject=subject, kind__in=list(kinds), status=TaskStatus.OPEN)):
        task.status, task.outcome, task.done_at = status, outcome[:300], timezone.now()
        task.save(update_fields=["status", "outcome", "done_at"])
        record_event(access=policy.decide(PROTOCOLS, case), kind=RiskEventKind.TASK_CLOSED, object_id=task.pk,
                     params=task_params(task), fields=["status", "outcome"])
        closed += 1
    return closed


# --- Escalation -------------------------------------------------------------------------------------

def supervisor_of(agency) -> User | None:
    """Who a breach goes to: the agency's first supervisor in force (None if it has none)."""
    membership = (Membership.objects.in_force().filter(agency=agency, role=Role.SUPERVISOR, user__is_active=True)
                  .select_related("user").order_by("pk").first())
    return membership.user if membership else None


def to_escalate(now: datetime.datetime):
    return (Task.objects.filter(status=TaskStatus.OPEN, escalated_at__isnull=True, escalate_at__lte=now)
            .order_by("escalate_at", "pk"))


def escalate(task_id: int, now: datetime.datetime | None = None,
             supervisors: dict[int, User | None] | None = None) -> bool:
    """Escalate one breached task, once: the UPDATE that finds it open and not yet escalated wins, and
    writes its timeline event in the same transaction (a worker killed before the commit leaves it for
    the next sweep; two workers escalate it once). `supervisors`: a sweep's own answers of
    supervisor_of, by agency id, so that it asks once per agency."""
    now = now or timezone.now()
    with transaction.atomic():
        task = Task.objects.select_related("owner_agency", "worker", "protocol_version__protocol", "case").get(
            pk=task_id)
        supervisors = {} if supervisors is None else supervisors
        if task.owner_agency_id not in supervisors:
            supervisors[task.owner_agency_id] = supervisor_of(task.owner_agency)
        supervisor = supervisors[task.owner_agency_id]
        won = Task.objects.filter(pk=task_id, status=TaskStatus.OPEN, escalated_at__isnull=True,
                                  escalate_at__lte=now).update(escalated_at=now, escalated_to=supervisor)
        if not won:
            return False
        task.escalated_at, task.escalated_to = now, supervisor
        record_event(access=policy.decide(PROTOCOLS, task.case), kind=RiskEventKind.TASK_ESCALATED,
                     object_id=task.pk, params=task_params(task))
    return True


def remind(task_id: int, now: datetime.datetime | None = None) -> bool:
    """Mark one task's reminder sent, once, with its timeline event in the same transaction: the owner
    agency's tasks list shows it as due soon (a conference action, two days before its deadline)."""
    now = now or timezone.now()
    with transaction.atomic():
        won = Task.objects.filter(pk=task_id, status=TaskStatus.OPEN, reminded_at__isnull=True,
                                  remind_at__lte=now).update(reminded_at=now)
        if not won:
            return False
        task = Task.objects.select_related("owner_agency", "worker", "protocol_version__protocol", "case").get(
            pk=task_id)
        record_event(access=policy.decide(PROTOCOLS, task.case), kind=RiskEventKind.TASK_REMINDED,
                     object_id=task.pk, params=task_params(task))
    return True


@dataclass
class SweepResult:
    escalated: int = 0
    looked_at: int = 0
    reminded: int = 0


def sweep(now: datetime.datetime | None = None, *, limit: int = 500) -> SweepResult:
    """Escalate every task past its escalation time, oldest first, and send each reminder due, each in its
    own transaction (an interrupted sweep keeps what it did; the next one carries on)."""
    now = now or timezone.now()
    result = SweepResult()
    supervisors: dict[int, User | None] = {}
    for task_id in list(to_escalate(now).values_list("pk", flat=True)[:limit]):
        result.looked_at += 1
        if escalate(task_id, now, supervisors):
            result.escalated += 1
    for task_id in list(Task.objects.filter(status=TaskStatus.OPEN, reminded_at__isnull=True, remind_at__lte=now)
                        .order_by("remind_at", "pk").values_list("pk", flat=True)[:limit]):
        if remind(task_id, now):
            result.reminded += 1
    if result.escalated:
        logger.info("protocols sweep: %s of %s tasks escalated", result.escalated, result.looked_at)
    return result


# --- The partnership's work on its protocols ------------------------------------------------------------

@dataclass(frozen=True)
class VersionDetails:
    trigger: str
    owner: str
    task_kind: str
    action: str
    due_hours: int | None = None
    due_working_days: int | None = None
    escalate_after_hours: int = 0


def looks_after_protocols(actor: Actor) -> bool:
    """Whether the actor may change the area's protocols (the partnership lead)."""
    return actor.role in PROTOCOL_ROLES


def _may_look_after(actor: Actor, area) -> None:
    if not looks_after_protocols(actor) or actor.area != area:
        raise PermissionDenied(_("Only the partnership lead can change the area's protocols."))


def _check(details: VersionDetails) -> None:
    errors = {}
    if details.trigger not in v.Trigger.values:
        errors["trigger"] = _("Choose what sets the protocol off.")
    if details.owner not in {value for value, _label in OWNER_CHOICES}:
        errors["owner"] = _("Choose who answers it.")
    if details.task_kind not in TaskKind.values:
        errors["task_kind"] = _("Choose the task it opens.")
    if not details.action.strip():
        errors["action"] = _("Say what the agency does.")
    if (details.due_hours is None) == (details.due_working_days is None):
        errors["due_hours"] = _("Give the deadline in hours or in working days, not both.")
    for name in ("due_hours", "due_working_days"):
        value = getattr(details, name)
        if value is not None and not 0 < value <= 24 * 90:
            errors[name] = _("Give a deadline between 1 and 2160.")
    if not 0 <= details.escalate_after_hours <= 24 * 30:
        errors["escalate_after_hours"] = _("Give between 0 and 720 hours.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def protocol_draft(*, actor: Actor, area, key: str, name: str, details: VersionDetails) -> ProtocolVersion:
    """A new version of the protocol `key` (created if new), a draft until it is approved."""
    _may_look_after(actor, area)
    _check(details)
    if not name.strip():
        raise ValidationError({"name": _("Give the protocol a name.")})
    protocol, _created = Protocol.objects.get_or_create(area=area, key=key, defaults={"name": name.strip()[:160]})
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    if protocol.versions.filter(status=v.VersionStatus.DRAFT).exists():
        raise ValidationError({"key": _("This protocol already has a draft awaiting approval.")})
    number = (protocol.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ProtocolVersion.objects.create(protocol=protocol, number=number, drafted_by=actor.user,
                                          trigger=details.trigger, owner=details.owner, task_kind=details.task_kind,
                                          action=details.action.strip()[:300], due_hours=details.due_hours,
                                          due_working_days=details.due_working_days,
                                          escalate_after_hours=details.escalate_after_hours)


@transaction.atomic
def protocol_approve(*, actor: Actor, version: ProtocolVersion) -> ProtocolVersion:
    """The partnership approves a draft: it is in force from now, and the version it replaces retires.
    Tasks already open keep the version that opened them."""
    current = ProtocolVersion.objects.select_for_update().select_related("protocol__area").get(pk=version.pk)
    _may_look_after(actor, current.protocol.area)
    if current.status != v.VersionStatus.DRAFT:
        raise ValidationError({"version": _("Only a draft can be approved.")})
    now = timezone.now()
    ProtocolVersion.objects.filter(protocol=current.protocol, status=v.VersionStatus.IN_FORCE).update(
        status=v.VersionStatus.RETIRED, retired_at=now)
    current.status, current.approved_by, current.approved_at = v.VersionStatus.IN_FORCE, actor.user, now
    current.save(update_fields=["status", "approved_by", "approved_at"])
    return current


def protocol_review(*, actor: Actor, version: ProtocolVersion, outcome: str, note: str) -> ProtocolReview:
    """What a review of a version found: keep it, or revise it (a new draft follows)."""
    _may_look_after(actor, version.protocol.area)
    errors = {}
    if outcome not in v.ReviewOutcome.values:
        errors["outcome"] = _("Say whether to keep the protocol or revise it.")
    if not note.strip():
        errors["note"] = _("Say what the review found.")
    if errors:
        raise ValidationError(errors)
    return ProtocolReview.objects.create(version=version, reviewed_by=actor.user, outcome=outcome,
                                         note=note.strip()[:2000])

