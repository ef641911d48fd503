"""Writing referrals: send, accept, decline, complete, withdraw. Each is one transaction that takes the
access decision first, writes the referral, rewrites the case's derived access when who may see it
changes, and puts the step on the case's timeline.

A referral goes through on her consent to be referred to that agency (the consent ledger's "refer"
decision in force); without it, only a supervisor of the lead agency lets it through, naming a legal
basis, as for any override. Once accepted, the receiver is involved in the case under that consent (or
under an override made from the supervisor's authority, limited to what a referral needs)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.access.derive import override_facets, refresh_case
from concord.access.facets import Facet
from concord.accounts.models import Agency
from concord.cases.events import record_event
from concord.cases.models import Case, CaseAgency, Incident, Need
from concord.cases.vocabularies import NeedStatus
from concord.consent.models import ConsentDecision, Override
from concord.consent.selectors import decision_in_force
from concord.consent.services import check_without_consent
from concord.consent.vocabularies import Scope
from concord.policy import (
    Action,
    Actor,
    ReferralAccess,
    ReferralAction,
    decide_for_write,
    referral_access_for,
    referrals_visible_to,
)
from concord.protocols import services as protocols
from concord.protocols.calendar import calendar_for
from concord.protocols.vocabularies import Trigger
from concord.risk.vocabularies import TaskKind, TaskStatus

from . import vocabularies as v
from .events import ReferralEventKind
from .models import Referral

# Without a protocol that says otherwise, a referral is answered within two working days.
DEFAULT_REPLY_WORKING_DAYS = 2

# What an accepted referral made without her consent opens to the receiver: what it needs to act.
OVERRIDE_ON_ACCEPT_FACETS = (Facet.CORE, Facet.INCIDENT_NARRATIVES, Facet.NEEDS, Facet.REFERRAL_PACKET)

# How the outcome of a completed referral moves the needs it answered. "She ended the support" and
# "not met" leave them as they were: the need is still hers.
NEED_AFTER_OUTCOME: dict[str, str] = {v.Outcome.NEED_MET: NeedStatus.MET, v.Outcome.PARTLY_MET: NeedStatus.PARTLY_MET}


@dataclass
class ReferralDetails:
    """What the sender says: to whom, why, how urgent, what it answers and what the packet carries."""

    to_agency: Agency | None
    reason: str
    urgency: str = v.Urgency.ROUTINE
    needs: Iterable[Need] = field(default_factory=list)
    incidents: Iterable[Incident] = field(default_factory=list)
    packet_note: str = ""
    packet_risk_level: bool = True
    # Only when she has not agreed: a supervisor of the lead agency's authority.
    legal_basis: str = ""
    override_reason: str = ""


def consent_to_refer(case: Case, agency: Agency, at: datetime.datetime | None = None) -> ConsentDecision | None:
    """Her decision in force to be referred to this agency: the latest "refer" decision for it, if it is
    "given" and not expired; None otherwise (never asked, declined, withdrawn or lapsed)."""
    return decision_in_force(case, Scope.REFER_TO_SERVICE, agency=agency, at=at)


def latest_refer_decision(case: Case, agency: Agency) -> ConsentDecision | None:
    return (ConsentDecision.objects.filter(case=case, scope=Scope.REFER_TO_SERVICE, agency=agency)
            .order_by("-decided_at", "-id").first())


def _check_receiver(case: Case, actor: Actor, agency: Agency | None, errors: dict[str, str]) -> None:
    if agency is None or agency.area_id != case.area_id or not agency.is_active:
        errors["to_agency"] = _("Choose an active agency of this area.")
    elif agency.pk == actor.agency.pk:
        errors["to_agency"] = _("A referral goes to another agency.")
    elif agency.is_perpetrator_facing:
        errors["to_agency"] = _("A referral for her goes to a service for her, never to an agency working with "
                                "the person causing harm.")
    elif Referral.objects.filter(case=case, to_agency=agency, status__in=[v.ReferralStatus.SENT,
                                                                          v.ReferralStatus.ACCEPTED]).exists():
        errors["to_agency"] = _("%(agency)s already has a referral for her on this case.") % {"agency": agency.name}


def _chosen(model, chosen: Iterable, case: Case, allowed: bool, field_name: str, errors: dict[str, str]) -> list:
    ids = {item.pk for item in chosen}
    if not ids:
        return []
    if not allowed:
        errors[field_name] = _("Your agency's access to this case does not include these.")
        return []
    found = list(model.objects.filter(case=case, pk__in=ids))
    if len(found) != len(ids):
        errors[field_name] = _("Choose only records of this case.")
    return found


@transaction.atomic
def referral_send(*, actor: Actor, case: Case, details: ReferralDetails) -> Referral:
    access = decide_for_write(actor, case, Action.REFER)
    errors: dict[str, str] = {}
    _check_receiver(case, actor, details.to_agency, errors)
    if not details.reason.strip():
        errors["reason"] = _("Say why you are referring her.")
    if details.urgency not in v.Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    needs = _chosen(Need, details.needs, case, access.sees(Facet.NEEDS), "needs", errors)
    incidents = _chosen(Incident, details.incidents, case, access.sees(Facet.CORE), "incidents", errors)
    consent = consent_to_refer(case, details.to_agency) if "to_agency" not in errors and details.to_agency else None
    if consent is None and "to_agency" not in errors:
        check_without_consent(
            access, legal_basis=details.legal_basis, override_reason=details.override_reason, errors=errors,
            no_consent=_("She has not agreed to be referred to %(agency)s. Record her consent first; without it, "
                         "only a supervisor of the lead agency can send it, naming the legal basis.")
            % {"agency": details.to_agency.name},  # type: ignore[union-attr]
            not_authorised=_("Only a supervisor of the lead agency can send a referral without her consent."))
    if errors:
        raise ValidationError(errors)
    assert details.to_agency is not None
    now = timezone.now()
    referral = Referral.objects.create(
        case=case, from_agency=actor.agency, to_agency=details.to_agency, reason=details.reason.strip(),
        urgency=details.urgency, packet_note=details.packet_note.strip(), packet_risk_level=details.packet_risk_level,
        consent_basis=v.ConsentBasis.CONSENT if consent else v.ConsentBasis.OVERRIDE, consent_decision=consent,
        legal_basis="" if consent else details.legal_basis,
        override_reason="" if consent else details.override_reason.strip(),
        sent_by=actor.user, sent_at=now,
        respond_by=calendar_for(case.area).due_after(now, working_days=DEFAULT_REPLY_WORKING_DAYS))
    referral.needs.set(needs)
    referral.packet_incidents.set(incidents)
    refresh_case(case)
    record_event(access=access, kind=ReferralEventKind.SENT, object_id=referral.pk,
                 params={**_params(referral), "urgency": referral.urgency, "basis": referral.consent_basis},
                 fields=["to_agency", "reason", "urgency", "needs", "packet"])
    # The area's protocol for a referral opens the receiver's task to answer it; its deadline is the
    # referral's reply date.
    tasks = protocols.fire(Trigger.REFERRAL_SENT, case, subject=subject_of(referral), referral=referral, at=now)
    if tasks:
        referral.respond_by = min(task.due_at for task in tasks)
        referral.save(update_fields=["respond_by"])
    return referral


def subject_of(referral: Referral) -> str:
    """What a protocol's task about this referral is about."""
    return f"referral:{referral.pk}"


def _answered(referral: Referral, outcome: str, status: str = TaskStatus.DONE) -> None:
    protocols.satisfy(referral.case, subject=subject_of(referral), kinds=[TaskKind.ANSWER_REFERRAL], outcome=outcome,
                      status=status)


def _params(referral: Referral) -> dict:
    return {"from_agency": referral.from_agency.name, "to_agency": referral.to_agency.name,
            "to_agency_id": referral.to_agency_id}


def _locked(actor: Actor, referral: Referral, action: ReferralAction, expected_version: int | None
            ) -> ReferralAccess:
    """The referral locked for this change, its access taken again on what is committed: a sender's
    withdrawal and the receiver's answer, at the same moment, happen one after the other."""
    current = (referrals_visible_to(actor).select_for_update(of=("self",))
               .select_related("case__area", "case__survivor", "from_agency", "to_agency").get(pk=referral.pk))
    if expected_version is not None and current.version != expected_version:
        raise ValidationError({"version": _("This referral changed while you were looking at it (it is now: "
                                            "%(status)s). Look again before you answer.")
                               % {"status": current.get_status_display()}})
    access = referral_access_for(actor, current)
    if not access.may(action):
        raise PermissionDenied(_("This referral cannot be %(done)s by your agency now (it is: %(status)s).")
                               % {"done": _ACTION_DONE[action], "status": current.get_status_display()})
    return access


_ACTION_DONE = {ReferralAction.ACCEPT: "accepted", ReferralAction.DECLINE: "declined",
                ReferralAction.COMPLETE: "completed", ReferralAction.WITHDRAW: "withdrawn"}


def _answer(referral: Referral, actor: Actor, status: str, now: datetime.datetime) -> None:
    referral.status, referral.responded_by, referral.responded_at = status, actor.user, now
    referral.version += 1


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral, expected_version: int | None = None) -> Referral:
    """The receiving agency takes her on: it becomes involved in the case, under the consent that allowed
    the referral, or under an override from the sending supervisor's authority when there was none."""
    access = _locked(actor, referral, ReferralAction.ACCEPT, expected_version)
    current, case, now = access.referral, access.referral.case, timezone.now()
    if not CaseAgency.objects.filter(case=case, agency=current.to_agency, ended_at__isnull=True).exists():
        reason = _("Accepted a referral from %(agency)s") % {"agency": current.from_agency.name}
        CaseAgency.objects.create(case=case, agency=current.to_agency, added_by=actor.user, reason=reason)
    if current.consent_basis == v.ConsentBasis.OVERRIDE:
        current.override = Override.objects.create(
            case=case, agency=current.to_agency, legal_basis=current.legal_basis, reason=current.override_reason,
            facets=override_facets(OVERRIDE_ON_ACCEPT_FACETS), authorised_by=current.sent_by,
            authorised_for=current.from_agency, starts_at=now, expires_at=Override.default_expiry())
    _answer(current, actor, v.ReferralStatus.ACCEPTED, now)
    current.save(update_fields=["status", "responded_by", "responded_at", "override", "version"])
    refresh_case(case)
    record_event(access=access.decision, kind=ReferralEventKind.ACCEPTED, object_id=current.pk,
                 params=_params(current), fields=["status"])
    _answered(current, _("Referral accepted"))
    return current


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str, note: str = "",
                     expected_version: int | None = None) -> Referral:
    """The receiving agency cannot take her on, and says why. Her needs stay open: declining one service
    never closes her support."""
    errors: dict[str, str] = {}
    if reason not in v.DeclineReason.values:
        errors["reason"] = _("Choose why you cannot take the referral.")
    elif reason == v.DeclineReason.OTHER and not note.strip():
        errors["note"] = _("Say what the reason is.")
    if errors:
        raise ValidationError(errors)
    access = _locked(actor, referral, ReferralAction.DECLINE, expected_version)
    current = access.referral
    _answer(current, actor, v.ReferralStatus.DECLINED, timezone.now())
    current.decline_reason, current.decline_note = reason, note.strip()
    current.closed_by, current.closed_at = actor.user, current.responded_at
    current.save(update_fields=["status", "responded_by", "responded_at", "decline_reason", "decline_note",
                                "closed_by", "closed_at", "version"])
    refresh_case(current.case)
    record_event(access=access.decision, kind=ReferralEventKind.DECLINED, object_id=current.pk,
                 params={**_params(current), "reason": reason}, fields=["status", "decline_reason"])
    _answered(current, _("Referral declined"))
    return current


@transaction.atomic
def referral_complete(*, actor: Actor, referral: Referral, outcome: str, note: str = "",
                      expected_version: int | None = None) -> Referral:
    """The receiving agency's work on the referral is over; the needs it answered follow the outcome."""
    if outcome not in v.Outcome.values:
        raise ValidationError({"outcome": _("Choose how it ended.")})
    access = _locked(actor, referral, ReferralAction.COMPLETE, expected_version)
    current, now = access.referral, timezone.now()
    current.status, current.outcome, current.outcome_note = v.ReferralStatus.COMPLETED, outcome, note.strip()
    current.closed_by, current.closed_at = actor.user, now
    current.version += 1
    current.save(update_fields=["status", "outcome", "outcome_note", "closed_by", "closed_at", "version"])
    moved = _needs_follow(current, outcome, now)
    record_event(access=access.decision, kind=ReferralEventKind.COMPLETED, object_id=current.pk,
                 params={**_params(current), "outcome": outcome, "needs_moved": moved}, fields=["status", "outcome"])
    return current


def _needs_follow(referral: Referral, outcome: str, now: datetime.datetime) -> int:
    """Move the needs the referral answered as its outcome says; a need already met stays met. Saved one
    by one, so that each need's history shows the change."""
    status = NEED_AFTER_OUTCOME.get(outcome)
    if status is None:
        return 0
    moved = 0
    for need in referral.needs.select_for_update().exclude(status__in=[NeedStatus.MET, status]):
        need.status, need.updated_at = status, now
        need.version += 1
        need.save(update_fields=["status", "updated_at", "version"])
        moved += 1
    return moved


@transaction.atomic
def referral_withdraw(*, actor: Actor, referral: Referral, reason: str,
                      expected_version: int | None = None) -> Referral:
    """The sender takes back a referral still waiting for a reply (she changed her mind, it went to the
    wrong service); the receiver no longer sees its packet."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are withdrawing it.")})
    access = _locked(actor, referral, ReferralAction.WITHDRAW, expected_version)
    current, now = access.referral, timezone.now()
    current.status, current.withdraw_reason = v.ReferralStatus.WITHDRAWN, reason.strip()
    current.closed_by, current.closed_at = actor.user, now
    current.version += 1
    current.save(update_fields=["status", "withdraw_reason", "closed_by", "closed_at", "version"])
    refresh_case(current.case)
    record_event(access=access.decision, kind=ReferralEventKind.WITHDRAWN, object_id=current.pk,
                 params=_params(current), fields=["status"])
    _answered(current, _("Referral withdrawn"), TaskStatus.CANCELLED)
    return current
