"""The area's interagency protocols, written as rules: a trigger, the agency that answers it, the
action, a deadline (elapsed hours, or working days on the area's calendar) and when a breach goes to a
supervisor. A protocol is versioned: a version is drafted, approved by the partnership (who and when
recorded) and then in force until the next approved version replaces it; reviews are kept against
the version they looked at. The tasks it opens keep the version that opened them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Area, Sector
from concord.risk.vocabularies import TaskKind

from . import vocabularies as v

OWNER_CHOICES = [(v.LEAD, _("The case's lead agency")), (v.RECEIVER, _("The agency the referral went to")),
                 *[(code, _("The %(sector)s agency on the case") % {"sector": label}) for code, label in
                   Sector.choices]]


class Protocol(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="protocols")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=160)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "key"], name="one_protocol_per_key")]

    def __str__(self) -> str:
        return self.name


class ProtocolVersion(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    trigger = models.CharField(_("when"), max_length=24, choices=v.Trigger.choices)
    owner = models.CharField(_("who answers"), max_length=40, choices=OWNER_CHOICES)
    task_kind = models.CharField(_("task"), max_length=40, choices=TaskKind.choices)
    action = models.CharField(_("what they do"), max_length=300)
    due_hours = models.PositiveIntegerField(_("within hours"), null=True, blank=True)
    due_working_days = models.PositiveIntegerField(_("within working days"), null=True, blank=True)
    # A breach goes to a supervisor of the agency this long after the deadline (0: at once).
    escalate_after_hours = models.PositiveIntegerField(_("escalate after (hours past the deadline)"), default=0)
    status = models.CharField(max_length=10, choices=v.VersionStatus.choices, default=v.VersionStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="protocol_version_number"),
            models.UniqueConstraint(fields=["protocol"], condition=Q(status="in_force"),
                                    name="one_version_in_force"),
            models.CheckConstraint(condition=Q(due_hours__isnull=False) ^ Q(due_working_days__isnull=False),
                                   name="protocol_deadline_hours_or_working_days"),
        ]
        indexes = [models.Index(fields=["trigger", "status"], name="protocol_trigger_status")]

    def __str__(self) -> str:
        return f"{self.protocol.name} v{self.number}"

    @property
    def deadline_text(self) -> str:
        if self.due_hours is not None:
            return str(_("within %(n)s hours") % {"n": self.due_hours})
        return str(_("within %(n)s working days") % {"n": self.due_working_days})

    def escalation_after(self, due_at: datetime.datetime) -> datetime.datetime:
        return due_at + datetime.timedelta(hours=self.escalate_after_hours)


class ProtocolReview(models.Model):
    version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=v.ReviewOutcome.choices)
    note = models.TextField(_("what the review found"), max_length=2000)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
