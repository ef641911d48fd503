"""Recompute the derived access table (concord.access.models.AgencyAccess) from the records that allow
access: the lead agency, her consent decisions for involved agencies, overrides and need-to-know grants.

The rule for consent is the ledger's (concord.consent.selectors.sharing_decision_in_force), evaluated
at every moment a decision takes effect or lapses, so each row carries the interval in which it
holds: an expiry needs no job to take effect, and the table answers exactly what the rule answers at
any time after it was written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from concord.accounts.models import PERPETRATOR_FACING_SECTORS, Agency
from concord.cases.models import Case, CaseAgency
from concord.conferences.models import ConferenceAction, ConferenceReferral, ConferenceSeries
from concord.conferences.vocabularies import ActionStatus, ConferenceReferralStatus
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant
from concord.consent.selectors import sharing_decision_in_force
from concord.consent.vocabularies import Scope
from concord.referrals.models import Referral
from concord.referrals.vocabularies import ReferralStatus

from .facets import (
    CONSENT_FACETS,
    LEAD_FACETS,
    NEED_TO_KNOW_FACETS,
    OVERRIDE_CHOOSABLE_FACETS,
    PROTECTED_FACETS,
    Facet,
)
from .models import BEGINNING, END_OF_TIME, AgencyAccess, Basis

ACCEPTED_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED})
LIVE_CONFERENCE = (ConferenceReferralStatus.PENDING, ConferenceReferralStatus.LISTED,
                   ConferenceReferralStatus.DISCUSSED)


def override_facets(chosen: Iterable[str]) -> list[str]:
    """What an override opens: what it names, within what an override may open, the core record always."""
    return sorted({Facet.CORE, *(f for f in chosen if f in OVERRIDE_CHOOSABLE_FACETS)})


def _consent_segments(by_agency: list[ConsentDecision], by_sector: list[ConsentDecision]
                      ) -> Iterator[tuple[ConsentDecision, datetime.datetime, datetime.datetime]]:
    """The intervals in which her consent covers the agency, each with the decision that allows it."""
    decisions = by_agency + by_sector
    moments = sorted({d.decided_at for d in decisions} | {d.expires_at for d in decisions if d.expires_at})
    current: ConsentDecision | None = None
    started = BEGINNING
    for moment in moments:
        latest_agency = max((d for d in by_agency if d.decided_at <= moment),
                            key=lambda d: (d.decided_at, d.pk), default=None)
        latest_sector = max((d for d in by_sector if d.decided_at <= moment),
                            key=lambda d: (d.decided_at, d.pk), default=None)
        allowing = sharing_decision_in_force(latest_agency, latest_sector, moment)
        if allowing != current:
            if current is not None:
                yield current, started, moment
            current, started = allowing, moment
    if current is not None:
        yield current, started, END_OF_TIME


def _conference_rows(case: Case, conference: list[ConferenceReferral], coordinating: dict[int, set[int]],
                     actions: list[ConferenceAction], now: datetime.datetime) -> Iterator[AgencyAccess]:
    """The conference item: for the coordinating agency (its coordinators) from the referral until the
    meeting's access ends (open-ended while it waits), and for each invited agency from the agenda's
    release until then; for the owner of an open action, from its agreement until it is closed. A
    referral discussed long ago gives nothing else; nor does a withdrawn one."""
    for action in actions:
        yield AgencyAccess(case_id=case.pk, agency_id=action.owner_agency_id, basis=Basis.CONFERENCE,
                           source_id=action.referral_id, valid_from=action.agreed_at, facets=[Facet.CONFERENCE_ITEM])
    for referral in conference:
        meeting = referral.meeting if referral.status != ConferenceReferralStatus.PENDING else None
        ends = meeting.access_ends_at if meeting is not None else END_OF_TIME
        if ends <= now:
            continue
        # A waiting referral goes to every series of the area; a listed one to its meeting's series.
        if meeting is None:
            coordinators = coordinating.get(case.area_id, set())
        else:
            coordinators = {a for a in (meeting.series.coordinating_agency_id,) if a is not None}
        for agency_id in sorted(coordinators):
            starts = min(referral.referred_at, ends - datetime.timedelta(microseconds=1))
            yield AgencyAccess(case_id=case.pk, agency_id=agency_id, basis=Basis.COORDINATION,
                               source_id=referral.pk, valid_from=starts, valid_until=ends,
                               facets=[Facet.CONFERENCE_ITEM])
        if meeting is not None and meeting.agenda_released_at is not None and meeting.agenda_released_at < ends:
            for agency in sorted(meeting.invited.all(), key=lambda a: a.pk):
                yield AgencyAccess(case_id=case.pk, agency_id=agency.pk, basis=Basis.CONFERENCE,
                                   source_id=referral.pk, valid_from=meeting.agenda_released_at, valid_until=ends,
                                   facets=[Facet.CONFERENCE_ITEM])


def _rows_for_case(case: Case, *, involved: dict[int, bool], decisions: list[ConsentDecision],
                   overrides: list[Override], grants: list[ProtectedInfoGrant], referrals: list[Referral],
                   sectors: dict[int, str], now: datetime.datetime, conference: Iterable[ConferenceReferral] = (),
                   coordinating: dict[int, set[int]] | None = None,
                   actions: Iterable[ConferenceAction] = ()) -> list[AgencyAccess]:
    def perpetrator_facing(agency_id: int) -> bool:
        return sectors[agency_id] in PERPETRATOR_FACING_SECTORS

    lead_facets = LEAD_FACETS - PROTECTED_FACETS if perpetrator_facing(case.lead_agency_id) else LEAD_FACETS
    rows = [AgencyAccess(case_id=case.pk, agency_id=case.lead_agency_id, basis=Basis.LEAD,
                         facets=sorted(lead_facets), may_correct_details=True)]
    # An agency that accepted a referral made under her consent to be referred to it is involved under
    # that consent: her decisions about referring her there count as decisions about sharing with it.
    referred_under_consent = {r.to_agency_id for r in referrals
                              if r.consent_decision_id is not None and r.status in ACCEPTED_STATUSES}
    for agency_id in sorted(set(involved) - {case.lead_agency_id}):
        agency_scopes = ({Scope.SHARE_WITH_AGENCY, Scope.REFER_TO_SERVICE} if agency_id in referred_under_consent
                         else {Scope.SHARE_WITH_AGENCY})
        by_agency = [d for d in decisions if d.scope in agency_scopes and d.agency_id == agency_id]
        by_sector = [d for d in decisions if d.scope == Scope.SHARE_WITH_SECTOR and d.sector == sectors[agency_id]]
        for decision, starts, ends in _consent_segments(by_agency, by_sector):
            if ends > now:
                rows.append(AgencyAccess(case_id=case.pk, agency_id=agency_id, basis=Basis.CONSENT,
                                         source_id=decision.pk, valid_from=starts, valid_until=ends,
                                         facets=sorted(CONSENT_FACETS),
                                         may_correct_details=involved[agency_id] and not perpetrator_facing(agency_id)))
    for override in overrides:
        if override.expires_at > now and override.starts_at < override.expires_at:
            rows.append(AgencyAccess(case_id=case.pk, agency_id=override.agency_id, basis=Basis.OVERRIDE,
                                     source_id=override.pk, valid_from=override.starts_at,
                                     valid_until=override.expires_at, facets=override_facets(override.facets)))
    for grant in grants:
        if not perpetrator_facing(grant.agency_id):
            rows.append(AgencyAccess(case_id=case.pk, agency_id=grant.agency_id, basis=Basis.NEED_TO_KNOW,
                                     source_id=grant.pk, facets=sorted(NEED_TO_KNOW_FACETS)))
    for referral in referrals:
        if referral.status == ReferralStatus.SENT:
            rows.append(AgencyAccess(case_id=case.pk, agency_id=referral.to_agency_id, basis=Basis.REFERRAL,
                                     source_id=referral.pk, valid_from=referral.sent_at,
                                     facets=[Facet.REFERRAL_PACKET]))
    rows += _conference_rows(case, list(conference), coordinating or {}, list(actions), now)
    return rows


def expected_rows(case_ids: Iterable[int], now: datetime.datetime | None = None) -> list[AgencyAccess]:
    """The rows the rule gives for these cases, recomputed from the ledger (rows still to come, or in
    force at `now`; nothing that has already lapsed). A constant number of queries for any number of cases."""
    now = now or timezone.now()
    ids = sorted(set(case_ids))
    cases = list(Case.objects.filter(pk__in=ids).only("pk", "lead_agency_id", "area_id"))
    # case → {involved agency: whether it may correct her details}
    involved: dict[int, dict[int, bool]] = defaultdict(dict)
    for case_id, agency_id, may_correct in CaseAgency.objects.filter(
            case_id__in=ids, ended_at__isnull=True).values_list("case_id", "agency_id", "may_correct_details"):
        involved[case_id][agency_id] = may_correct
    decisions: dict[int, list[ConsentDecision]] = defaultdict(list)
    for decision in ConsentDecision.objects.filter(
            case_id__in=ids, scope__in=[Scope.SHARE_WITH_AGENCY, Scope.SHARE_WITH_SECTOR, Scope.REFER_TO_SERVICE]).only(
            "pk", "case_id", "scope", "agency_id", "sector", "decision", "decided_at", "expires_at"):
        decisions[decision.case_id].append(decision)
    overrides: dict[int, list[Override]] = defaultdict(list)
    for override in Override.objects.filter(case_id__in=ids, ended_at__isnull=True, expires_at__gt=now).only(
            "pk", "case_id", "agency_id", "starts_at", "expires_at", "facets"):
        overrides[override.case_id].append(override)
    grants: dict[int, list[ProtectedInfoGrant]] = defaultdict(list)
    for grant in ProtectedInfoGrant.objects.filter(case_id__in=ids, ended_at__isnull=True).only(
            "pk", "case_id", "agency_id"):
        grants[grant.case_id].append(grant)
    referrals: dict[int, list[Referral]] = defaultdict(list)
    for referral in Referral.objects.filter(case_id__in=ids).exclude(
            status__in=[ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN]).only(
            "pk", "case_id", "to_agency_id", "status", "sent_at", "consent_decision_id"):
        referrals[referral.case_id].append(referral)
    conference: dict[int, list[ConferenceReferral]] = defaultdict(list)
    for item in (ConferenceReferral.objects.filter(case_id__in=ids, status__in=LIVE_CONFERENCE)
                 .select_related("meeting__series").prefetch_related("meeting__invited")):
        conference[item.case_id].append(item)
    actions: dict[int, list[ConferenceAction]] = defaultdict(list)
    for action in (ConferenceAction.objects.filter(referral__case_id__in=ids, status=ActionStatus.OPEN)
                   .select_related("referral").only("pk", "owner_agency_id", "referral_id", "agreed_at",
                                                    "referral__case_id")):
        actions[action.referral.case_id].append(action)
    # Where a waiting referral goes: the coordinating agencies of its area's series.
    coordinating: dict[int, set[int]] = defaultdict(set)
    if conference:
        for area_id, agency_id in ConferenceSeries.objects.filter(
                area_id__in={c.area_id for c in cases}, coordinating_agency__isnull=False).values_list(
                "area_id", "coordinating_agency_id"):
            coordinating[area_id].add(agency_id)
    sectors = dict(Agency.objects.filter(pk__in={c.lead_agency_id for c in cases}
                                         | {a for s in involved.values() for a in s}
                                         | {g.agency_id for gs in grants.values() for g in gs}).values_list(
        "pk", "sector"))
    rows: list[AgencyAccess] = []
    for case in cases:
        rows += _rows_for_case(case, involved=involved[case.pk], decisions=decisions[case.pk],
                               overrides=overrides[case.pk], grants=grants[case.pk],
                               referrals=referrals[case.pk], sectors=sectors, now=now,
                               conference=conference[case.pk], coordinating=coordinating,
                               actions=actions[case.pk])
    return rows


def refresh_cases(case_ids: Iterable[int]) -> None:
    """Rewrite the derived rows of these cases from the ledger, in the caller's transaction.

    The cases are locked first: two writers on one case (a withdrawal and an involvement at the same
    moment) recompute one after the other, each from what the other committed, never from a snapshot
    that misses it."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    with transaction.atomic():
        list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        AgencyAccess.objects.filter(case_id__in=ids).delete()
        AgencyAccess.objects.bulk_create(expected_rows(ids), batch_size=1000)


def refresh_case(case: Case) -> None:
    refresh_cases([case.pk])


def stored_rows(case_ids: Iterable[int], now: datetime.datetime) -> list[AgencyAccess]:
    return list(AgencyAccess.objects.filter(case_id__in=list(case_ids), valid_until__gt=now))


def differences(case_ids: Iterable[int], now: datetime.datetime | None = None) -> tuple[set, set]:
    """(rows the table is missing, rows it has that the rule does not give), for these cases at `now`."""
    now = now or timezone.now()
    ids = list(case_ids)
    expected = {row.key for row in expected_rows(ids, now)}
    stored = {row.key for row in stored_rows(ids, now)}
    return expected - stored, stored - expected


def case_id_batches(batch_size: int = 2000) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(Case.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild_all(*, batch_size: int = 2000, progress: Callable[[int], None] = lambda n: None) -> int:
    """Recompute the whole table, a batch of cases per transaction (safe to interrupt and run again)."""
    done = 0
    for ids in case_id_batches(batch_size):
        refresh_cases(ids)
        done += len(ids)
        progress(len(ids))
    return done
