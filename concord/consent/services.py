"""Recording consent, authorising overrides, and granting need-to-know of protected information.

Each service takes the access decision before it writes, checks it, runs in one transaction, writes
the case's timeline event, and recomputes the derived access table for the case
(concord.access.derive) in the same transaction, so the change holds from the very next request.
Consent decisions and overrides are append-only: a change of mind is a new decision, and an override
is ended, never edited.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.access.derive import override_facets, refresh_case
from concord.access.facets import NEVER_FOR_PERPETRATOR_FACING, OVERRIDE_CHOOSABLE_FACETS, OVERRIDE_DEFAULT_FACETS
from concord.accounts.models import PERPETRATOR_FACING_SECTORS, Agency
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.cases.services import _decided
from concord.policy import AccessDecision, Action, Actor

from .events import ConsentEventKind, consent_params
from .models import ConsentDecision, Override, ProtectedInfoGrant, WithdrawalToConfirm
from .vocabularies import Decision, LegalBasis, Method, Scope

MAX_OVERRIDE_DAYS = 90
# How long the lead agency has to confirm a withdrawal another agency was told of (shown on the case).
WITHDRAWAL_CONFIRM_WITHIN = datetime.timedelta(days=2)
NARROWING = (Decision.DECLINED, Decision.WITHDRAWN)
SHARING = (Scope.SHARE_WITH_AGENCY, Scope.SHARE_WITH_SECTOR)


def check_without_consent(access: AccessDecision, *, legal_basis: str, override_reason: str,
                          errors: dict[str, str], no_consent: str, not_authorised: str) -> None:
    """Going ahead without her consent (a referral, a conference): only a supervisor of the lead agency,
    naming the legal basis and why it cannot wait. Adds the field messages to `errors`."""
    if not legal_basis:
        errors["consent"] = no_consent
    elif not access.may(Action.AUTHORISE_OVERRIDE):
        errors["legal_basis"] = not_authorised
    elif legal_basis not in LegalBasis.values:
        errors["legal_basis"] = _("Choose the legal basis.")
    elif not override_reason.strip():
        errors["override_reason"] = _("Write why it cannot wait for her consent.")


def _same_area(case: Case, agency: Agency | None, field: str = "agency") -> None:
    if agency is not None and agency.area_id != case.area_id:
        raise ValidationError({field: _("Choose an agency of this area.")})


@transaction.atomic
def consent_record(*, actor: Actor, case: Case, scope: str, decision: str, method: str,
                   agency: Agency | None = None, sector: str = "", channel: str = "",
                   decided_at: datetime.datetime | None = None, expires_at: datetime.datetime | None = None,
                   note: str = "") -> ConsentDecision | WithdrawalToConfirm:
    """Add her decision to the ledger (docs/decisions/0007-who-records-a-withdrawal.md).

    A "given" that widens who sees her case (sharing with an agency or a sector) is recorded by the
    lead agency only, so an agency cannot consent itself into access (say, to keep it after an override
    expires); a "given" for a contact channel only by those who hold her contact details.

    A refusal or withdrawal of sharing must be quick to record and must not cut her off from support on
    one agency's word. It takes effect at once when the lead agency records it, when an agency records
    it about sharing with itself, or when it narrows sharing with an agency working with the person
    causing harm. Otherwise (another agency told of her withdrawal from, say, the advocacy service) it
    goes to the lead agency to confirm by a deadline, and is returned as a WithdrawalToConfirm. An agency
    working with the person causing harm records no decision about anyone but itself."""
    access = _decided(actor, case, Action.RECORD_REFUSAL)
    if actor.agency.is_perpetrator_facing and not (scope in (Scope.SHARE_WITH_AGENCY, Scope.REFER_TO_SERVICE)
                                                   and agency is not None and agency.pk == actor.agency.pk):
        raise PermissionDenied(_("An agency working with the person causing harm records only her decisions "
                                 "about sharing with itself."))
    if decision == Decision.GIVEN:
        if scope in (Scope.SHARE_WITH_AGENCY, Scope.SHARE_WITH_SECTOR) and not access.may(
                Action.RECORD_SHARING_CONSENT):
            raise PermissionDenied(_("Only the lead agency can record her agreement to share her case."))
        if scope == Scope.CONTACT_BY_CHANNEL and not access.may(Action.RECORD_CONTACT_CONSENT):
            raise PermissionDenied(_("Only agencies that hold her contact details can record how she may "
                                     "be contacted."))

    _same_area(case, agency)
    decided_at = decided_at or timezone.now()
    if decided_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"decided_at": _("A decision cannot be recorded in the future.")})
    if expires_at is not None and expires_at <= decided_at:
        raise ValidationError({"expires_at": _("The expiry must be after the decision.")})
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose given, declined or withdrawn.")})
    if method not in Method.values:
        raise ValidationError({"method": _("Say how she gave her decision.")})
    record = ConsentDecision(case=case, scope=scope, decision=decision, method=method, agency=agency,
                             sector=sector or "", channel=channel or "", decided_at=decided_at,
                             expires_at=expires_at, note=note, recorded_by=actor.user, recorded_for=actor.agency)
    _check_target(record)
    record.full_clean()
    if decision in NARROWING and scope in SHARING and not _takes_effect_at_once(access, agency, sector):
        return _withdrawal_to_confirm(access, record)
    record.save()
    if scope in (Scope.SHARE_WITH_AGENCY, Scope.SHARE_WITH_SECTOR, Scope.REFER_TO_SERVICE):
        # Her consent to be referred to an agency is what an accepted referral's access stands on.
        refresh_case(case)
    record_event(access=access, kind=ConsentEventKind.CONSENT_RECORDED, object_id=record.pk,
                 params=consent_params(scope=scope, decision=decision, agency=agency, sector=sector, channel=channel),
                 fields=["scope", "decision", "method", "decided_at", "expires_at", "note"])
    return record


def _takes_effect_at_once(access: AccessDecision, agency: Agency | None, sector: str) -> bool:
    if access.may(Action.MANAGE):
        return True  # the lead agency
    if agency is not None:
        return agency.pk == access.own_agency_id or agency.is_perpetrator_facing
    return sector in PERPETRATOR_FACING_SECTORS


def _withdrawal_to_confirm(access: AccessDecision, record: ConsentDecision) -> WithdrawalToConfirm:
    """The decision, validated as the ledger would take it, kept for the lead agency to confirm instead."""
    pending = WithdrawalToConfirm.objects.create(
        case=record.case, scope=record.scope, decision=record.decision, method=record.method, agency=record.agency,
        sector=record.sector, decided_at=record.decided_at, note=record.note, recorded_by=record.recorded_by,
        recorded_for=record.recorded_for, due_at=timezone.now() + WITHDRAWAL_CONFIRM_WITHIN)
    record_event(access=access, kind=ConsentEventKind.WITHDRAWAL_TO_CONFIRM, object_id=pending.pk,
                 params={**consent_params(scope=record.scope, decision=record.decision, agency=record.agency,
                                          sector=record.sector),
                         "due_at": pending.due_at.isoformat(), "recorded_for": record.recorded_for.name},
                 fields=["scope", "decision", "method", "decided_at", "note"])
    return pending


@transaction.atomic
def withdrawal_resolve(*, actor: Actor, withdrawal: WithdrawalToConfirm, confirm: bool,
                       note: str = "") -> WithdrawalToConfirm:
    """The lead agency confirms a withdrawal another agency was told of (it enters the ledger as she made
    it, and sharing narrows at once), or does not, saying why (she may have told the lead otherwise)."""
    access = _decided(actor, withdrawal.case, Action.MANAGE)
    current = WithdrawalToConfirm.objects.select_for_update().get(pk=withdrawal.pk)
    if not current.is_open:
        raise ValidationError(_("This withdrawal has already been %(outcome)s.")
                              % {"outcome": current.get_outcome_display()})
    if not confirm and not note.strip():
        raise ValidationError({"outcome_note": _("Say why the lead agency does not confirm it.")})
    if confirm:
        current.decision_recorded = ConsentDecision.objects.create(
            case=current.case, scope=current.scope, decision=current.decision, method=current.method,
            agency=current.agency, sector=current.sector, decided_at=current.decided_at, note=current.note,
            recorded_by=current.recorded_by, recorded_for=current.recorded_for)
    current.outcome = WithdrawalToConfirm.Outcome.CONFIRMED if confirm else WithdrawalToConfirm.Outcome.NOT_CONFIRMED
    current.outcome_note = note.strip()[:2000]
    current.resolved_by, current.resolved_at = actor.user, timezone.now()
    current.save()
    if confirm:
        refresh_case(current.case)
    kind = ConsentEventKind.WITHDRAWAL_CONFIRMED if confirm else ConsentEventKind.WITHDRAWAL_NOT_CONFIRMED
    record_event(access=access, kind=kind, object_id=current.pk,
                 params=consent_params(scope=current.scope, decision=current.decision, agency=current.agency,
                                       sector=current.sector),
                 fields=["outcome", "outcome_note"])
    return current


def _check_target(record: ConsentDecision) -> None:
    needs: dict[str, str] = {Scope.SHARE_WITH_AGENCY: "agency", Scope.REFER_TO_SERVICE: "agency",
             Scope.SHARE_WITH_SECTOR: "sector", Scope.CONTACT_BY_CHANNEL: "channel"}
    if record.scope not in Scope.values:
        raise ValidationError({"scope": _("Choose what the decision covers.")})
    wanted = needs.get(record.scope)
    for field in ("agency", "sector", "channel"):
        present = bool(getattr(record, f"{field}_id" if field == "agency" else field))
        if field == wanted and not present:
            raise ValidationError({field: _("Say which %(what)s this decision is about.") % {"what": field}})
        if field != wanted and present:
            raise ValidationError({field: _("This kind of decision is not about a %(what)s.") % {"what": field}})


@transaction.atomic
def override_authorise(*, actor: Actor, case: Case, agency: Agency, legal_basis: str, reason: str,
                       expires_at: datetime.datetime | None = None,
                       facets: Iterable[str] = OVERRIDE_DEFAULT_FACETS) -> Override:
    """A supervisor of the lead agency lets an agency see part of the case without her consent, on a
    legal basis, for a limited time (30 days unless said otherwise, 90 at most). Its purpose names the
    facets it opens (by default the core record and incident narratives); never her protected details,
    which need a separate need-to-know grant."""
    access = _decided(actor, case)
    if not access.may(Action.AUTHORISE_OVERRIDE):
        raise PermissionDenied(_("Only a supervisor of the lead agency can authorise an override."))
    _same_area(case, agency)
    if legal_basis not in LegalBasis.values:
        raise ValidationError({"legal_basis": _("Choose the legal basis.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the override is needed.")})
    now = timezone.now()
    expires_at = expires_at or Override.default_expiry()
    if not now < expires_at <= now + datetime.timedelta(days=MAX_OVERRIDE_DAYS):
        raise ValidationError({"expires_at": _("An override must expire within %(days)s days.")
                               % {"days": MAX_OVERRIDE_DAYS}})
    chosen = set(facets)
    if chosen - OVERRIDE_CHOOSABLE_FACETS:
        raise ValidationError({"facets": _("An override never opens her protected details or the lead agency's "
                                           "oversight; share protected details on need-to-know instead.")})
    if agency.is_perpetrator_facing and chosen & NEVER_FOR_PERPETRATOR_FACING:
        # The decision would drop them anyway; saying so here keeps the record true to what it opens.
        raise ValidationError({"facets": _("An agency working with the person causing harm never sees her risk "
                                           "answers or her safety plan, on any basis.")})
    override = Override.objects.create(case=case, agency=agency, legal_basis=legal_basis, reason=reason.strip(),
                                       facets=override_facets(chosen), authorised_by=actor.user,
                                       authorised_for=actor.agency, starts_at=now, expires_at=expires_at)
    refresh_case(case)
    record_event(access=access, kind=ConsentEventKind.OVERRIDE_GRANTED, object_id=override.pk,
                 params={"agency_id": agency.pk, "agency": agency.name, "legal_basis": legal_basis,
                         "expires_at": expires_at.isoformat(), "facets": override.facets})
    return override


@transaction.atomic
def override_end(*, actor: Actor, override: Override) -> Override:
    access = _decided(actor, override.case)
    if not access.may(Action.AUTHORISE_OVERRIDE):
        raise PermissionDenied(_("Only a supervisor of the lead agency can end an override."))
    if override.ended_at is None:
        override.ended_at, override.ended_by = timezone.now(), actor.user
        override.save(allow_update=True, update_fields=["ended_at", "ended_by"])
        refresh_case(override.case)
        record_event(access=access, kind=ConsentEventKind.OVERRIDE_ENDED, object_id=override.pk,
                     params={"agency_id": override.agency_id, "agency": override.agency.name})
    return override


@transaction.atomic
def protected_info_grant(*, actor: Actor, case: Case, agency: Agency, reason: str) -> ProtectedInfoGrant:
    """The lead agency shares her locations and contact details with an agency that needs to know."""
    access = _decided(actor, case)
    if not access.may(Action.MANAGE):
        raise PermissionDenied(_("Only the lead agency can share protected information."))
    _same_area(case, agency)
    if agency.is_perpetrator_facing:
        raise ValidationError({"agency": _("Agencies working with the person causing harm can never see "
                                           "her locations or contact details.")})
    if agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("The lead agency already sees protected information.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Write why they need to know.")})
    if ProtectedInfoGrant.objects.filter(case=case, agency=agency, ended_at__isnull=True).exists():
        raise ValidationError({"agency": _("%(agency)s already has this.") % {"agency": agency.name}})
    grant = ProtectedInfoGrant.objects.create(case=case, agency=agency, reason=reason.strip(), granted_by=actor.user)
    refresh_case(case)
    record_event(access=access, kind=ConsentEventKind.PROTECTED_GRANTED, object_id=grant.pk,
                 params={"agency_id": agency.pk, "agency": agency.name})
    return grant


@transaction.atomic
def protected_info_revoke(*, actor: Actor, grant: ProtectedInfoGrant) -> ProtectedInfoGrant:
    access = _decided(actor, grant.case)
    if not access.may(Action.MANAGE):
        raise PermissionDenied(_("Only the lead agency can stop sharing protected information."))
    if grant.ended_at is None:
        grant.ended_at, grant.ended_by = timezone.now(), actor.user
        grant.save(update_fields=["ended_at", "ended_by"])
        refresh_case(grant.case)
        record_event(access=access, kind=ConsentEventKind.PROTECTED_ENDED, object_id=grant.pk,
                     params={"agency_id": grant.agency_id, "agency": grant.agency.name})
    return grant
