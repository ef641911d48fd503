"""Reading the safety plan as the reader's access decision allows: the plan and its steps, its kept
versions, and the short summary on the case page. Nothing without the safety-plan facet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from concord.access.facets import Facet
from concord.policy import AccessDecision

from .models import SafetyPlan, SafetyPlanVersion


def safety_plan_of(access: AccessDecision) -> SafetyPlan | None:
    """The case's plan with its steps in order, or None (no plan, or the reader does not hold it)."""
    if not access.visible or not access.sees(Facet.SAFETY_PLAN):
        return None
    return (SafetyPlan.objects.filter(case_id=access.case.pk).select_related("agency", "updated_by")
            .prefetch_related("steps__owner_agency").first())


def versions_of(access: AccessDecision) -> list[SafetyPlanVersion]:
    """The plan's kept versions, newest first."""
    if not access.visible or not access.sees(Facet.SAFETY_PLAN):
        return []
    return list(SafetyPlanVersion.objects.filter(plan__case_id=access.case.pk).select_related("agency", "saved_by"))


def version_of(access: AccessDecision, number: int) -> SafetyPlanVersion | None:
    if not access.visible or not access.sees(Facet.SAFETY_PLAN):
        return None
    return (SafetyPlanVersion.objects.filter(plan__case_id=access.case.pk, version=number)
            .select_related("agency", "saved_by").first())


@dataclass(frozen=True)
class PlanSummary:
    """The plan's line on the case page."""

    steps: int
    next_review_on: datetime.date
    review_due: str  # a ReviewReason, or ""
    version: int

    @property
    def review_due_label(self) -> str:
        from .vocabularies import ReviewReason

        return str(ReviewReason(self.review_due).label) if self.review_due else ""


def summary_of(access: AccessDecision, today: datetime.date | None = None) -> PlanSummary | None:
    """One query; None without a plan or without the facet."""
    if not access.visible or not access.sees(Facet.SAFETY_PLAN):
        return None
    plan = SafetyPlan.objects.filter(case_id=access.case.pk).annotate(step_count=Count("steps")).first()
    if plan is None:
        return None
    return PlanSummary(steps=plan.step_count, next_review_on=plan.next_review_on,  # type: ignore[attr-defined]
                       review_due=plan.review_due(today or timezone.localdate()), version=plan.version)
