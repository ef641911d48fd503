"""Retention: how long each kind of record is kept, what is due, and deleting closed cases when due.

Periods are days per record type: DEFAULT_RETENTION_DAYS, overridden by settings.CONCORD_RETENTION.
Only closed cases are deleted today. The access log is reported but never deleted here: removing
entries breaks the hash chain that makes it evidence (archiving it is a later issue), and it holds
no case content, only references, names of staff and agencies, and field names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from concord.cases import vocabularies as case_vocabulary
from concord.cases.models import Case, CaseParticipant, Incident
from concord.people.models import Person

from .models import AccessLogEntry, AuditAction, ObjectType
from .services import access_log_append

DEFAULT_RETENTION_DAYS: dict[str, int] = {"closed_case": 6 * 365, "access_log": 7 * 365}

# Rows that protect a case from deletion (on_delete=PROTECT) and go with it when its time is up.
# Anything else that protects a case (a future legal hold, say) keeps the case: it is skipped.
PURGED_WITH_CASE = frozenset({"consent.ConsentDecision", "consent.Override", "consent.ProtectedInfoGrant"})


def retention_days() -> dict[str, int]:
    return {**DEFAULT_RETENTION_DAYS, **getattr(settings, "CONCORD_RETENTION", {})}


def retention_cutoff(record_type: str, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=retention_days()[record_type])


def closed_cases_due(*, now: datetime.datetime) -> QuerySet[Case]:
    return Case.objects.filter(status=case_vocabulary.CaseStatus.CLOSED,
                               closed_at__lt=retention_cutoff("closed_case", now))


@dataclass(frozen=True)
class RetentionLine:
    record_type: str
    days: int
    cutoff: datetime.datetime
    due: int | None
    oldest: datetime.datetime | None
    action: str


def retention_report(*, now: datetime.datetime) -> list[RetentionLine]:
    """Per record type: the period, the cut-off, how many records are past it and the oldest date."""
    lines = []
    for record_type, days in sorted(retention_days().items()):
        cutoff = now - datetime.timedelta(days=days)
        if record_type == "closed_case":
            due = closed_cases_due(now=now).aggregate(count=models.Count("pk"), oldest=Min("closed_at"))
            action = "delete"
        elif record_type == "access_log":
            due = AccessLogEntry.objects.filter(occurred_at__lt=cutoff).aggregate(
                count=models.Count("pk"), oldest=Min("occurred_at"))
            action = "report only: deleting entries would break the hash chain"
        else:
            due, action = {"count": None, "oldest": None}, "no rule for this record type yet: nothing done"
        lines.append(RetentionLine(record_type, days, cutoff, due["count"], due["oldest"], action))
    return lines


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def _delete_with_history(objects: list[models.Model]) -> None:
    """Delete the objects and everything that cascades from them, then their change history:
    simple_history keeps a full copy of every version (and writes one more on deletion), so
    leaving it would keep the very data retention is meant to remove."""
    if not objects:
        return
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=objects[0])
    collector.collect(objects)  # ProtectedError / RestrictedError: something still needs them
    deleted = {model: [obj.pk for obj in instances] for model, instances in collector.data.items()}
    collector.delete()
    for model, pks in deleted.items():
        history_model = _history_model(model)
        if history_model is None:
            continue
        versions = history_model._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks})
        # Many-to-many history rows point at a version without a constraint (DO_NOTHING).
        for relation in history_model._meta.related_objects:
            relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": versions.values("pk")}).delete()
        versions.delete()


def _people_only_on(case: Case) -> list[Person]:
    """People on this case and on no other. Someone also on another case (a survivor with a later
    case, a person causing harm to two women) is kept: that other case still needs them."""
    other_cases = Case.objects.exclude(pk=case.pk)
    on_case = (
        {case.survivor_id}
        | set(CaseParticipant.objects.filter(case=case).values_list("person_id", flat=True))
        | set(Person.objects.filter(incidents_caused__case=case).values_list("pk", flat=True))
    )
    return list(Person.objects.filter(pk__in=on_case).exclude(
        Exists(other_cases.filter(survivor_id=OuterRef("pk")))
        | Exists(CaseParticipant.objects.filter(person_id=OuterRef("pk")).exclude(case=case))
        | Exists(Incident.objects.filter(persons_causing_harm=OuterRef("pk")).exclude(case=case))
    ))


@dataclass
class PurgeOutcome:
    cases: int = 0
    people: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case reference, why)

    def add(self, other: PurgeOutcome) -> None:
        self.cases += other.cases
        self.people += other.people
        self.skipped += other.skipped


def _blocker(error: ProtectedError | RestrictedError) -> str:
    objects = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    return "still needed by " + ", ".join(sorted({obj._meta.label for obj in objects}))


def _case_purge(case: Case, basis: str) -> int:
    """Delete one case with everything on it and the people only on it; one audit entry each.
    Returns how many people were deleted."""
    people = _people_only_on(case)
    # An unsaved copy to label the entries: deletion clears the primary key of the real one.
    label = Case(pk=case.pk, area_id=case.area_id, reference=case.reference)
    access_log_append(actor=None, action=AuditAction.RETENTION_DELETE, object_type=ObjectType.CASE,
                      object_id=case.pk, case=label, basis=basis)
    for relation in Case._meta.related_objects:
        if relation.related_model._meta.label in PURGED_WITH_CASE:
            _delete_with_history(list(relation.related_model._base_manager.filter(**{relation.field.name: case})))
    _delete_with_history([case])
    deleted = 0
    for person in people:
        person_id = person.pk
        try:
            with transaction.atomic():
                _delete_with_history([person])
                access_log_append(actor=None, action=AuditAction.RETENTION_DELETE, object_type=ObjectType.PERSON,
                                  object_id=person_id, case=label, basis=basis)
                deleted += 1
        except (ProtectedError, RestrictedError):
            continue  # another record (not a case) still needs this person: kept
    return deleted


def closed_cases_purge(*, case_ids: list[int], now: datetime.datetime) -> PurgeOutcome:
    """Delete these closed cases if they are still past their retention, in one transaction.

    Each case is checked again under lock (it may have been reopened since it was listed) and
    deleted in its own savepoint, so one case that something else still needs is skipped, not fatal.
    """
    outcome = PurgeOutcome()
    basis = f"retention:closed_case>{retention_days()['closed_case']}d"
    with transaction.atomic():
        for case in closed_cases_due(now=now).select_for_update().filter(pk__in=case_ids).order_by("pk"):
            reference = case.reference
            try:
                with transaction.atomic():
                    outcome.people += _case_purge(case, basis)
                    outcome.cases += 1
            except (ProtectedError, RestrictedError) as blocked:
                outcome.skipped.append((reference, _blocker(blocked)))
    return outcome
