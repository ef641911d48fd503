"""Who may see each case, derived from the records that allow it, so that asking is one indexed lookup.

The consent ledger, involvements, overrides and need-to-know grants stay the source of truth. Every
service that writes one of them recomputes this table for the case in the same transaction
(concord.access.derive.refresh_cases), so a withdrawal takes effect on the very next request; `manage.py
access_check` recomputes it from the ledger and reports any difference. See docs/decisions/0005.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency
from concord.cases.models import Case

# Open ends of a validity interval, stored as values so that "valid now" is two plain comparisons.
BEGINNING = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
END_OF_TIME = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


class Basis(models.TextChoices):
    LEAD = "lead", _("Lead agency")
    CONSENT = "consent", _("Her consent")
    OVERRIDE = "override", _("Supervised override")
    NEED_TO_KNOW = "need_to_know", _("Need-to-know grant")
    # A referral waiting for the receiving agency's answer: its packet, nothing else of the case.
    REFERRAL = "referral", _("Referral waiting for a reply")
    # A case on a released conference agenda: the invited agencies read its conference item (not the
    # case) until a set time after the meeting (issue 17).
    CONFERENCE = "conference", _("On a conference agenda")
    # A case referred to the conference: the coordinating agency's conference coordinators (that role
    # only) read its conference item from the referral until the meeting's access ends.
    COORDINATION = "coordination", _("Referred to the conference, for its coordinator")


# The bases that let an agency open the case. A need-to-know grant only adds facets to a case the
# agency may already see; a waiting referral shows its packet, and a conference its item, and neither
# opens the case.
VISIBILITY_BASES = (Basis.LEAD, Basis.CONSENT, Basis.OVERRIDE)


class AgencyAccessQuerySet(models.QuerySet):
    def valid_at(self, at: datetime.datetime) -> AgencyAccessQuerySet:
        return self.filter(valid_from__lte=at, valid_until__gt=at)

    def opening(self) -> AgencyAccessQuerySet:
        return self.filter(basis__in=VISIBILITY_BASES)


class AgencyAccess(models.Model):
    """One reason an agency may see (part of) a case, with the record that gives it and for how long."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=16, choices=Basis.choices)
    # The consent decision, override or grant that allows it (none for the lead agency).
    source_id = models.BigIntegerField(null=True, blank=True)
    valid_from = models.DateTimeField(default=BEGINNING)
    valid_until = models.DateTimeField(default=END_OF_TIME)
    facets = models.JSONField(default=list)
    # Whether the agency may correct her details and the people on the case: the lead agency, and an
    # involved agency the lead agency has allowed to (CaseAgency.may_correct_details).
    may_correct_details = models.BooleanField(default=False)

    objects = AgencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("derived access")
        indexes = [
            # Covering on PostgreSQL: an agency's visible cases are read from the index alone.
            models.Index(fields=["agency", "case"], include=["basis", "valid_from", "valid_until"],
                         name="access_agency_case"),
            models.Index(fields=["case", "agency"], name="access_case_agency"),
        ]
        constraints = [models.CheckConstraint(condition=Q(valid_from__lt=models.F("valid_until")),
                                              name="access_interval_not_empty")]

    def __str__(self) -> str:
        return f"{self.agency_id} on {self.case_id}: {self.basis}"

    @property
    def key(self) -> tuple:
        """What the row says, for comparing the table with the rule recomputed from the ledger."""
        return (self.case_id, self.agency_id, self.basis, self.source_id, self.valid_from, self.valid_until,
                tuple(sorted(self.facets)), self.may_correct_details)
