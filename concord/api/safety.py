"""Her safety plan on a case: read it (with every version kept) and save it whole. Only for an agency
whose access includes the plan (403 otherwise), which an agency working with the person causing harm
never has; a case the caller may not see is 404. A save from a stale version is 422 on `version`."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from concord.access.facets import Facet
from concord.policy import AccessDecision, Action
from concord.safety import selectors, services
from concord.safety.services import StepDetails

from .auth import actor_of
from .errors import responses
from .params import Reference
from .reads import case_access, log_read
from .references import area_agency
from .schemas import SafetyPlanIn, SafetyPlanOut

router = Router(tags=["safety plan"])

SAFETY_PLAN = "safety_plan"


def _plan_access(request: HttpRequest, reference: str) -> AccessDecision:
    access = case_access(request, reference)
    if not access.sees(Facet.SAFETY_PLAN):
        raise PermissionDenied(_("Your agency's access to this case does not include her safety plan."))
    return access


def _shown(access: AccessDecision) -> dict[str, Any]:
    plan = selectors.safety_plan_of(access)
    log_read(access, SAFETY_PLAN, plan.pk if plan else None, list(SafetyPlanOut.model_fields))
    if plan is None:
        return {"version": 0, "next_review_on": None, "review_due": "", "updated_at": None, "agency": None,
                "steps": [], "versions": []}
    return {"version": plan.version, "next_review_on": plan.next_review_on, "review_due": plan.review_due(),
            "updated_at": plan.updated_at, "agency": plan.agency, "steps": list(plan.steps.all()),
            "versions": selectors.versions_of(access)}


@router.get("/{reference}/safety-plan", response=responses({200: SafetyPlanOut}, 401, 403, 404, 422),
            summary="Her safety plan, with every earlier version (version 0 and no steps: none yet)")
def get_safety_plan(request: HttpRequest, reference: Reference) -> dict[str, Any]:
    return _shown(_plan_access(request, reference))


@router.put("/{reference}/safety-plan", response=responses({200: SafetyPlanOut}, 400, 401, 403, 404, 422),
            summary="Save her safety plan as a whole: a new version (a stale `version` is 422)")
def save_safety_plan(request: HttpRequest, reference: Reference, payload: SafetyPlanIn) -> dict[str, Any]:
    actor = actor_of(request)
    access = _plan_access(request, reference)
    if not access.may(Action.RECORD_SAFETY_PLAN):
        raise PermissionDenied(_("Your agency cannot change her safety plan."))
    steps = []
    for number, step in enumerate(payload.steps):
        try:
            agency = area_agency(actor, step.owner_agency, field="steps") if step.owner_agency else None
        except ValidationError:
            raise ValidationError({"steps": _("Step %(number)s: choose an agency of your area.")
                                   % {"number": number + 1}}) from None
        steps.append(StepDetails(what=step.what, in_her_words=step.in_her_words, owner=step.owner,
                                 owner_agency=agency, owner_name=step.owner_name, status=step.status))
    services.safety_plan_save(actor=actor, case=access.case, steps=steps, next_review_on=payload.next_review_on,
                              expected_version=payload.version)
    return _shown(access)
