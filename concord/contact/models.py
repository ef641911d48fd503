"""Her contact rules (one set per survivor, across all her cases) and every message the gate was asked
to send, sent or refused."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.crypto import EncryptedTextField

from .vocabularies import MessageStatus


class ContactRules(models.Model):
    """How she says she may be contacted. Which numbers and addresses are safe stays on each contact
    point (people.ContactPoint.safe_to_use); the gate reads them across all her cases, so a number she
    says is not safe on one case is not safe on any."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="contact_rules")
    safe_channels = models.JSONField(_("safe channels"), default=list, blank=True)
    # [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}] in the area's time; empty: any time.
    safe_times = models.JSONField(_("safe times"), default=list, blank=True)
    voicemail_ok = models.BooleanField(_("a voicemail may be left"), default=False)
    may_name_agency = models.BooleanField(_("the caller may say which agency is calling"), default=False)
    never_post_home = models.BooleanField(_("never send post to the home address"), default=True)
    third_party = EncryptedTextField(_("a named person who may pass on messages"), blank=True)
    code_word = EncryptedTextField(_("code word"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("contact rules")
        verbose_name_plural = _("contact rules")


class OutboundMessage(models.Model):
    """One message the gate was asked to send about or to a survivor, and what it did. The body is not
    kept: a reminder's text may say more than the case needs to."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="outbound_messages")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=16)
    purpose = models.CharField(_("purpose"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus.choices)
    refusals = models.JSONField(default=list, blank=True)
    # The job's own key, so a job run twice (a worker killed mid-run) sends once.
    idempotency_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    asked_by = models.CharField(max_length=200)
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outbound message")
        indexes = [models.Index(fields=["case", "asked_at"])]
