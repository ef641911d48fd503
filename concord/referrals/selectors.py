"""Reading referrals: an agency's incoming and outgoing lists with their counts, the referrals of a
case, and a referral's packet as its reader may read it. Scoped by concord.policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from concord import policy
from concord.access.facets import Facet
from concord.cases.models import Case, Incident, Need
from concord.consent.models import ConsentDecision
from concord.consent.vocabularies import Decision, Scope
from concord.policy import AccessDecision, Actor, ReferralAccess
from concord.risk.reasons import level_label, reason_lines

from . import vocabularies as v
from .models import Referral


@dataclass(frozen=True)
class Counts:
    incoming_waiting: int = 0
    incoming_overdue: int = 0
    outgoing_waiting: int = 0
    outgoing_overdue: int = 0

    @property
    def any(self) -> bool:
        return bool(self.incoming_waiting or self.outgoing_waiting)


def counts_for(actor: Actor, now: datetime.datetime | None = None) -> Counts:
    """How many of the agency's referrals wait for a reply, and how many of those are past their due
    time, each way. One query over the two indexes."""
    if not actor.does_casework:
        return Counts()
    now = now or timezone.now()
    agency = actor.agency.pk
    waiting = Q(status=v.ReferralStatus.SENT)
    late = waiting & Q(respond_by__lt=now)
    row = policy.referrals_visible_to(actor).filter(waiting).aggregate(
        incoming_waiting=Count("pk", filter=Q(to_agency_id=agency)),
        incoming_overdue=Count("pk", filter=late & Q(to_agency_id=agency)),
        outgoing_waiting=Count("pk", filter=Q(from_agency_id=agency)),
        outgoing_overdue=Count("pk", filter=late & Q(from_agency_id=agency)))
    return Counts(**row)


DIRECTIONS = ("incoming", "outgoing")


def referrals_of_agency(actor: Actor, direction: str = "incoming", status: str = "") -> QuerySet[Referral]:
    """The agency's incoming (or outgoing) referrals, waiting ones first by due time, then the rest newest
    first. A status narrows it ("sent": waiting)."""
    referrals = policy.referrals_visible_to(actor).select_related("case", "case__survivor", "from_agency",
                                                                   "to_agency")
    side = "to_agency_id" if direction == "incoming" else "from_agency_id"
    referrals = referrals.filter(**{side: actor.agency.pk})
    if status in v.ReferralStatus.values:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-status", "respond_by", "-sent_at") if status == v.ReferralStatus.SENT else \
        referrals.order_by("-sent_at", "-id")


@dataclass(frozen=True)
class ListedReferral:
    referral: Referral
    # Her name only where the reader may read the packet or the case: a withdrawn referral tells its
    # would-be receiver nothing more about her.
    name: str
    reference: str


def listed(actor: Actor, referrals: list[Referral]) -> list[ListedReferral]:
    """A page of the agency's referrals with what each row may show: a constant number of queries."""
    if not referrals:
        return []
    case_ids = {r.case_id for r in referrals}
    visible = set(policy.visible_among(actor, case_ids).values_list("pk", flat=True))
    waiting = set(policy.packets_waiting_for(actor, case_ids))
    rows = []
    for referral in referrals:
        sees_case = referral.case_id in visible
        sees_packet = sees_case or referral.pk in waiting
        rows.append(ListedReferral(referral=referral, name=referral.case.survivor.full_name if sees_packet else "",
                                   reference=referral.case.reference if sees_case else ""))
    return rows


def referrals_on_case(access: AccessDecision) -> list[Referral]:
    """A case's referrals, for a reader of its core record: to whom, from whom, where each stands."""
    if not access.visible or not access.sees(Facet.CORE):
        return []
    return list(Referral.objects.filter(case=access.case).select_related("from_agency", "to_agency")
                .order_by("-sent_at", "-id"))


@dataclass(frozen=True)
class Packet:
    """What the receiver reads before it accepts: who she is (her name and age, never where she is or how
    to reach her), why, how urgent, the needs it answers in her words, the incidents the sender chose
    (their summaries), the risk level if chosen, and the sender's note."""

    name: str
    age: int | None
    reason: str
    urgency: str
    needs: list[Need]
    incidents: list[Incident]
    risk_level: str
    risk_reasons: list
    note: str


def packet_of(access: ReferralAccess) -> Packet | None:
    if not access.sees_packet:
        return None
    referral = access.referral
    survivor = referral.case.survivor
    level, reasons = "", []
    if referral.packet_risk_level:
        from concord.risk.models import CaseRisk

        risk = CaseRisk.objects.filter(case_id=referral.case_id).first()
        if risk is not None:
            level, reasons = level_label(risk.level), reason_lines(risk.reasons)
    return Packet(name=survivor.full_name, age=survivor.age_on(), reason=referral.reason,
                  urgency=referral.get_urgency_display(), needs=list(referral.needs.all()),
                  incidents=list(referral.packet_incidents.all().order_by("-occurred_on")),
                  risk_level=level, risk_reasons=reasons, note=referral.packet_note)


@dataclass(frozen=True)
class ConsentToRefer:
    """Her consent to be referred to one agency, as the sender sees it before sending."""

    agency: Any
    decision: ConsentDecision | None  # the latest, whatever it says
    in_force: bool


def consent_to_refer_by_agency(case: Case, agencies: list) -> list[ConsentToRefer]:
    """For each agency she might be referred to: her latest decision about it and whether it lets the
    referral through (the rule of services.consent_to_refer). One query."""
    now = timezone.now()
    latest: dict[int, ConsentDecision] = {}
    for each in (ConsentDecision.objects.filter(case=case, scope=Scope.REFER_TO_SERVICE, decided_at__lte=now)
                 .order_by("decided_at", "id")):
        latest[each.agency_id] = each  # type: ignore[index]
    rows = []
    for agency in agencies:
        decision = latest.get(agency.pk)
        in_force = bool(decision and decision.decision == Decision.GIVEN
                        and (decision.expires_at is None or decision.expires_at > now))
        rows.append(ConsentToRefer(agency=agency, decision=decision, in_force=in_force))
    return rows
