"""The consent ledger and supervised overrides.

Consent records are never edited or deleted: each decision is a new row, and what is in force now is
derived from the history (concord.consent.selectors). Overrides are the exception a supervisor
authorises, on a named legal basis, for a limited time, and every one is listed for review.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.access.facets import OVERRIDE_DEFAULT_FACETS
from concord.accounts.models import Agency, Sector
from concord.cases.models import Case

from .vocabularies import Channel, Decision, LegalBasis, Method, Scope

DEFAULT_OVERRIDE_DAYS = 30


def default_override_facets() -> list[str]:
    return sorted(OVERRIDE_DEFAULT_FACETS)


class AppendOnly(models.Model):
    """Rows that are evidence: once written, never changed or removed through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise ValidationError(_("This record cannot be changed; record a new decision instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record cannot be deleted."))


class ConsentDecision(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consent_decisions")
    scope = models.CharField(_("covers"), max_length=16, choices=Scope.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency"))
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    decided_at = models.DateTimeField(_("when she decided"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    note = models.TextField(_("in her words"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("consent decision")
        indexes = [models.Index(fields=["case", "scope", "decided_at"])]
        constraints = [
            models.CheckConstraint(
                name="consent_target_matches_scope",
                condition=(
                    Q(scope__in=["share_agency", "refer"], agency__isnull=False, sector="", channel="")
                    | Q(scope="share_sector", agency__isnull=True, channel="") & ~Q(sector="")
                    | Q(scope="contact", agency__isnull=True, sector="") & ~Q(channel="")
                    | Q(scope="conference", agency__isnull=True, sector="", channel="")
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.target_label} — {self.get_decision_display()}"

    @property
    def target_key(self) -> tuple[str, str]:
        """What the decision is about; the latest decision per key is the one in force."""
        targets: dict[str, str] = {
            Scope.SHARE_WITH_AGENCY: str(self.agency_id), Scope.REFER_TO_SERVICE: str(self.agency_id),
            Scope.SHARE_WITH_SECTOR: self.sector, Scope.CONTACT_BY_CHANNEL: self.channel,
        }
        target = targets.get(self.scope, "")
        return (self.scope, target)

    @property
    def target_label(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.sector:
            return self.get_sector_display()
        if self.channel:
            return self.get_channel_display()
        return str(_("multi-agency conference"))


class Override(AppendOnly):
    """A supervisor's authority for an agency to see a case without the survivor's consent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="overrides")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    legal_basis = models.CharField(_("legal basis"), max_length=24, choices=LegalBasis.choices)
    reason = models.TextField(_("reason"))
    # Its purpose: the facets of the case it opens (concord.access.facets). Never protected details,
    # which need a separate need-to-know grant.
    facets = models.JSONField(_("what it opens"), default=default_override_facets)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    authorised_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("override")
        indexes = [models.Index(fields=["case", "agency", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.agency} on {self.case}: {self.get_legal_basis_display()}"

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=DEFAULT_OVERRIDE_DAYS)

    @property
    def facet_labels(self) -> list[str]:
        from concord.access.facets import facet_labels

        return facet_labels(self.facets)

    def in_force(self, at=None) -> bool:
        at = at or timezone.now()
        return self.ended_at is None and self.starts_at <= at < self.expires_at


class ProtectedInfoGrant(models.Model):
    """An agency granted sight of her protected information (locations, contact details) on
    need-to-know, with a reason. The lead agency needs no grant; perpetrator-facing agencies can
    never be granted one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protected_grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    reason = models.TextField(_("why they need to know"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], condition=Q(ended_at__isnull=True),
                                               name="one_current_protected_grant")]

    def __str__(self) -> str:
        return f"{self.agency} on {self.case}"


class WithdrawalToConfirm(models.Model):
    """Her withdrawal (or refusal) of sharing with another agency or sector, told to an agency that does
    not lead her case: it goes to the lead agency to confirm, by a visible deadline, instead of cutting
    her off from that support at once on one agency's word (docs/decisions/0007). Confirmed, it becomes
    a decision in the ledger as she made it; not confirmed, the lead agency says why. Either way kept."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        NOT_CONFIRMED = "not_confirmed", _("not confirmed")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="withdrawals_to_confirm")
    scope = models.CharField(_("covers"), max_length=16, choices=Scope.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency"))
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    decided_at = models.DateTimeField(_("when she decided"))
    note = models.TextField(_("in her words"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("to confirm by"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("why"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    decision_recorded = models.ForeignKey(ConsentDecision, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("withdrawal to confirm")

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.target_label} — {self.get_decision_display()} (to confirm)"

    @property
    def target_label(self) -> str:
        return self.agency.name if self.agency is not None else self.get_sector_display()

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()
