"""Risk on a case: an assessment as one screen, professional judgement, the history of assessments and
of the level, and the follow-up tasks. Every page starts from the case's access decision: the level,
its reasons and the tasks are core; her answers and her words are the risk-answers facet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.policy import Action
from concord.risk import catalogue, selectors, services
from concord.risk.models import Task
from concord.risk.reasons import level_label
from concord.web.decorators import casework_required
from concord.web.risk_forms import ANSWER_KEYS, AssessmentForm, JudgementForm, SeparationForm, TaskCloseForm
from concord.web.views.errors import apply_validation_error, refuse_unless


def _to_case(case, anchor: str):
    return redirect(f"{reverse('web:case', args=[case.reference])}#{anchor}")


def _refuse_unless_may_assess(access) -> None:
    """Assessing, judging and recording a separation: for an agency that holds her risk answers."""
    refuse_unless(access.may(Action.RECORD_RISK), _("Your agency's access to this case does not include her "
                                                      "risk answers."))


def _instrument(instrument_id: str):
    try:
        return catalogue.instrument(instrument_id)
    except KeyError:
        raise Http404("No such instrument.") from None


@casework_required
def assessment_add(request, reference, instrument_id):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    _refuse_unless_may_assess(access)
    instrument = _instrument(instrument_id)
    form = AssessmentForm(request.POST or None, instrument=instrument, pronoun=case.survivor.pronoun_forms)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment = services.assessment_record(
                    actor=actor, case=case, instrument_id=instrument.id, version=instrument.version,
                    answers=form.answers(), before=form.before(), her_view=data["her_view"],
                    her_words=data["her_words"], assessed_on=data["assessed_on"],
                    practitioner_believes_high=data.get("practitioner_believes_high", False),
                    spoke_to_advocacy=data.get("spoke_to_advocacy") or None)
            except ValidationError as error:
                apply_validation_error(error, [form])
            else:
                page = selectors.assessment_on_page(assessment, access)
                level = selectors.risk_level_of(case)
                messages.success(request, _("Assessment saved: %(result)s. The case's risk level is now %(level)s.")
                                 % {"result": page.result, "level": level_label(level.level if level else "")})
                return _to_case(case, "risk-h")
    return render(request, "web/assessment_form.html",
                  {"case": case, "form": form, "instrument": instrument, "answer_keys": ANSWER_KEYS}, status=status)


@casework_required
def risk_history(request, reference):
    """Every assessment's result, the level over time, the judgements and the tasks; her answers only
    behind each assessment's own page, for a reader holding the facet."""
    access = policy.case_access(request.actor, reference)
    risk = selectors.risk_picture(access)
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.VIEW, object_type="risk_level",
                    fields=["risk_level", "reasons", "assessments", "tasks",
                            *(["her_view", "her_words", "judgement_reason"] if risk.sees_answers else [])],
                    basis=access.basis_label)
    return render(request, "web/risk_history.html", {"case": access.case, "risk": risk, "can": access.can})


@casework_required
def assessment_detail(request, reference, assessment_id):
    access = policy.case_access(request.actor, reference)
    # Her answers are the record here: without their facet there is no such page, as for a need.
    assessment = get_object_or_404(selectors.assessments_with_answers_of(access), pk=assessment_id)
    page = selectors.assessment_on_page(assessment, access, with_answers=True)
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.VIEW, object_type="risk_assessment",
                    object_id=assessment.pk, fields=["answers", "her_view", "her_words"], basis=access.basis_label)
    return render(request, "web/assessment_detail.html", {"case": access.case, "item": page})


@casework_required
def judgement_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    _refuse_unless_may_assess(access)
    form = JudgementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.judgement_record(actor=actor, case=case, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(error, [form])
            else:
                messages.success(request, _("Professional judgement recorded."))
                return _to_case(case, "risk-h")
    risk = selectors.risk_level_of(case)
    return render(request, "web/judgement_form.html",
                  {"case": case, "form": form, "level_now": level_label(risk.level if risk else "")},
                  status=status)


@require_POST
@casework_required
def task_close(request, reference, task_id):
    access = policy.case_access(request.actor, reference)
    task = get_object_or_404(Task.objects.filter(case=access.case), pk=task_id)
    form = TaskCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the task was done or is no longer needed."))
        return _to_case(access.case, "tasks-h")
    try:
        services.task_complete(actor=request.actor, task=task, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, _("Task closed."))
    return _to_case(access.case, "tasks-h")


@require_POST
@casework_required
def separation_add(request, reference):
    """From the risk section: she has separated from him; the level is reconsidered, a reassessment due."""
    access = policy.case_access(request.actor, reference)
    _refuse_unless_may_assess(access)
    form = SeparationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return _to_case(access.case, "risk-h")
    try:
        services.separation_record(actor=request.actor, case=access.case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Separation recorded: a reassessment is due."))
    return _to_case(access.case, "risk-h")
