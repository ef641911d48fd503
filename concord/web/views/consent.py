"""Consent, overrides, protected information, restriction and conflicts of interest on a case."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord import policy
from concord.access.facets import Facet, facet_labels
from concord.accounts.models import User
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case, access_log_listed
from concord.cases import services as case_services
from concord.consent import services
from concord.consent.models import Override, ProtectedInfoGrant, WithdrawalToConfirm
from concord.policy import Action
from concord.web.decorators import casework_required
from concord.web.forms import ConflictForm, ConsentForm, LocationForm, OverrideForm, ProtectedGrantForm
from concord.web.views.actions import end_record_of_case
from concord.web.views.errors import apply_validation_error


def _form_page(request, *, case, form, title, template="web/case_form.html", save, success):
    """`success`: the message, or a function of what `save` returned giving (level, message)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            level, message = success(saved) if callable(success) else (messages.SUCCESS, success)
            messages.add_message(request, level, message)
            return redirect("web:case", reference=case.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"case": case, "form": form, "title": title}, status=status)


@casework_required
def consent_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    form = ConsentForm(request.POST or None, case=case, access=access)
    their = case.survivor.pronoun_forms.their
    return _form_page(request, case=case, form=form, title=_("Record %(their)s consent decision") % {"their": their},
                      save=lambda f: services.consent_record(actor=actor, case=case, **f.decision_details()),
                      success=lambda recorded: _consent_recorded(recorded, their=their))


def _consent_recorded(recorded, *, their: str) -> tuple[int, str]:
    if isinstance(recorded, WithdrawalToConfirm):
        due = date_format(timezone.localtime(recorded.due_at), "j M Y H:i")
        # Recorded: what she said is kept, and the lead agency is asked (sharing narrows once it confirms).
        return messages.SUCCESS, _("Sent to the lead agency to confirm by %(due)s: sharing goes on until it "
                                   "does.") % {"due": due}
    return messages.SUCCESS, _("%(their)s decision is recorded.") % {"their": capfirst(their)}


@require_POST
@casework_required
def withdrawal_resolve(request, reference, withdrawal_id):
    """The lead agency confirms a withdrawal another agency was told of, or says why it does not."""
    actor = request.actor
    access = policy.case_access(actor, reference)
    if not access.may(Action.MANAGE):
        raise PermissionDenied
    withdrawal = get_object_or_404(WithdrawalToConfirm, pk=withdrawal_id, case=access.case)
    confirm = request.POST.get("outcome") == "confirmed"
    try:
        services.withdrawal_resolve(actor=actor, withdrawal=withdrawal, confirm=confirm,
                                    note=request.POST.get("outcome_note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        their = capfirst(access.case.survivor.pronoun_forms.their)
        messages.success(request, _("%(their)s withdrawal is confirmed: sharing has narrowed.") % {"their": their}
                         if confirm else _("Not confirmed: sharing goes on, and your reason is kept."))
    return redirect("web:case", reference=reference)


@casework_required
def override_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.AUTHORISE_OVERRIDE):
        raise PermissionDenied
    # Renewing one in force: the same agency, basis and purpose offered again, with a new reason and
    # expiry; the old one ends when the new one is authorised.
    renewing = (case.overrides.filter(pk=request.GET["renew"]).select_related("agency").first()
                if request.GET.get("renew", "").isdigit() else None)
    if renewing is not None and not renewing.in_force():
        renewing = None
    form = OverrideForm(request.POST or None, case=case, renewing=renewing)

    def save(form):
        data = form.cleaned_data
        with transaction.atomic():
            services.override_authorise(actor=actor, case=case, agency=data["agency"],
                                        legal_basis=data["legal_basis"], reason=data["reason"],
                                        expires_at=form.expires_at(), facets=data["facets"])
            if renewing is not None:
                services.override_end(actor=actor, override=renewing)

    if renewing is not None:
        return _form_page(request, case=case, form=form, save=save,
                          title=_("Renew the override for %(agency)s") % {"agency": renewing.agency.name},
                          success=_("Override renewed: the new one replaces the old, which has ended."))
    return _form_page(request, case=case, form=form, title=_("Authorise an override"), save=save,
                      success=_("Override authorised. It is listed for review."))


@require_POST
@casework_required
def override_end(request, reference, override_id):
    return end_record_of_case(
        request, reference, model=Override, pk=override_id, success=_("Override for %(agency)s ended."),
        end=lambda actor, record: services.override_end(actor=actor, override=record),
        back=(reverse("web:overrides") if request.POST.get("back") == "review"
              else reverse("web:sharing", args=[reference])))


# Every piece of case data the sharing page reads, and the facet it belongs to (as CASE_PAGE_FACETS).
SHARING_PAGE_FACETS = {
    "case": Facet.CORE,
    "restricted_to": Facet.CORE,
    "sharing": Facet.OVERRIDES,  # every agency's bases: her consent to each, overrides, grants
    "overrides": Facet.OVERRIDES,
    "protected_grants": Facet.PROTECTED,
}


@require_safe
@casework_required
def sharing(request, reference):
    """Who sees the case now and why, the overrides given on it, and who shares her protected details:
    the lead agency's oversight, on a page of its own so that the case page stays about her."""
    access = policy.case_access(request.actor, reference)
    if not access.may(Action.MANAGE):
        raise PermissionDenied
    case = access.case
    by_agency: dict[int, dict] = {}
    for row in policy.sharing_of(access):
        entry = by_agency.setdefault(row.agency_id, {"agency": row.agency, "bases": []})
        entry["bases"].append({"basis": row.get_basis_display(), "until": row.valid_until,
                               "facets": facet_labels(row.facets)})
    context = {
        "access": access, "can": access.can, "case": case,
        "restricted_to": case_services.staff_who_can_see(case) if case.is_restricted else [],
        "sharing": list(by_agency.values()),
        "overrides": (list(case.overrides.select_related("agency", "authorised_by"))
                      if access.sees(Facet.OVERRIDES) else []),
        "protected_grants": (list(case.protected_grants.filter(ended_at__isnull=True).select_related("agency"))
                             if access.sees(Facet.PROTECTED) else []),
    }
    access_log_case(actor=request.actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=[name for name, facet in SHARING_PAGE_FACETS.items() if access.sees(facet)],
                    basis=access.basis_label)
    return render(request, "web/sharing.html", context)


@casework_required
def protected_grant_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.MANAGE):
        raise PermissionDenied
    form = ProtectedGrantForm(request.POST or None, case=case)
    title = _("Share %(their)s protected information") % {"their": case.survivor.pronoun_forms.their}
    return _form_page(request, case=case, form=form, title=title,
                      save=lambda f: services.protected_info_grant(actor=actor, case=case, **f.cleaned_data),
                      success=_("Protected information shared."))


@require_POST
@casework_required
def protected_grant_end(request, reference, grant_id):
    return end_record_of_case(
        request, reference, model=ProtectedInfoGrant, pk=grant_id,
        success=_("%(agency)s no longer sees her protected information."),
        end=lambda actor, record: services.protected_info_revoke(actor=actor, grant=record),
        back=reverse("web:sharing", args=[reference]))


@casework_required
def location_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.RECORD_PROTECTED):
        raise PermissionDenied
    form = LocationForm(request.POST or None)
    return _form_page(request, case=case, form=form, title=_("Record a protected location"),
                      save=lambda f: case_services.location_record(actor=actor, case=case, **f.cleaned_data),
                      success=_("Location recorded (encrypted)."))


@casework_required
def restriction(request, reference):
    """Restrict the case to named staff of the agencies on it, or lift the restriction."""
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.MANAGE):
        raise PermissionDenied
    agency_ids = {case.lead_agency_id, *case.involvements.filter(ended_at__isnull=True).values_list("agency_id",
                                                                                                      flat=True)}
    staff = (User.objects.filter(Q(memberships__agency_id__in=agency_ids), memberships__is_active=True, is_active=True)
             .distinct().order_by("last_name", "first_name"))
    named = set(case.restricted_members.filter(removed_at__isnull=True).values_list("user_id", flat=True))
    if request.method == "POST":
        if request.POST.get("action") == "lift":
            case_services.case_unrestrict(actor=actor, case=case)
            messages.success(request, _("Restriction lifted."))
        else:
            chosen = list(staff.filter(pk__in=[v for v in request.POST.getlist("named") if v.isdigit()]))
            case_services.case_restrict(actor=actor, case=case, named_users=chosen)
            names = ", ".join(str(user) for user in case_services.staff_who_can_see(case))
            messages.success(request, _("Case restricted. Who can see it now: %(names)s.") % {"names": names})
        return redirect("web:case", reference=reference)
    return render(request, "web/restriction.html", {"case": case, "staff": staff, "named": named})


@require_POST
@casework_required
def conflict_declare(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    form = ConflictForm(request.POST)
    form.is_valid()
    case_services.conflict_declare(actor=actor, case=case, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Conflict of interest recorded: you no longer have access to %(ref)s.")
                     % {"ref": reference})
    return redirect("web:home")


@casework_required
def overrides_review(request):
    """Overrides on cases the actor may see now, for review: the lead agency sees all on its cases,
    an agency given access sees its own. An override on a case the actor can no longer see (expired,
    restricted, a declared conflict) is not shown: its reason is case content."""
    overrides = list(policy.overrides_visible_to(request.actor)[:500])
    access_log_listed(actor=request.actor, cases={o.case for o in overrides}, fields=["overrides"])
    return render(request, "web/overrides.html", {
        "overrides": overrides, "actionable": policy.overrides_actionable_by(request.actor, overrides)})
