"""Tasks and protocols: the agency's tasks (its own, the worker's, those escalated), each linking to
what the reader may open; the area's protocols with their versions, approvals and reviews; their
compliance over a period; and the partnership lead's drafting, approving and reviewing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.audit.models import AuditAction
from concord.audit.services import access_log_append
from concord.protocols import selectors, services
from concord.protocols.models import ProtocolVersion
from concord.protocols.services import VersionDetails, looks_after_protocols
from concord.web.decorators import actor_required, casework_required
from concord.web.protocol_forms import PeriodForm, ReviewForm, TaskFilterForm, VersionForm
from concord.web.views.errors import apply_validation_error


@casework_required
def task_list(request):
    actor = request.actor
    form = TaskFilterForm(request.GET or None)
    which = (form.cleaned_data.get("which") if form.is_valid() else "") or selectors.Which.AGENCY
    rows = selectors.tasks_for(actor, which)
    if rows:
        access_log_append(actor=actor, action=AuditAction.VIEW, object_type="task",
                          fields=[f"task:{row.task.pk}" for row in rows])
    return render(request, "web/tasks.html", {"form": form, "rows": rows, "which": which,
                                              "counts": selectors.counts_for(actor)})


def _protocols_page(request, *, period: PeriodForm, version_form: VersionForm | None = None, status: int = 200):
    actor = request.actor
    looks_after = looks_after_protocols(actor)
    return render(request, "web/protocols.html", {
        "protocols": selectors.protocols_of(actor.area), "period": period,
        "compliance": selectors.compliance(actor.area, *period.period()), "looks_after": looks_after,
        "version_form": (version_form or VersionForm(prefix="new")) if looks_after else None,
        "review_form": ReviewForm(prefix="review") if looks_after else None}, status=status)


@actor_required
def protocol_list(request):
    period = PeriodForm(request.GET or None)
    return _protocols_page(request, period=period,
                           status=422 if period.is_bound and not period.is_valid() else 200)


def _version(actor, version_id: int) -> ProtocolVersion:
    if not looks_after_protocols(actor):
        raise Http404("No such page.")
    return get_object_or_404(ProtocolVersion.objects.select_related("protocol__area"), pk=version_id,
                             protocol__area_id=actor.area.pk)


@require_POST
@actor_required
def protocol_draft(request):
    actor = request.actor
    if not looks_after_protocols(actor):
        raise Http404("No such page.")
    form = VersionForm(request.POST, prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.protocol_draft(actor=actor, area=actor.area, key=data["key"], name=data["name"],
                                              details=VersionDetails(
                                                  trigger=data["trigger"], owner=data["owner"],
                                                  task_kind=data["task_kind"], action=data["action"],
                                                  due_hours=data["due_hours"],
                                                  due_working_days=data["due_working_days"],
                                                  escalate_after_hours=data["escalate_after_hours"]))
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Draft %(version)s saved: it is in force once approved.")
                             % {"version": version})
            return redirect("web:protocols")
    return _protocols_page(request, period=PeriodForm(), version_form=form, status=422)


@require_POST
@actor_required
def protocol_approve(request, version_id):
    version = _version(request.actor, version_id)
    try:
        services.protocol_approve(actor=request.actor, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(version)s is in force.") % {"version": version})
    return redirect("web:protocols")


@require_POST
@actor_required
def protocol_review(request, version_id):
    version = _version(request.actor, version_id)
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.protocol_review(actor=request.actor, version=version, outcome=form.cleaned_data["outcome"],
                                     note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Review of %(version)s recorded.") % {"version": version})
            return redirect("web:protocols")
    messages.error(request, _("The review was not recorded: %(errors)s")
                   % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect("web:protocols")
