"""Correcting a person on a case: their details (with the version the form was drawn from, as
incidents and needs are edited), other names, and her contact details with whether each is safe.

Every view reaches the person through the case (concord.policy): a case the actor may not see, or a
person not on it, is a 404. Contact details need her protected information on this case: 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases import people_services
from concord.policy import Action
from concord.web.decorators import casework_required
from concord.web.forms import AliasForm, ContactPointForm, ContactSafetyForm, PersonEditForm
from concord.web.views.errors import apply_validation_error
from concord.web.views.records import _save as save_versioned_form

PERSON_TEMPLATE = "web/person_edit.html"


def _case_and_person(request, reference, person_id, *, needs: Action):
    """The case and the person on it (else 404), and a 403 unless the decision offers this action."""
    access = policy.case_access(request.actor, reference)
    person = policy.get_person_on_case(access, person_id)
    if not access.may(needs):
        raise PermissionDenied
    return access, access.case, person


def _person_page(case, person, **forms):
    return {"case": case, "person": person, "aliases": person.aliases.order_by("kind", "name"), **forms}


@casework_required
def person_edit(request, reference, person_id):
    actor = request.actor
    access, case, person = _case_and_person(request, reference, person_id, needs=Action.CORRECT_DETAILS)
    if request.method == "POST":
        form = PersonEditForm(request.POST)
    else:
        form = PersonEditForm(initial=PersonEditForm.initial_from(person))
        access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.PERSON,
                        object_id=person.pk, fields=[*form.fields, "aliases"], basis=access.basis_label)

    def save(form):
        people_services.person_update(actor=actor, case=case, person=person,
                                      expected_version=form.cleaned_data["version"], details=form.details())

    return save_versioned_form(request, form=form, save=save, template=PERSON_TEMPLATE,
                               context=_person_page(case, person, alias_form=AliasForm()),
                               success=_("%(name)s's details updated.") % {"name": person.given_name})


@require_POST
@casework_required
def alias_add(request, reference, person_id):
    actor = request.actor
    _access, case, person = _case_and_person(request, reference, person_id, needs=Action.CORRECT_DETAILS)
    alias_form = AliasForm(request.POST)
    if alias_form.is_valid():
        try:
            people_services.alias_add(actor=actor, case=case, person=person, name=alias_form.cleaned_data["alias_name"],
                                      kind=alias_form.cleaned_data["alias_kind"])
        except ValidationError as error:
            # The service names the model's fields; the form's are prefixed to sit beside the person's.
            error_dict = getattr(error, "error_dict", {})
            alias_form.add_error("alias_name" if "name" in error_dict else None, error.messages)
        except PermissionDenied as denied:
            alias_form.add_error(None, str(denied))
        else:
            messages.success(request, _("Name added."))
            return redirect("web:person_edit", reference=reference, person_id=person.pk)
    form = PersonEditForm(initial=PersonEditForm.initial_from(person))
    return render(request, PERSON_TEMPLATE, _person_page(case, person, form=form, alias_form=alias_form),
                  status=422)


@casework_required
def contact_point_add(request, reference, person_id):
    actor = request.actor
    _access, case, person = _case_and_person(request, reference, person_id, needs=Action.RECORD_PROTECTED)
    form = ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.contact_point_add(actor=actor, case=case, person=person,
                                              details=form.details())
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Contact details recorded (encrypted)."))
            return redirect("web:case", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/case_form.html", {
        "case": case, "form": form, "title": _("Add a contact number or e-mail for %(name)s")
        % {"name": person.full_name}}, status=status)


@casework_required
def contact_point_mark(request, reference, person_id, contact_point_id):
    """Mark a number or address not safe (the case page's one-click button posts here), or, on its own
    page, safe again with a reason and a confirmation."""
    actor = request.actor
    # The action is checked before the lookup, so an id tells nothing to those without access.
    access, case, person = _case_and_person(request, reference, person_id, needs=Action.RECORD_PROTECTED)
    contact_point = get_object_or_404(case.contact_points, pk=contact_point_id, person=person)
    marked_not_safe = contact_point.safe_to_use is False
    form = ContactSafetyForm(request.POST or None, marked_not_safe=marked_not_safe)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.contact_point_mark(actor=actor, case=case, contact_point=contact_point,
                                               safe_to_use=form.cleaned_data["safe_to_use"],
                                               note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Marked safe to use.") if form.cleaned_data["safe_to_use"]
                             else _("Marked NOT safe to use."))
            return redirect("web:case", reference=reference)
    status = 422 if request.method == "POST" else 200
    access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.PROTECTED,
                    object_id=contact_point.pk, fields=["contact_points"], basis=access.basis_label)
    return render(request, "web/contact_safety.html", {
        "case": case, "person": person, "contact_point": contact_point, "form": form,
        "marked_not_safe": marked_not_safe}, status=status)
    people_services.contact_point_mark(actor=actor, case=case, contact_point=contact_point,
                                       safe_to_use=form.cleaned_data["safe_to_use"], note=form.cleaned_data["note"])
    if form.cleaned_data["safe_to_use"]:
        messages.success(request, _("Marked safe to use."))
    else:
        messages.success(request, _("Marked NOT safe to use."))
    return redirect("web:case", reference=reference)
