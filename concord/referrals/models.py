"""A referral from one agency to another for her: what it answers, what allowed it, what the receiver may
read before it accepts (the packet), and how it ended. Nothing here decides who sees it: the derived
access table gives the receiving agency the referral-packet facet while the referral waits, and the
case's consent or override once it is accepted (concord.access.derive, concord.policy)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency
from concord.cases.models import Case, Incident, Need
from concord.consent.models import ConsentDecision, Override
from concord.consent.vocabularies import LegalBasis
from concord.crypto import EncryptedTextField

from . import vocabularies as v


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent",
                                    verbose_name=_("from"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received",
                                  verbose_name=_("to"))
    # The needs it answers; the packet shows them, in her words, to the receiver.
    needs = models.ManyToManyField(Need, related_name="referrals", blank=True, verbose_name=_("needs it answers"))
    reason = EncryptedTextField(_("why you are referring her"))
    urgency = models.CharField(_("urgency"), max_length=12, choices=v.Urgency.choices, default=v.Urgency.ROUTINE)

    # The packet: the minimum the receiver needs to decide, chosen by the sender from what its own
    # decision shows. Never her protected details (where she is, how to reach her).
    packet_note = EncryptedTextField(_("what they need to know"), blank=True)
    packet_incidents = models.ManyToManyField(Incident, related_name="+", blank=True,
                                              verbose_name=_("incidents to summarise"))
    packet_risk_level = models.BooleanField(_("include the case's risk level and its reasons"), default=True)

    # What allowed it.
    consent_basis = models.CharField(max_length=12, choices=v.ConsentBasis.choices)
    consent_decision = models.ForeignKey(ConsentDecision, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    legal_basis = models.CharField(_("legal basis"), max_length=24, choices=LegalBasis.choices, blank=True)
    override_reason = EncryptedTextField(_("why it cannot wait for her consent"), blank=True)
    # The override that lets the receiver see the case once it accepts a referral made without consent.
    override = models.ForeignKey(Override, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    status = models.CharField(_("status"), max_length=12, choices=v.ReferralStatus.choices,
                              default=v.ReferralStatus.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    respond_by = models.DateTimeField(_("reply due"))
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=20, choices=v.DeclineReason.choices,
                                      blank=True)
    decline_note = models.CharField(_("more about why"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=v.Outcome.choices, blank=True)
    outcome_note = models.CharField(_("what was done"), max_length=500, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("why withdrawn"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        indexes = [
            models.Index(fields=["to_agency", "status", "respond_by"], name="referral_incoming"),
            models.Index(fields=["from_agency", "status", "respond_by"], name="referral_outgoing"),
            models.Index(fields=["case", "status"], name="referral_case"),
        ]
        constraints = [
            models.CheckConstraint(name="referral_allowed_by_consent_or_override", condition=(
                Q(consent_basis="consent", consent_decision__isnull=False)
                | Q(consent_basis="override", consent_decision__isnull=True) & ~Q(legal_basis=""))),
            models.CheckConstraint(name="referral_to_another_agency", condition=~Q(from_agency=models.F("to_agency"))),
        ]

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency} on {self.case_id}: {self.status}"

    @property
    def is_waiting(self) -> bool:
        return self.status == v.ReferralStatus.SENT

    @property
    def is_overdue(self) -> bool:
        return self.is_waiting and self.respond_by < timezone.now()

    @property
    def is_closed(self) -> bool:
        return self.status in v.CLOSED_STATUSES
