"""A safety plan: the steps agreed with her, in her words where she gives them, with who does each, and
when it is next reviewed. One plan per case, edited as a whole; each save keeps an immutable copy of
the steps (SafetyPlanVersion) so that earlier versions can be read. Nothing here decides who sees it:
the plan is the safety-plan facet of the case's access decision (concord.policy), never held by an
agency working with the person causing harm."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency
from concord.cases.models import Case
from concord.crypto import EncryptedTextField

from . import vocabularies as v


class SafetyPlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="safety_plan")
    next_review_on = models.DateField(_("next review"))
    # Set by the system when something happens that the plan should be looked at again for (a new
    # incident, a change of risk level); cleared by the next save, which is the review.
    review_due_reason = models.CharField(_("why a review is due"), max_length=24, choices=v.ReviewReason.choices,
                                         blank=True)
    review_due_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by agency"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("safety plan")

    def __str__(self) -> str:
        return f"Safety plan of {self.case_id}, version {self.version}"

    def review_due(self, today: datetime.date | None = None) -> str:
        """Why the plan should be reviewed now (a ReviewReason), or "" if it need not be yet."""
        if self.review_due_reason:
            return self.review_due_reason
        today = today or timezone.localdate()
        return v.ReviewReason.SCHEDULED if self.next_review_on <= today else ""


class SafetyStep(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    what = EncryptedTextField(_("the step"))
    in_her_words = models.BooleanField(_("in her words"), default=False)
    owner = models.CharField(_("who does it"), max_length=12, choices=v.StepOwner.choices, default=v.StepOwner.HER)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                     verbose_name=_("agency"))
    # Someone she names (a neighbour, her sister): who they are is hers to tell, so it is encrypted.
    owner_name = EncryptedTextField(_("who she names"), blank=True)
    status = models.CharField(_("where it stands"), max_length=12, choices=v.StepStatus.choices,
                              default=v.StepStatus.AGREED)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("safety plan step")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="safety_step_position_unique"),
            models.CheckConstraint(name="safety_step_agency_when_agency_owns",
                                   condition=models.Q(owner="agency", owner_agency__isnull=False)
                                   | (~models.Q(owner="agency") & models.Q(owner_agency__isnull=True))),
        ]

    def __str__(self) -> str:
        return f"Step {self.position} of plan {self.plan_id}"

    @property
    def who(self) -> str:
        """Who does it, as a reader reads it."""
        if self.owner == v.StepOwner.AGENCY and self.owner_agency is not None:
            return self.owner_agency.name
        if self.owner == v.StepOwner.SOMEONE:
            return self.owner_name
        return str(v.StepOwner.HER.label)

    def snapshot(self) -> dict[str, Any]:
        """The step as a version keeps it: everything needed to read it again, even if the agency is renamed."""
        return {"what": self.what, "in_her_words": self.in_her_words, "owner": self.owner,
                "owner_agency_id": self.owner_agency_id,
                "owner_agency": self.owner_agency.name if self.owner_agency is not None else "",
                "owner_name": self.owner_name, "status": self.status}


class SafetyPlanVersion(models.Model):
    """The plan as one save left it. Written once, never changed or deleted."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    steps_json = EncryptedTextField()
    next_review_on = models.DateField(_("next review"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    # Why this save happened, if a review was due: the review it answered.
    review_reason = models.CharField(max_length=24, choices=v.ReviewReason.choices, blank=True)

    class Meta:
        ordering = ["plan", "-version"]
        verbose_name = _("safety plan version")
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="safety_plan_version_unique")]

    def __str__(self) -> str:
        return f"Plan {self.plan_id}, version {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A safety plan version is kept as it was saved; it is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A safety plan version is kept as it was saved; it is never deleted.")

    @property
    def steps(self) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = json.loads(self.steps_json or "[]")
        for step in steps:
            step["who"] = _who(step)
            status = str(step.get("status", ""))
            step["status_label"] = str(dict(v.StepStatus.choices).get(status, status))
        return steps


def _who(step: dict[str, Any]) -> str:
    if step.get("owner") == v.StepOwner.AGENCY:
        return str(step.get("owner_agency", ""))
    if step.get("owner") == v.StepOwner.SOMEONE:
        return str(step.get("owner_name", ""))
    return str(v.StepOwner.HER.label)
