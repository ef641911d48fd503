"""Adding and editing incidents and needs. Edits carry the version they were drawn from; a stale
edit is refused and shown with what changed, and the worker's own entries are kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases import services
from concord.concurrency import StaleEdit
from concord.policy import Action, EditRight
from concord.web.decorators import casework_required
from concord.web.forms import IncidentEditForm, IncidentForm, NeedEditForm, NeedForm, NoteForm
from concord.web.views.errors import apply_validation_error, refuse_unless


def _save(request, *, form, save, template, context, success):
    """Run a service for a valid form; turn refusals into messages on the form, never a 500."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except StaleEdit as stale:
            # Keep her entries, move the form to the current version, and show what changed.
            data = request.POST.copy()
            data["version"] = stale.instance.version
            form = type(form)(data, **context.get("form_kwargs", {}))
            form.is_valid()
            context.update(form=form, stale=stale)
            return render(request, template, context, status=409)
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(request, success)
            return redirect("web:case", reference=context["case"].reference)
    context["form"] = form
    return render(request, template, context, status=422 if request.method == "POST" else 200)


@casework_required
def incident_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    refuse_unless(access.may(Action.RECORD_INCIDENT))
    form = IncidentForm(request.POST or None, case=case)

    def save(form):
        services.incident_record(actor=actor, case=case, details=form.details(),
                                 persons_causing_harm=form.cleaned_data["persons_causing_harm"])

    return _save(request, form=form, save=save, template="web/incident_form.html",
                 context={"case": case, "form_kwargs": {"case": case}}, success=_("Incident recorded."))


@casework_required
def incident_edit(request, reference, incident_id):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    incident = get_object_or_404(policy.incidents_of(access), pk=incident_id)
    right = access.edit_right(incident)
    refuse_unless(right is not EditRight.NONE and access.sees(Facet.INCIDENT_NARRATIVES))
    if request.method == "POST":
        form = IncidentEditForm(request.POST, case=case)
    else:
        form = IncidentEditForm(initial=IncidentEditForm.initial_from(incident), case=case)
        access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.INCIDENT,
                        object_id=incident.pk, fields=list(form.fields), basis=access.basis_label)

    def save(form):
        services.incident_update(actor=actor, incident=incident, expected_version=form.cleaned_data["version"],
                                 details=form.details(), persons_causing_harm=form.cleaned_data["persons_causing_harm"],
                                 correction_reason=form.cleaned_data.get("correction_reason", ""))

    return _save(request, form=form, save=save, template="web/incident_form.html",
                 context={"case": case, "incident": incident, "form_kwargs": {"case": case},
                          "correcting": right is EditRight.LEAD_CORRECTION},
                 success=_("Incident updated."))


@require_POST
@casework_required
def note_add(request, reference, kind, record_id):
    """A note beside an incident or a need (the note form on the case page)."""
    access = policy.case_access(request.actor, reference)
    records = policy.incidents_of(access) if kind == "incident" else policy.needs_of(access)
    record = get_object_or_404(records, pk=record_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return redirect("web:case", reference=reference)
    try:
        services.note_add(actor=request.actor, record=record, text=form.cleaned_data["text"])
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, _("Note added."))
    return redirect("web:case", reference=reference)


@casework_required
def need_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    refuse_unless(access.may(Action.RECORD_NEED))
    form = NeedForm(request.POST or None)
    return _save(request, form=form, save=lambda f: services.need_record(actor=actor, case=case, details=f.details()),
                 template="web/need_form.html", context={"case": case}, success=_("Need recorded."))


@casework_required
def need_edit(request, reference, need_id):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    need = get_object_or_404(policy.needs_of(access), pk=need_id)
    right = access.edit_right(need)
    refuse_unless(right is not EditRight.NONE)
    form = NeedEditForm(request.POST if request.method == "POST" else None,
                        initial=NeedEditForm.initial_from(need))
    if request.method != "POST":
        access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.NEED,
                        object_id=need.pk, fields=list(form.fields), basis=access.basis_label)

    def save(form):
        services.need_update(actor=actor, need=need, expected_version=form.cleaned_data["version"],
                             details=form.details(), correction_reason=form.cleaned_data.get("correction_reason", ""))

    return _save(request, form=form, save=save, template="web/need_form.html",
                 context={"case": case, "need": need, "correcting": right is EditRight.LEAD_CORRECTION},
                 success=_("Need updated."))
