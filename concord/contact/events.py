"""The gate's timeline events. Whether a message went, by which channel and why not say how she may
be reached: they are in the contact-channels facet, read only by those who may contact her."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.cases.events import EventKind, label_of, register

from .vocabularies import ContactChannel, MessageStatus, Refusal


class ContactEventKind(models.TextChoices):
    MESSAGE_SENT = "message_sent", gettext_lazy("Message sent to her")
    MESSAGE_REFUSED = "message_refused", gettext_lazy("Message to her not sent")
    RULES_SET = "contact_rules_set", gettext_lazy("Her contact rules changed")


def _message(params, reader):
    text = label_of(ContactChannel, params.get("channel"))
    if params.get("purpose"):
        text += f" ({params['purpose']})"
    reasons = [label_of(Refusal, reason) for reason in params.get("reasons", [])]
    if params.get("status") == MessageStatus.FAILED:
        text += ". " + _("Not sent: the provider could not deliver it")
    elif reasons:
        text += ". " + _("Not sent: %(reasons)s") % {"reasons": "; ".join(reasons)}
    return text


def _rules(params, reader):
    channels = [label_of(ContactChannel, channel) for channel in params.get("channels", [])]
    return _("Safe: %(channels)s") % {"channels": ", ".join(channels)} if channels else _("No channel is safe")


def register_kinds() -> None:
    register(
        EventKind(ContactEventKind.MESSAGE_SENT, ContactEventKind.MESSAGE_SENT.label, Facet.CONTACT_CHANNELS,
                  AuditAction.CREATE, "outbound_message", _message),
        EventKind(ContactEventKind.MESSAGE_REFUSED, ContactEventKind.MESSAGE_REFUSED.label, Facet.CONTACT_CHANNELS,
                  AuditAction.CREATE, "outbound_message", _message),
        # Which channels are safe is how to reach her: only for those who may.
        EventKind(ContactEventKind.RULES_SET, ContactEventKind.RULES_SET.label, Facet.CONTACT_CHANNELS,
                  AuditAction.UPDATE, "contact_rules", _rules),
    )
