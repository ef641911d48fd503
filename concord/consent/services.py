"""Recording consent, authorising overrides, and granting need-to-know of protected information.

Each service checks the access rule, runs in one transaction and writes the case's timeline event.
Consent decisions and overrides are append-only: a change of mind is a new decision, and an override
is ended, never edited.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Agency
from concord.cases.models import Case
from concord.cases.services import record_event
from concord.cases.vocabularies import CaseEventKind
from concord.policy import Actor

from .models import ConsentDecision, Override, ProtectedInfoGrant
from .vocabularies import Decision, LegalBasis, Method, Scope

MAX_OVERRIDE_DAYS = 90


def _same_area(case: Case, agency: Agency | None, field: str = "agency") -> None:
    if agency is not None and agency.area_id != case.area_id:
        raise ValidationError({field: _("Choose an agency of this area.")})


@transaction.atomic
def consent_record(*, actor: Actor, case: Case, scope: str, decision: str, method: str,
                   agency: Agency | None = None, sector: str = "", channel: str = "",
                   decided_at: datetime.datetime | None = None, expires_at: datetime.datetime | None = None,
                   note: str = "") -> ConsentDecision:
    """Add her decision to the ledger.

    Any agency that may see the case can record a refusal or a withdrawal: whoever she tells must be
    able to stop the sharing at once. A "given" that widens who sees her case (sharing with an agency
    or a sector) is recorded by the lead agency only, so an agency cannot consent itself into access
    (say, to keep it after an override expires); a "given" for a contact channel only by those who
    hold her contact details."""
    if not policy.can_contribute(actor, case):
        raise PermissionDenied(_("Your agency cannot record consent on this case."))
    if decision == Decision.GIVEN:
        if scope in (Scope.SHARE_WITH_AGENCY, Scope.SHARE_WITH_SECTOR) and not policy.can_manage(actor, case):
            raise PermissionDenied(_("Only the lead agency can record her agreement to share her case."))
        if scope == Scope.CONTACT_BY_CHANNEL and not policy.can_see_protected(actor, case):
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
    record.save()
    summary = consent_event_summary(scope=scope, scope_label=record.get_scope_display(),
                                    target_label=record.target_label, decision_label=record.get_decision_display())
    record_event(actor=actor, case=case, kind=CaseEventKind.CONSENT_RECORDED, summary=summary,
                 object_id=record.pk, fields=["scope", "decision", "method", "decided_at", "expires_at", "note"])
    return record


def consent_event_summary(*, scope: str, scope_label: str, target_label: str, decision_label: str) -> str:
    """The timeline's line for a decision. How she may be contacted is a safe-contact detail: the
    timeline, which every agency on the case reads, says only that it was recorded."""
    if scope == Scope.CONTACT_BY_CHANNEL:
        return str(_("How she may be contacted: recorded"))
    return f"{scope_label} — {target_label}: {decision_label}"


def _check_target(record: ConsentDecision) -> None:
    needs = {Scope.SHARE_WITH_AGENCY: "agency", Scope.REFER_TO_SERVICE: "agency",
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
                       expires_at: datetime.datetime | None = None) -> Override:
    """A supervisor of the lead agency lets an agency see the case without her consent, on a
    legal basis, for a limited time (30 days unless said otherwise, 90 at most)."""
    if not policy.can_authorise_override(actor, case):
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
    override = Override.objects.create(case=case, agency=agency, legal_basis=legal_basis, reason=reason.strip(),
                                       authorised_by=actor.user, authorised_for=actor.agency, starts_at=now,
                                       expires_at=expires_at)
    record_event(actor=actor, case=case, kind=CaseEventKind.OVERRIDE_GRANTED,
                 summary=f"{agency.name}: {override.get_legal_basis_display()} (until {expires_at:%d %b %Y})",
                 object_id=override.pk)
    return override


@transaction.atomic
def override_end(*, actor: Actor, override: Override) -> Override:
    if not policy.can_authorise_override(actor, override.case):
        raise PermissionDenied(_("Only a supervisor of the lead agency can end an override."))
    if override.ended_at is None:
        override.ended_at, override.ended_by = timezone.now(), actor.user
        override.save(allow_update=True, update_fields=["ended_at", "ended_by"])
        record_event(actor=actor, case=override.case, kind=CaseEventKind.OVERRIDE_ENDED,
                 summary=override.agency.name)
    return override


@transaction.atomic
def protected_info_grant(*, actor: Actor, case: Case, agency: Agency, reason: str) -> ProtectedInfoGrant:
    """The lead agency shares her locations and contact details with an agency that needs to know."""
    if not policy.can_manage(actor, case):
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
    record_event(actor=actor, case=case, kind=CaseEventKind.PROTECTED_GRANTED,
                 summary=agency.name)
    return grant


@transaction.atomic
def protected_info_revoke(*, actor: Actor, grant: ProtectedInfoGrant) -> ProtectedInfoGrant:
    if not policy.can_manage(actor, grant.case):
        raise PermissionDenied(_("Only the lead agency can stop sharing protected information."))
    if grant.ended_at is None:
        grant.ended_at, grant.ended_by = timezone.now(), actor.user
        grant.save(update_fields=["ended_at", "ended_by"])
        record_event(actor=actor, case=grant.case, kind=CaseEventKind.PROTECTED_ENDED,
                 summary=grant.agency.name)
    return grant
