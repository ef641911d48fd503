"""New-case intake: survivor, first incident, her first need, person causing harm — one transaction."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from concord import policy
from concord.audit.services import access_log_people_shown
from concord.cases import services
from concord.cases.selectors import possible_existing_people
from concord.web.decorators import casework_required
from concord.web.forms import IncidentForm, IntakeNeedForm, PersonCausingHarmForm, SurvivorForm
from concord.web.views.errors import apply_validation_error


def _matches(actor, data):
    form = SurvivorForm(data)
    form.is_valid()  # partial data is fine here: we only read what parsed
    cleaned = form.cleaned_data
    if not cleaned.get("given_name") and not cleaned.get("family_name"):
        return []
    found = list(possible_existing_people(actor, given_name=cleaned.get("given_name", ""),
                                          family_name=cleaned.get("family_name", ""),
                                          date_of_birth=cleaned.get("date_of_birth")))
    access_log_people_shown(actor=actor, people=found, where="intake:possible-matches")
    return found


@casework_required
def possible_matches(request):
    """htmx: people the worker's agency already knows with this name / date of birth."""
    return render(request, "web/intake.html#matches", {"matches": _matches(request.actor, request.GET),
                                                       "checked": True})


@casework_required
def intake(request):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    survivor_form = SurvivorForm(data)
    incident_form = IncidentForm(data, area=actor.area)
    need_form = IntakeNeedForm(data)
    harm_form = PersonCausingHarmForm(data)
    context = {"survivor_form": survivor_form, "incident_form": incident_form, "need_form": need_form,
               "harm_form": harm_form, "matches": [], "checked": False}
    if request.method != "POST":
        return render(request, "web/intake.html", context)

    existing = None
    if existing_id := request.POST.get("existing_person"):
        try:
            existing = policy.get_person(actor, int(existing_id))
        except (ValueError, TypeError):
            existing = None
    survivor_ok = existing is not None or survivor_form.is_valid()
    others_ok = all([incident_form.is_valid(), need_form.is_valid(), harm_form.is_valid()])
    if survivor_ok and others_ok and existing is None and not request.POST.get("confirm_new_person"):
        # Before creating a new person, show anyone this agency already knows who may be her.
        matches = _matches(actor, request.POST)
        if matches:
            context.update(matches=matches, checked=True, must_choose=True)
            return render(request, "web/intake.html", context, status=200)
    if not (survivor_ok and others_ok):
        messages.error(request, _("Some answers need attention: see the messages beside the fields."))
        return render(request, "web/intake.html", context, status=422)
    try:
        case = services.case_open(
            actor=actor,
            survivor=existing,
            survivor_details=None if existing else survivor_form.details(),
            aliases=[] if existing else survivor_form.alias_list(),
            previous_names=[] if existing else survivor_form.previous_name_list(),
            contact_points=[] if existing else survivor_form.contact_points(),
            first_incident=incident_form.details(),
            needs=need_form.details(),
            persons_causing_harm=harm_form.details(),
        )
    except ValidationError as error:
        apply_validation_error(error, [survivor_form, incident_form, need_form, harm_form])
        return render(request, "web/intake.html", context, status=422)
    messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
    return redirect("web:case", reference=case.reference)
