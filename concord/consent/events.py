"""The consent ledger's timeline events, registered by ConsentConfig.ready()."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.access.facets import Facet
from concord.accounts.models import Sector
from concord.audit.models import AuditAction, ObjectType
from concord.cases.events import EventKind, agency_named, day, label_of, register

from .vocabularies import Channel, Decision, LegalBasis, Scope


class ConsentEventKind(models.TextChoices):
    CONSENT_RECORDED = "consent_recorded", gettext_lazy("Consent recorded")
    OVERRIDE_GRANTED = "override_granted", gettext_lazy("Override authorised")
    OVERRIDE_ENDED = "override_ended", gettext_lazy("Override ended")
    PROTECTED_GRANTED = "protected_granted", gettext_lazy("Protected information shared")
    PROTECTED_ENDED = "protected_ended", gettext_lazy("Protected information no longer shared")
    WITHDRAWAL_TO_CONFIRM = "withdrawal_to_confirm", gettext_lazy("Withdrawal sent to the lead agency to confirm")
    WITHDRAWAL_CONFIRMED = "withdrawal_confirmed", gettext_lazy("Withdrawal confirmed by the lead agency")
    WITHDRAWAL_NOT_CONFIRMED = "withdrawal_not_confirmed", gettext_lazy("Withdrawal not confirmed by the lead agency")


def consent_params(*, scope: str, decision: str, agency=None, sector: str = "", channel: str = "") -> dict:
    return {"scope": scope, "decision": decision, "agency_id": agency.pk if agency else None,
            "agency": agency.name if agency else "", "sector": sector, "channel": channel}


def _consent(params, reader):
    scope = params.get("scope")
    if params.get("agency"):
        target = params["agency"]
    elif params.get("sector"):
        target = label_of(Sector, params["sector"])
    elif params.get("channel"):
        target = label_of(Channel, params["channel"])
    else:
        target = _("multi-agency conference")
    return f"{label_of(Scope, scope)} — {target}: {label_of(Decision, params.get('decision'))}"


def _to_confirm(params, reader):
    return _("%(decision)s, told to %(agency)s; to confirm by %(date)s") % {
        "decision": _consent(params, reader), "agency": params.get("recorded_for", ""),
        "date": day(params.get("due_at"))}


def _consent_facet(params) -> str:
    # How she may be contacted is a safe-contact detail, seen with her other protected information.
    return Facet.CONTACT_CHANNELS if params.get("scope") == Scope.CONTACT_BY_CHANNEL else Facet.CONSENT


def _override(params, reader):
    from concord.access.facets import facet_labels

    text = _("%(agency)s: %(basis)s (until %(date)s)") % {
        "agency": params.get("agency", ""), "basis": label_of(LegalBasis, params.get("legal_basis")),
        "date": day(params.get("expires_at"))}
    if params.get("facets"):
        text += " — " + _("opens: %(facets)s") % {"facets": ", ".join(facet_labels(params["facets"]))}
    return text


K = ConsentEventKind
CONSENT_EVENT_KINDS = (
    EventKind(K.CONSENT_RECORDED, K.CONSENT_RECORDED.label, Facet.CONSENT, AuditAction.CREATE, ObjectType.CONSENT,
              _consent, facet_of=_consent_facet),
    # Another agency's override, its legal basis and its expiry are the lead agency's oversight; the
    # agency it is for sees its own (AccessDecision.sees_event).
    EventKind(K.OVERRIDE_GRANTED, K.OVERRIDE_GRANTED.label, Facet.OVERRIDES, AuditAction.CREATE,
              ObjectType.OVERRIDE, _override),
    EventKind(K.OVERRIDE_ENDED, K.OVERRIDE_ENDED.label, Facet.OVERRIDES, AuditAction.UPDATE, ObjectType.OVERRIDE,
              agency_named),
    EventKind(K.PROTECTED_GRANTED, K.PROTECTED_GRANTED.label, Facet.PROTECTED, AuditAction.CREATE,
              ObjectType.PROTECTED, agency_named),
    EventKind(K.PROTECTED_ENDED, K.PROTECTED_ENDED.label, Facet.PROTECTED, AuditAction.UPDATE,
              ObjectType.PROTECTED, agency_named),
    EventKind(K.WITHDRAWAL_TO_CONFIRM, K.WITHDRAWAL_TO_CONFIRM.label, Facet.CONSENT, AuditAction.CREATE,
              ObjectType.CONSENT, _to_confirm),
    EventKind(K.WITHDRAWAL_CONFIRMED, K.WITHDRAWAL_CONFIRMED.label, Facet.CONSENT, AuditAction.UPDATE,
              ObjectType.CONSENT, _consent),
    EventKind(K.WITHDRAWAL_NOT_CONFIRMED, K.WITHDRAWAL_NOT_CONFIRMED.label, Facet.CONSENT, AuditAction.UPDATE,
              ObjectType.CONSENT, _consent),
)


def register_kinds() -> None:
    register(*CONSENT_EVENT_KINDS)
