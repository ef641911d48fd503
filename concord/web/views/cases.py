"""The case page and the changes made from it. Every lookup goes through concord.policy: a case
the acting agency may not see is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.audit import selectors as audit_selectors
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases import services
from concord.cases.models import CaseAgency
from concord.cases.selectors import case_timeline
from concord.concurrency import StaleEdit
from concord.consent import selectors as consent_selectors
from concord.consent.services import consent_record
from concord.consent.vocabularies import Decision, Scope
from concord.web.decorators import casework_required
from concord.web.forms import AddPersonForm, CloseCaseForm, InvolveAgencyForm
from concord.web.views.actions import end_record_of_case
from concord.web.views.errors import apply_validation_error

# What the case page shows, named in its access-log entry.
CASE_PAGE_SECTIONS = ["survivor", "needs", "incidents", "timeline", "people", "agencies", "consent", "overrides"]
PROTECTED_SECTIONS = ["locations", "contact_points"]


def case_context(actor, case) -> dict:
    can_manage = policy.can_manage(actor, case)
    sees_protected = policy.can_see_protected(actor, case)
    return {
        "case": case,
        "can_manage": can_manage,
        "can_contribute": policy.can_contribute(actor, case),
        "can_correct_survivor": policy.can_correct_survivor(actor, case),
        "can_override": policy.can_authorise_override(actor, case),
        "sees_protected": sees_protected,
        # Only what was recorded on this case: need-to-know is granted case by case.
        "locations": case.protected_locations.select_related("person") if sees_protected else None,
        "contact_points": case.contact_points.select_related("person") if sees_protected else None,
        "aliases": case.survivor.aliases.order_by("kind", "name"),
        "protected_grants": case.protected_grants.filter(ended_at__isnull=True).select_related("agency")
        if can_manage else None,
        # How she may be contacted is a safe-contact detail, shown with her other protected information.
        "consent_picture": consent_selectors.consent_picture(case, contact_channels=sees_protected),
        "consent_history": consent_selectors.consent_history(case, contact_channels=sees_protected),
        # The lead agency sees every override on its case; others only those for their own agency.
        "overrides": case.overrides.select_related("agency", "authorised_by")
        if can_manage else case.overrides.filter(agency=actor.agency),
        "participants": case.participants.select_related("person"),
        "involvements": [
            (involvement, policy.agency_has_access(case, involvement.agency))
            for involvement in case.involvements.filter(ended_at__isnull=True).select_related("agency")
        ],
        "needs": case.needs.all(),
        "incidents": case.incidents.prefetch_related("violence_types", "persons_causing_harm"),
        "timeline": case_timeline(case),
    }


@casework_required
def case_detail(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    context = case_context(actor, case)
    shown = CASE_PAGE_SECTIONS + (PROTECTED_SECTIONS if context["sees_protected"] else [])
    access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.CASE, fields=shown)
    if context["can_manage"]:
        context["involve_form"] = InvolveAgencyForm(case=case)
        context["close_form"] = CloseCaseForm(initial={"version": case.version})
    return render(request, "web/case.html", context)


@casework_required
def timeline(request, reference):
    case = policy.get_case(request.actor, reference)
    access_log_case(actor=request.actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=["timeline"])
    return render(request, "web/case.html#timeline", {"case": case, "timeline": case_timeline(case)})


@require_POST
@casework_required
def agency_add(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    form = InvolveAgencyForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.agency_involve(actor=actor, case=case, agency=data["agency"], reason=data["reason"])
                if data["consent_method"]:
                    # She agreed in the same conversation: one step for the worker, two records.
                    consent_record(actor=actor, case=case, scope=Scope.SHARE_WITH_AGENCY, agency=data["agency"],
                                   decision=Decision.GIVEN, method=data["consent_method"])
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("web:case", reference=reference)
    if form.is_valid():
        messages.success(request, _("%(agency)s is now involved.") % {"agency": form.cleaned_data["agency"]})
        return redirect("web:case", reference=reference)
    context = case_context(actor, case) | {"involve_form": form,
                                           "close_form": CloseCaseForm(initial={"version": case.version})}
    return render(request, "web/case.html", context, status=422)


@require_POST
@casework_required
def agency_end(request, reference, involvement_id):
    return end_record_of_case(
        request, reference, model=CaseAgency, pk=involvement_id, success=_("%(agency)s is no longer involved."),
        end=lambda actor, record: services.agency_end_involvement(actor=actor, involvement=record))


@casework_required
def person_add(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                actor=actor, case=case, role=data["role"], relationship=data["relationship"],
                details={k: data[k] for k in ("given_name", "family_name", "date_of_birth") if data.get(k)},
            )
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("web:case", reference=reference)
        else:
            messages.success(request, _("%(name)s added to the case.") % {"name": data["given_name"]})
            return redirect("web:case", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/person_form.html", {"case": case, "form": form}, status=status)


@require_POST
@casework_required
def case_close(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(actor=actor, case=case, expected_version=form.cleaned_data["version"],
                                reason=form.cleaned_data["closure_reason"], note=form.cleaned_data["closure_note"])
        except StaleEdit as stale:
            messages.error(request, _("Someone changed this case after you opened it; look again before closing."))
            return render(request, "web/case.html", case_context(actor, stale.instance) | {
                "stale": stale, "involve_form": InvolveAgencyForm(case=stale.instance),
                "close_form": CloseCaseForm(initial={"version": stale.instance.version})}, status=409)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Case closed."))
    else:
        messages.error(request, _("Choose why support is ending."))
    return redirect("web:case", reference=reference)


@require_POST
@casework_required
def case_reopen(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    try:
        version = int(request.POST.get("version", ""))
        services.case_reopen(actor=actor, case=case, expected_version=version)
        messages.success(request, _("Case reopened."))
    except ValueError:
        messages.error(request, _("The form was incomplete; try again."))
    except StaleEdit:
        messages.error(request, _("Someone changed this case after you opened it; look again before reopening."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return redirect("web:case", reference=reference)


@casework_required
def who_has_seen(request, reference):
    """Every recorded read and change of the case, for the lead agency to tell her (her right to know)."""
    case = policy.get_case(request.actor, reference)
    if not policy.can_manage(request.actor, case):
        raise PermissionDenied
    entries = audit_selectors.who_has_seen(case, limit=2000)
    access_log_case(actor=request.actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=["access_log"])
    return render(request, "web/who_has_seen.html", {"case": case, "entries": entries})
