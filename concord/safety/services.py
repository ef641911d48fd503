"""Writing the safety plan: saving it whole (each save a new version, the earlier ones kept) and the
system noting that it is due for review after a new incident or a change of the risk level.

The plan records her choices, including a choice not to act on a step, without judgement; who may read
and change it is the safety-plan facet of the case's access decision (concord.policy), which an agency
working with the person causing harm never holds (issue 16 §3)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Agency
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.policy import Action, Actor, SystemActor
from concord.protocols.vocabularies import Trigger

from . import vocabularies as v
from .events import SafetyEventKind
from .models import SafetyPlan, SafetyPlanVersion, SafetyStep
from .vocabularies import ReviewReason

__all__ = ["REVIEW_PROCESS", "ReviewReason", "StepDetails", "safety_plan_mark_for_review", "safety_plan_save",
           "safety_plans_due_by_date"]

REVIEW_PROCESS = SystemActor("safety plan review")

MAX_STEPS = 40
MAX_STEP_LENGTH = 1000
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class StepDetails:
    """One step as agreed with her: what, whether the words are hers, who does it, where it stands."""

    what: str
    in_her_words: bool = False
    owner: str = v.StepOwner.HER
    owner_agency: Agency | None = None
    owner_name: str = ""  # someone she names, when `owner` is SOMEONE
    status: str = v.StepStatus.AGREED


def _step_errors(case: Case, step: StepDetails) -> list[str]:
    errors = []
    if not step.what.strip():
        errors.append(_("say what the step is"))
    elif len(step.what) > MAX_STEP_LENGTH:
        errors.append(_("keep it under %(count)s characters") % {"count": MAX_STEP_LENGTH})
    if step.owner not in v.StepOwner.values:
        errors.append(_("choose who does it"))
    elif step.owner == v.StepOwner.AGENCY and (step.owner_agency is None or step.owner_agency.area_id != case.area_id
                                               or not step.owner_agency.is_active):
        errors.append(_("choose an active agency of this area"))
    elif step.owner == v.StepOwner.SOMEONE and not step.owner_name.strip():
        errors.append(_("say who she names"))
    elif len(step.owner_name) > MAX_NAME_LENGTH:
        errors.append(_("keep the name under %(count)s characters") % {"count": MAX_NAME_LENGTH})
    if step.status not in v.StepStatus.values:
        errors.append(_("choose where it stands"))
    return errors


def _checked(case: Case, steps: Sequence[StepDetails], next_review_on: datetime.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if not steps:
        errors["steps"] = [_("A plan has at least one step (a step she chose not to take counts).")]
    elif len(steps) > MAX_STEPS:
        errors["steps"] = [_("A plan has at most %(count)s steps.") % {"count": MAX_STEPS}]
    else:
        for number, step in enumerate(steps, start=1):
            for message in _step_errors(case, step):
                errors.setdefault("steps", []).append(_("Step %(number)s: %(problem)s.")
                                                      % {"number": number, "problem": message})
    if next_review_on is None:
        errors["next_review_on"] = [_("Choose when the plan is next reviewed.")]
    elif next_review_on < timezone.localdate():
        errors["next_review_on"] = [_("The next review cannot be in the past.")]
    if errors:
        raise ValidationError(errors)


def _stale() -> ValidationError:
    return ValidationError({"version": _("Someone changed the plan since you opened it. Look at it again "
                                         "before you save your changes.")})


def _locked_plan(case: Case, expected_version: int) -> SafetyPlan | None:
    """The case's plan locked for this save, refused if anyone saved it since `expected_version` (0: the
    form was opened before there was a plan)."""
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if (plan.version if plan is not None else 0) != expected_version:
        raise _stale()
    return plan


@transaction.atomic
def safety_plan_save(*, actor: Actor, case: Case, steps: Sequence[StepDetails], next_review_on: datetime.date | None,
                     expected_version: int) -> SafetyPlan:
    """Save her plan as a whole: the steps in this order, the next review date. The save is a review:
    a review that was due is no longer. Each save is a new version, kept as it was (SafetyPlanVersion);
    refused if anyone saved the plan since the form showed `expected_version`."""
    access = policy.decide_for_write(actor, case, Action.RECORD_SAFETY_PLAN)
    _checked(case, steps, next_review_on)
    assert next_review_on is not None
    plan = _locked_plan(case, expected_version)
    now = timezone.now()
    answered = plan.review_due() if plan is not None else ""
    if plan is None:
        plan = SafetyPlan(case=case, version=1)
    else:
        plan.version += 1
    plan.next_review_on, plan.review_due_reason, plan.review_due_since = next_review_on, "", None
    plan.updated_at, plan.updated_by, plan.agency = now, actor.user, actor.agency
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise _stale() from None  # another first plan for this case, saved at the same moment
    plan.steps.all().delete()
    rows = SafetyStep.objects.bulk_create([
        SafetyStep(plan=plan, position=number, what=step.what.strip(), in_her_words=step.in_her_words,
                   owner=step.owner, owner_agency=step.owner_agency if step.owner == v.StepOwner.AGENCY else None,
                   owner_name=step.owner_name.strip() if step.owner == v.StepOwner.SOMEONE else "",
                   status=step.status)
        for number, step in enumerate(steps, start=1)])
    SafetyPlanVersion.objects.create(plan=plan, version=plan.version, next_review_on=next_review_on, saved_at=now,
                                     saved_by=actor.user, agency=actor.agency, review_reason=answered,
                                     steps_json=json.dumps([row.snapshot() for row in rows]))
    record_event(access=access, kind=SafetyEventKind.SAVED, object_id=plan.pk,
                 params={"version": plan.version, "steps": len(rows), "next_review_on": next_review_on.isoformat(),
                         "answered": answered},
                 fields=["steps", "next_review_on"])
    return plan


@transaction.atomic
def safety_plan_mark_for_review(case: Case, reason: str) -> SafetyPlan | None:
    """The system notes that her plan should be reviewed now (a new incident, a change of the risk
    level): a timeline event, and the plan shows "review due" until it is next saved. Whoever's change
    caused it need not hold the plan. Nothing happens on a case without a plan, or when a review is
    already due for the same reason. It does not change the plan's version: a form already open can
    still be saved, and that save is the review."""
    if reason not in v.ReviewReason.values:
        raise ValueError(f"Unknown review reason {reason!r}.")
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if plan is None or plan.review_due_reason == reason:
        return plan
    plan.review_due_reason, plan.review_due_since = reason, timezone.now()
    plan.save(update_fields=["review_due_reason", "review_due_since"])
    record_event(access=policy.decide(REVIEW_PROCESS, case), kind=SafetyEventKind.REVIEW_DUE, object_id=plan.pk,
                 params={"reason": reason})
    # The area's protocol for a review due opens its task: one per version of the plan (the save that
    # reviews it makes the next version). Imported here: the protocols build on the risk app, which
    # marks plans for review.
    from concord.protocols import services as protocols

    protocols.fire(Trigger.SAFETY_PLAN_DUE, case, subject=f"safety_plan:{plan.pk}:v{plan.version}")
    return plan


def safety_plans_due_by_date(today: datetime.date | None = None, *, limit: int = 500) -> int:
    """The daily job: mark for review each plan whose review date has come (once: a plan already
    marked due is left as it is). Each in its own transaction, so an interrupted run keeps its work."""
    today = today or timezone.localdate()
    due = list(SafetyPlan.objects.filter(next_review_on__lte=today, review_due_reason="")
               .select_related("case__area").order_by("next_review_on", "pk")[:limit])
    for plan in due:
        safety_plan_mark_for_review(plan.case, v.ReviewReason.SCHEDULED)
    return len(due)
