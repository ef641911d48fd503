"""Her safety plan: the page that shows it and the form to change it, and its earlier versions. The
plan is the safety-plan facet of the case's access decision: without it there is no such page (404),
as for her risk answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.policy import AccessDecision, Action
from concord.safety import selectors, services
from concord.safety.vocabularies import ReviewReason
from concord.web.decorators import casework_required
from concord.web.safety_forms import PlanForm, step_formset, steps_in_order
from concord.web.views.errors import apply_validation_error

SAFETY_PLAN = "safety_plan"


def _plan_access(request, reference: str) -> AccessDecision:
    access = policy.case_access(request.actor, reference)
    if not access.sees(Facet.SAFETY_PLAN):
        raise Http404("No such page.")
    return access


@casework_required
def safety_plan(request, reference):
    actor = request.actor
    access = _plan_access(request, reference)
    case = access.case
    plan = selectors.safety_plan_of(access)
    if request.method == "POST" and not access.may(Action.RECORD_SAFETY_PLAN):
        raise PermissionDenied(_("Your agency cannot change her safety plan."))
    initial = {"version": plan.version if plan else 0, "next_review_on": plan.next_review_on if plan else None}
    form = PlanForm(request.POST or None, initial=initial)
    steps = step_formset(case, plan, request.POST or None)
    status, stale = 200, False
    if request.method == "POST":
        status = 422
        if form.is_valid() and steps.is_valid():
            try:
                services.safety_plan_save(actor=actor, case=case, steps=steps_in_order(steps),
                                          next_review_on=form.cleaned_data["next_review_on"],
                                          expected_version=form.cleaned_data["version"])
            except ValidationError as error:
                if "version" in getattr(error, "error_dict", {}):
                    # Keep her entries, move the form to the current version, and show the plan as saved.
                    stale, status = True, 409
                    data = request.POST.copy()
                    data["version"] = plan.version if plan else 0
                    form = PlanForm(data)
                    form.is_valid()
                else:
                    apply_validation_error(error, [form])
            else:
                messages.success(request, _("Safety plan saved."))
                return redirect("web:safety_plan", reference=case.reference)
    versions = selectors.versions_of(access)
    access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=SAFETY_PLAN,
                    object_id=plan.pk if plan else case.pk, fields=["steps", "next_review_on", "versions"],
                    basis=access.basis_label)
    return render(request, "web/safety_plan.html", {
        "case": case, "plan": plan, "review_due": _review_due(plan), "form": form, "steps": steps,
        "versions": versions, "stale": stale, "can": access.can}, status=status)


def _review_due(plan) -> str:
    code = plan.review_due() if plan is not None else ""
    return str(ReviewReason(code).label) if code else ""


@require_safe
@casework_required
def safety_plan_version(request, reference, number):
    access = _plan_access(request, reference)
    version = selectors.version_of(access, number)
    if version is None:
        raise Http404("No such version.")
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.VIEW, object_type=SAFETY_PLAN,
                    object_id=version.plan_id, fields=[f"version:{version.version}"], basis=access.basis_label)
    return render(request, "web/safety_plan_version.html", {"case": access.case, "version": version})
