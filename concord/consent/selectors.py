"""What consent is in force: derived from the ledger, never stored.

For each thing a decision can be about (its target key: share with agency X, share with sector Y,
contact by channel Z…) the latest decision is the one in force. A "given" decision past its expiry
counts as no consent.

Sharing with an agency is covered by two keys: the agency's own and its sector's. The latest decision
of the two wins, except that a general "given" never overturns a specific refusal: she may agree to
share with "health" yet decline one particular clinic, and a later "withdrawn: police" ends sharing
with every police agency, whatever she had agreed for one of them before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from concord.accounts.models import Agency
from concord.cases.models import Case

from .models import ConsentDecision, Override, ProtectedInfoGrant
from .vocabularies import Decision, Scope


@dataclass(frozen=True)
class ConsentState:
    key: tuple[str, str]
    decision: ConsentDecision  # the latest decision for this key
    in_force: bool  # "given" and not expired

    @property
    def label(self) -> str:
        return self.decision.target_label


def _is_given_now(decision: ConsentDecision, at: datetime.datetime) -> bool:
    return decision.decision == Decision.GIVEN and (decision.expires_at is None or decision.expires_at > at)


def decision_in_force(case: Case, scope: str, *, agency: Agency | None = None,
                      at: datetime.datetime | None = None) -> ConsentDecision | None:
    """Her decision in force for this scope (and agency, when given): the latest one, if it is "given"
    and not expired; None if she was never asked, declined, withdrew or it lapsed."""
    at = at or timezone.now()
    decisions = ConsentDecision.objects.filter(case=case, scope=scope, decided_at__lte=at)
    if agency is not None:
        decisions = decisions.filter(agency=agency)
    latest = decisions.order_by("-decided_at", "-id").first()
    return latest if latest is not None and _is_given_now(latest, at) else None


def _decisions(case: Case, *, contact_channels: bool):
    """Her decisions on this case. How she may be contacted is a safe-contact detail: pass
    contact_channels=False for a reader who does not hold her protected information, or for anything
    that leaves the system."""
    decisions = ConsentDecision.objects.filter(case=case)
    return decisions if contact_channels else decisions.exclude(scope=Scope.CONTACT_BY_CHANNEL)


def consent_picture(case: Case, at: datetime.datetime | None = None, *,
                    contact_channels: bool = True) -> list[ConsentState]:
    """The current state of every consent question asked on this case, from its whole history."""
    at = at or timezone.now()
    history = (_decisions(case, contact_channels=contact_channels).filter(decided_at__lte=at)
               .select_related("agency"))
    return picture_of(history, at)


def picture_of(history, at: datetime.datetime | None = None) -> list[ConsentState]:
    """consent_picture from a history already read (any order), without asking the database again."""
    at = at or timezone.now()
    latest: dict[tuple[str, str], ConsentDecision] = {}
    for decision in sorted((d for d in history if d.decided_at <= at), key=lambda d: (d.decided_at, d.pk)):
        latest[decision.target_key] = decision
    return [ConsentState(key=key, decision=d, in_force=_is_given_now(d, at)) for key, d in latest.items()]


def consent_history(case: Case, *, contact_channels: bool = True):
    return (_decisions(case, contact_channels=contact_channels)
            .select_related("agency", "recorded_by", "recorded_for"))


def _latest(qs, field: str):
    return Subquery(qs.order_by("-decided_at", "-id").values(field)[:1])


def sharing_decision_in_force(by_agency: ConsentDecision | None, by_sector: ConsentDecision | None,
                              at: datetime.datetime) -> ConsentDecision | None:
    """The decision that lets the agency see the case, given the latest agency-level and sector-level
    sharing decisions for it; None when her consent does not cover it (the rule of this module's
    docstring). `sharing_consented_q` is the same rule in SQL."""
    if by_agency is not None:
        sector_refused_later = (by_sector is not None and by_sector.decision != Decision.GIVEN
                                and (by_sector.decided_at, by_sector.pk) > (by_agency.decided_at, by_agency.pk))
        return by_agency if _is_given_now(by_agency, at) and not sector_refused_later else None
    return by_sector if by_sector is not None and _is_given_now(by_sector, at) else None


def sharing_consented_q(at: datetime.datetime) -> Q:
    """A Q over cases aliased by `with_sharing_consent`: her consent in force covers sharing with
    that agency. Written without negation, so that a missing decision (NULL) never flips a test."""
    agency_given = Q(_c_agency_decision=Decision.GIVEN) & (Q(_c_agency_expires__isnull=True)
                                                          | Q(_c_agency_expires__gt=at))
    no_later_sector_refusal = (
        Q(_c_sector_decision__isnull=True) | Q(_c_sector_decision=Decision.GIVEN)
        | Q(_c_sector_at__lt=F("_c_agency_at"))
        | (Q(_c_sector_at=F("_c_agency_at")) & Q(_c_sector_id__lt=F("_c_agency_id")))
    )
    sector_ok = (Q(_c_agency_decision__isnull=True) & Q(_c_sector_decision=Decision.GIVEN)
                 & (Q(_c_sector_expires__isnull=True) | Q(_c_sector_expires__gt=at)))
    return (agency_given & no_later_sector_refusal) | sector_ok


def with_sharing_consent(cases, agency: Agency, at: datetime.datetime):
    """Alias each case with the latest agency-level and sector-level sharing decision for `agency`."""
    by_agency = ConsentDecision.objects.filter(case=OuterRef("pk"), scope=Scope.SHARE_WITH_AGENCY, agency=agency,
                                               decided_at__lte=at)
    by_sector = ConsentDecision.objects.filter(case=OuterRef("pk"), scope=Scope.SHARE_WITH_SECTOR,
                                               sector=agency.sector, decided_at__lte=at)
    return cases.alias(
        _c_agency_decision=_latest(by_agency, "decision"), _c_agency_expires=_latest(by_agency, "expires_at"),
        _c_agency_at=_latest(by_agency, "decided_at"), _c_agency_id=_latest(by_agency, "id"),
        _c_sector_decision=_latest(by_sector, "decision"), _c_sector_expires=_latest(by_sector, "expires_at"),
        _c_sector_at=_latest(by_sector, "decided_at"), _c_sector_id=_latest(by_sector, "id"),
    )


def override_in_force_q(agency: Agency, at: datetime.datetime) -> Q:
    return Q(Exists(Override.objects.filter(case=OuterRef("pk"), agency=agency, ended_at__isnull=True,
                                            starts_at__lte=at, expires_at__gt=at)))


def protected_grant_q(agency: Agency) -> Q:
    return Q(Exists(ProtectedInfoGrant.objects.filter(case=OuterRef("pk"), agency=agency, ended_at__isnull=True)))


def overrides_for_review(area_id: int):
    """Every override in the area, newest first, for supervisors' and the lead agency's review."""
    return (Override.objects.filter(case__area_id=area_id)
            .select_related("case", "agency", "authorised_by", "authorised_for").order_by("-starts_at"))
