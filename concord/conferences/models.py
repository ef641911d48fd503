"""Multi-agency risk conferences (issue 17), first part: the area's conference series and its
meetings, and a case's referral to the conference (why, on what consent, whether she knows), listed
on a meeting's agenda in order, capped, the rest waiting for the next one. The conference basis in
the access decision, research, the meeting, actions and minutes build on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency, Area
from concord.cases.models import Case
from concord.consent.models import ConsentDecision
from concord.consent.vocabularies import LegalBasis
from concord.crypto import EncryptedTextField

from . import vocabularies as v

DEFAULT_CAPACITY = 16  # cases a meeting, as the field runs them (12–15 minutes a case)


class ConferenceSeries(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="conference_series")
    name = models.CharField(_("name"), max_length=160)
    every_days = models.PositiveIntegerField(_("meets every (days)"), default=14)
    capacity = models.PositiveIntegerField(_("cases a meeting at most"), default=DEFAULT_CAPACITY)
    # An invited agency sees an agenda case's conference facets from the agenda's release until this
    # many days after the meeting.
    access_days_after = models.PositiveIntegerField(_("access after the meeting (days)"), default=28)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "conference series"

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("meets at"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                              blank=True)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    invited = models.ManyToManyField(Agency, related_name="conference_meetings", blank=True)
    agenda_released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_at", "id"]
        indexes = [models.Index(fields=["series", "held_at"], name="meeting_series_held")]

    def __str__(self) -> str:
        return f"{self.series} {self.held_at:%d %b %Y}"


class ConferenceReferral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conference_referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    criteria = models.JSONField(default=list)  # Criterion codes, in the vocabulary's order
    judgement_reason = EncryptedTextField(blank=True)  # why, when professional judgement is a criterion
    # The repeat flag as the risk level gave it: which definition, and its version.
    repeat_definition = models.CharField(max_length=40, blank=True)
    repeat_definition_version = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=12, blank=True)  # the level when referred, for the agenda's order
    consent_basis = models.CharField(max_length=10, choices=v.ConsentBasis.choices)
    consent_decision = models.ForeignKey(ConsentDecision, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    legal_basis = models.CharField(max_length=32, choices=LegalBasis.choices, blank=True)
    override_reason = EncryptedTextField(blank=True)
    she_knows = models.CharField(_("does she know of the referral"), max_length=4, choices=v.SheKnows.choices)
    why_not_told = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=v.ConferenceReferralStatus.choices,
                              default=v.ConferenceReferralStatus.PENDING)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda")
    position = models.PositiveIntegerField(null=True, blank=True)  # on the meeting's agenda, from 1
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["referred_at", "id"]
        constraints = [
            # One referral waiting or listed per case at a time.
            models.UniqueConstraint(fields=["case"], condition=Q(status__in=["pending", "listed"]),
                                    name="one_live_conference_referral"),
        ]
        indexes = [models.Index(fields=["status", "referred_at"], name="conf_referral_waiting")]

    @property
    def is_repeat(self) -> bool:
        return v.Criterion.REPEAT in self.criteria
