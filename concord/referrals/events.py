"""A referral's steps on the case's timeline. That she was referred, to whom and how it ended is in the
core record, read by every agency on the case; why, and what the packet says, stay on the referral."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.cases.events import EventKind, label_of, register

from .vocabularies import ConsentBasis, DeclineReason, Outcome, Urgency


class ReferralEventKind(models.TextChoices):
    SENT = "referral_sent", gettext_lazy("Referral sent")
    ACCEPTED = "referral_accepted", gettext_lazy("Referral accepted")
    DECLINED = "referral_declined", gettext_lazy("Referral declined")
    COMPLETED = "referral_completed", gettext_lazy("Referral completed")
    WITHDRAWN = "referral_withdrawn", gettext_lazy("Referral withdrawn")


def _sent(params, reader):
    text = _("%(from)s to %(to)s (%(urgency)s)") % {"from": params.get("from_agency", ""),
                                                     "to": params.get("to_agency", ""),
                                                     "urgency": label_of(Urgency, params.get("urgency"))}
    if params.get("basis") == ConsentBasis.OVERRIDE:
        text += ". " + _("Sent without her consent, on a supervisor's authority")
    return text


def _between(params, reader):
    return _("%(from)s to %(to)s") % {"from": params.get("from_agency", ""), "to": params.get("to_agency", "")}


def _declined(params, reader):
    return f"{_between(params, reader)}: {label_of(DeclineReason, params.get('reason'))}"


def _completed(params, reader):
    return f"{_between(params, reader)}: {label_of(Outcome, params.get('outcome'))}"


def register_kinds() -> None:
    register(
        EventKind(ReferralEventKind.SENT, ReferralEventKind.SENT.label, Facet.CORE, AuditAction.CREATE,
                  "referral", _sent),
        EventKind(ReferralEventKind.ACCEPTED, ReferralEventKind.ACCEPTED.label, Facet.CORE, AuditAction.UPDATE,
                  "referral", _between),
        EventKind(ReferralEventKind.DECLINED, ReferralEventKind.DECLINED.label, Facet.CORE, AuditAction.UPDATE,
                  "referral", _declined),
        EventKind(ReferralEventKind.COMPLETED, ReferralEventKind.COMPLETED.label, Facet.CORE, AuditAction.UPDATE,
                  "referral", _completed),
        EventKind(ReferralEventKind.WITHDRAWN, ReferralEventKind.WITHDRAWN.label, Facet.CORE, AuditAction.UPDATE,
                  "referral", _between),
    )
