"""Reading the access log: the survivor's "who has seen this record" report, and the access patterns
an administrator reviews for data protection. Both return plain data and read only the log, so they
work for cases, users and agencies that no longer exist."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from .models import AccessLogEntry, AccessLogListing, AuditAction, ObjectType

if TYPE_CHECKING:
    from concord.accounts.models import Area
    from concord.cases.models import Case

# Opening a record: what counts as "seeing" a case in the access-pattern review.
READ_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)


@dataclass(frozen=True)
class SeenEntry:
    when: datetime.datetime
    user_id: int | None
    user: str
    agency_id: int | None
    agency: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    fields: list[str]
    basis: str


_SEEN_COLUMNS = ("pk", "sequence", "occurred_at", "user_id", "user_label", "agency_id", "agency_name", "action",
                 "object_type", "object_id", "fields", "basis")


def who_has_seen(case: Case, *, limit: int | None = None) -> list[SeenEntry]:
    """Every recorded read and change of the case, newest first: who, for which agency, what,
    which fields, when, and the basis that allowed it (a survivor's right to know). That includes
    each search result or list that showed it: one entry per request names every case it showed,
    found here through its listing rows (decision 10), each by index."""
    labels = dict(AuditAction.choices)
    direct = AccessLogEntry.objects.filter(case_id=case.pk).order_by("-occurred_at", "-pk").values(*_SEEN_COLUMNS)
    listings = AccessLogListing.objects.filter(case_id=case.pk).order_by("-entry_id")
    if limit is not None:
        direct, listings = direct[:limit], listings[:limit]
    bases = dict(listings.values_list("entry_id", "basis"))
    listed = AccessLogEntry.objects.filter(pk__in=list(bases)).values(*_SEEN_COLUMNS)
    rows = sorted([*direct, *listed], key=lambda row: (row["occurred_at"], row["pk"]), reverse=True)
    if limit is not None:
        rows = rows[:limit]
    return [
        SeenEntry(when=row["occurred_at"], user_id=row["user_id"], user=row["user_label"],
                  agency_id=row["agency_id"], agency=row["agency_name"], action=row["action"],
                  action_label=str(labels.get(row["action"], row["action"])), object_type=row["object_type"],
                  object_id=row["object_id"],
                  # A listing's own fields name the other cases it showed: not hers to see.
                  fields=[name for name in row["fields"] or [] if not str(name).startswith("case:")],
                  basis=bases.get(row["pk"], row["basis"]))
        for row in rows
    ]


@dataclass(frozen=True)
class AccessPattern:
    user_id: int | None
    user: str
    agencies: list[str]
    cases_opened: int          # distinct cases read in the period
    reads: int                 # reads in the period, all told
    cases_not_lead: int        # distinct cases read where the user's agency was not the lead
    off_hours_reads: int       # reads outside working hours or at the weekend, in the area's time
    first_at: datetime.datetime
    last_at: datetime.datetime


def access_patterns(
    area: Area,
    since: datetime.datetime,
    *,
    until: datetime.datetime | None = None,
    min_cases: int = 20,
    working_hours: tuple[int, int] = (8, 18),
) -> list[AccessPattern]:
    """Staff who opened at least `min_cases` distinct cases of this area in the period, most first,
    for an administrator's data-protection review. Counts only: no case content.

    "Not lead" comes from the basis recorded at the time ("lead…" when the agency was the lead),
    so it reflects who led the case then, and needs no join to cases that may have been deleted.
    Off hours are before `working_hours[0]`:00, from `working_hours[1]`:00, or Saturday and Sunday.
    """
    until = until or timezone.now()
    zone = zoneinfo.ZoneInfo(area.time_zone)
    hour = ExtractHour("occurred_at", tzinfo=zone)
    off_hours = (Q(LessThan(hour, working_hours[0])) | Q(GreaterThanOrEqual(hour, working_hours[1]))
                 | Q(GreaterThanOrEqual(ExtractIsoWeekDay("occurred_at", tzinfo=zone), 6)))
    reads = AccessLogEntry.objects.filter(
        area_id=area.pk, occurred_at__gte=since, occurred_at__lt=until, action__in=READ_ACTIONS,
        case_id__isnull=False, user_id__isnull=False,
    ).exclude(object_type=ObjectType.LISTING)  # a case in a result list was shown, not opened
    grouped = (
        reads.values("user_id")
        .annotate(
            cases_opened=Count("case_id", distinct=True),
            reads=Count("pk"),
            cases_not_lead=Count("case_id", distinct=True, filter=~Q(basis__startswith="lead")),
            off_hours_reads=Count("pk", filter=off_hours),
            user=Max("user_label"),
            first_at=Min("occurred_at"),
            last_at=Max("occurred_at"),
        )
        .filter(cases_opened__gte=min_cases)
        .order_by("-cases_opened", "user_id")
    )
    rows = list(grouped)
    agencies: dict[int | None, set[str]] = {}
    for user_id, name in (reads.filter(user_id__in=[row["user_id"] for row in rows])
                          .order_by().values_list("user_id", "agency_name").distinct()):
        agencies.setdefault(user_id, set()).add(name)
    return [AccessPattern(agencies=sorted(agencies.get(row["user_id"], ())), **row) for row in rows]
