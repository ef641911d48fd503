"""Seeding the demo partnership: Northshire, its staff, and a caseload written in batches.

Cases are written with bulk_create, a batch at a time, each batch in its own transaction that also
advances the area's case counter: stopping part-way (Ctrl+C) leaves whole batches only, and the
counter always matches the highest reference written, so cases opened later through the services
take the next number.

Seeded rows are shaped as the services would leave them (timeline events with the services'
summaries, violence-type rows, persons causing harm on each incident, her consent decisions for
each involved agency, name keys, blind indexes, encrypted contact values, risk assessments), with
two exceptions: no simple-history rows and no access-log entries are written for seeded data. The
derived access table is recomputed for each batch in its transaction, as the services do for each
write, and so is each case's risk level, as reconsider() would keep it (concord.demo.risk). Change
history and the access log start with the first thing done through the product.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from concord.access.derive import refresh_cases
from concord.accounts.models import Area
from concord.cases.models import (
    Case,
    CaseAgency,
    CaseEvent,
    CaseParticipant,
    CaseWorker,
    Incident,
    IncidentViolence,
    Need,
)
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant
from concord.people.models import ContactPoint, Person, PersonAlias, ProtectedLocation
from concord.risk.models import Assessment

from . import conferences, protocols, referrals, risk, showcase
from .bundle import CaseBundle, HarmLink
from .caseload import Caseload
from .partnership import Partnership, partnership_create

BATCH_SIZE = 500

# Parents before children, so every foreign key points at a row that already has its primary key.
WRITE_ORDER = (
    (Person, "people"), (PersonAlias, "aliases"), (Case, None), (ContactPoint, "contacts"),
    (ProtectedLocation, "locations"),
    (CaseParticipant, "participants"), (CaseAgency, "involvements"), (CaseWorker, "workers"),
    (Incident, "incidents"),
    (IncidentViolence, "violence"), (HarmLink, "harm_links"), (Need, "needs"), (ConsentDecision, "consents"),
    (Override, "overrides"), (ProtectedInfoGrant, "grants"), (Assessment, "assessments"), (CaseEvent, "events"),
)


class SeedingInterrupted(Exception):
    def __init__(self, written: int, total: int):
        self.written, self.total = written, total
        super().__init__(f"Interrupted after {written} of {total} cases.")


@dataclass(frozen=True)
class SeedResult:
    area: Area
    cases: int


def write_batch(area: Area, bundles: list[CaseBundle], *, today: datetime.date, end: datetime.datetime) -> None:
    """Write whole cases, numbering them from the area's counter, all in one transaction, then their
    risk levels as on `today` (the anchor day), with `end` the end of the seeded history."""
    with transaction.atomic():
        # Locked like next_case_reference locks it, so a case opened meanwhile cannot take a number.
        locked = Area.objects.select_for_update().get(pk=area.pk)
        number = locked.next_case_number
        for bundle in bundles:
            case = bundle.case
            # The year it opened (opened_at is in the area's time zone), as the service would have given it.
            case.reference = f"{locked.code.upper()}-{case.opened_at.year}-{number:05d}"
            number += 1
        for model, attribute in WRITE_ORDER:
            if attribute is None:
                model.objects.bulk_create([bundle.case for bundle in bundles])
            else:
                model.objects.bulk_create([row for bundle in bundles for row in getattr(bundle, attribute)])
        Area.objects.filter(pk=area.pk).update(next_case_number=number)
        # Who may see each case, as the services keep it: derived from the rows just written.
        refresh_cases([bundle.case.pk for bundle in bundles])
        # Their risk levels, as reconsider() would keep them, from the rows just written.
        risk.levels([bundle.case for bundle in bundles], today=today, end=end)


def seed_cases(partnership: Partnership, *, total: int, seed: int, anchor: datetime.date,
               batch_size: int = BATCH_SIZE, progress: Callable[[int], None] = lambda n: None) -> int:
    """Write `total` cases in batches; returns how many were written. On Ctrl+C, raises
    SeedingInterrupted carrying the number of cases in the batches already committed."""
    caseload = Caseload(partnership, seed=seed, total=total, anchor=anchor)
    area = partnership.area
    first_number = Area.objects.get(pk=area.pk).next_case_number
    written = 0
    try:
        for start in range(0, total, batch_size):
            bundles = [caseload.build(i) for i in range(start, min(total, start + batch_size))]
            write_batch(area, bundles, today=anchor, end=caseload.end)
            written += len(bundles)
            progress(len(bundles))
    except KeyboardInterrupt:
        # Count from the counter, not `written`: the interrupt may land just after a commit.
        written = Area.objects.get(pk=area.pk).next_case_number - first_number
        raise SeedingInterrupted(written, total) from None
    return written


def seed_demo(*, cases: int, seed: int, anchor: datetime.date, batch_size: int = BATCH_SIZE,
              progress: Callable[[int], None] = lambda n: None) -> SeedResult:
    """The whole demo partnership. The area and staff are committed first, then the cases."""
    partnership = partnership_create()
    written = seed_cases(partnership, total=cases, seed=seed, anchor=anchor, batch_size=batch_size,
                         progress=progress)
    showcase.contact_rules_seed(anchor)
    showcase.safety_plan_seed(anchor)
    protocols.protocols_seed(anchor)
    referrals.referrals_seed(anchor)
    conferences.conferences_seed(anchor, seed)
    protocols.escalations_seed(anchor)
    return SeedResult(area=partnership.area, cases=written)
