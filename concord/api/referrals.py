"""Referrals: sent from a case (`/cases/{reference}/referrals`), and answered from the agency's own list
(`/referrals`): accept, decline, complete, withdraw. The receiver of a waiting referral reads its packet
at `/referrals/{id}` and nothing else of the case (the case's own operations answer 404 until it
accepts); an agency on neither side of a referral gets 404."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord import policy
from concord.cases.models import Incident, Need
from concord.policy import ReferralAccess
from concord.referrals import selectors, services
from concord.referrals.models import Referral
from concord.referrals.services import ReferralDetails

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import Reference, ReferralId
from .reads import case_access, log_read
from .references import area_agency
from .schemas import (
    ReferralAnswerIn,
    ReferralCompleteIn,
    ReferralDeclineIn,
    ReferralFilters,
    ReferralIn,
    ReferralOut,
    ReferralWithdrawIn,
)

on_case = Router(tags=["referrals"])
router = Router(tags=["referrals"])

REFERRAL = "referral"


@on_case.get("/{reference}/referrals", response=responses({200: list[ReferralOut]}, 401, 404, 422),
             summary="The case's referrals, newest first (each one's packet is on GET /referrals/{id})")
@paginate(Pages)
def list_case_referrals(request: HttpRequest, reference: Reference) -> list[Referral]:
    access = case_access(request, reference)
    log_read(access, REFERRAL, None, ["status"])
    return selectors.referrals_on_case(access)


@on_case.post("/{reference}/referrals", response=responses({201: ReferralOut}, 400, 401, 403, 404, 422),
              summary="Send a referral (on her consent to it, or a lead supervisor's legal basis)")
def send_referral(request: HttpRequest, reference: Reference, payload: ReferralIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    referral = services.referral_send(actor=actor, case=access.case, details=ReferralDetails(
        to_agency=area_agency(actor, payload.to_agency, field="to_agency"), reason=payload.reason,
        urgency=payload.urgency, needs=[Need(pk=pk) for pk in payload.needs],
        incidents=[Incident(pk=pk) for pk in payload.incidents], packet_note=payload.packet_note,
        packet_risk_level=payload.packet_risk_level, legal_basis=payload.legal_basis or "",
        override_reason=payload.override_reason))
    return Status(201, referral)


@router.get("", response=responses({200: list[ReferralOut]}, 401, 422),
            summary="Your agency's incoming (or outgoing) referrals; waiting ones first when status=sent")
@paginate(Pages)
def list_referrals(request: HttpRequest, filters: Query[ReferralFilters]) -> QuerySet[Referral]:
    actor = actor_of(request)
    return selectors.referrals_of_agency(actor, filters.direction, filters.status or "")


def _seen(request: HttpRequest, referral_id: int) -> ReferralAccess:
    seen = policy.referral_access(actor_of(request), referral_id)
    request.case_access = seen.decision  # type: ignore[attr-defined]  # what the output's facets read
    return seen


def _shown(request: HttpRequest, referral_id: int) -> Referral:
    """The referral again after a change, with its packet where the reader holds it."""
    seen = _seen(request, referral_id)
    referral = seen.referral
    referral.packet = selectors.packet_of(seen)  # type: ignore[attr-defined]
    if referral.packet is not None:  # type: ignore[attr-defined]
        log_read(seen.decision, REFERRAL, referral.pk, ["packet"])
    return referral


@router.get("/{referral_id}", response=responses({200: ReferralOut}, 401, 404, 422),
            summary="One referral, with its packet if you may read it")
def get_referral(request: HttpRequest, referral_id: ReferralId) -> Referral:
    return _shown(request, referral_id)


@router.post("/{referral_id}/accept", response=responses({200: ReferralOut}, 400, 401, 403, 404, 422),
             summary="Accept: your agency becomes involved in her case under the consent that allowed it")
def accept_referral(request: HttpRequest, referral_id: ReferralId, payload: ReferralAnswerIn) -> Referral:
    seen = _seen(request, referral_id)
    services.referral_accept(actor=actor_of(request), referral=seen.referral, expected_version=payload.version)
    return _shown(request, referral_id)


@router.post("/{referral_id}/decline", response=responses({200: ReferralOut}, 400, 401, 403, 404, 422),
             summary="Decline, with a reason (her needs stay open)")
def decline_referral(request: HttpRequest, referral_id: ReferralId, payload: ReferralDeclineIn) -> Referral:
    seen = _seen(request, referral_id)
    services.referral_decline(actor=actor_of(request), referral=seen.referral, reason=payload.reason,
                              note=payload.note, expected_version=payload.version)
    return _shown(request, referral_id)


@router.post("/{referral_id}/complete", response=responses({200: ReferralOut}, 400, 401, 403, 404, 422),
             summary="Complete, with an outcome (the needs it answered follow it)")
def complete_referral(request: HttpRequest, referral_id: ReferralId, payload: ReferralCompleteIn) -> Referral:
    seen = _seen(request, referral_id)
    services.referral_complete(actor=actor_of(request), referral=seen.referral, outcome=payload.outcome,
                               note=payload.note, expected_version=payload.version)
    return _shown(request, referral_id)


@router.post("/{referral_id}/withdraw", response=responses({200: ReferralOut}, 400, 401, 403, 404, 422),
             summary="Withdraw a referral your agency sent that is still waiting for a reply")
def withdraw_referral(request: HttpRequest, referral_id: ReferralId, payload: ReferralWithdrawIn) -> Referral:
    seen = _seen(request, referral_id)
    services.referral_withdraw(actor=actor_of(request), referral=seen.referral, reason=payload.reason,
                               expected_version=payload.version)
    return _shown(request, referral_id)
