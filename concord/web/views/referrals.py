"""Referrals: sending one from a case (her consent to it shown first), the agency's incoming and
outgoing lists, and a referral's page: its packet for the receiver, its status for the sender, and the
answers each side may give. Every page starts from concord.policy (the case's decision, or the
referral's); a referral the agency is on neither side of is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.audit.services import access_log_append, access_log_case
from concord.policy import Action, ReferralAction
from concord.referrals import selectors, services
from concord.referrals.services import ReferralDetails
from concord.web.decorators import casework_required
from concord.web.pagination import paginate
from concord.web.referral_forms import CompleteForm, DeclineForm, ReferralFilterForm, ReferralForm, WithdrawForm
from concord.web.views.errors import apply_validation_error, refuse_unless


@casework_required
def referral_new(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    refuse_unless(access.may(Action.REFER), _("Your agency cannot send a referral from this case."))
    form = ReferralForm(request.POST or None, case=case, own_agency=actor.agency,
                        sees_needs=access.sees(Facet.NEEDS), may_override=access.may(Action.AUTHORISE_OVERRIDE))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_send(actor=actor, case=case, details=ReferralDetails(
                    to_agency=data["to_agency"], reason=data["reason"], urgency=data["urgency"],
                    needs=data.get("needs") or [], incidents=data.get("incidents") or [],
                    packet_note=data["packet_note"], packet_risk_level=data["packet_risk_level"],
                    legal_basis=data.get("legal_basis", ""), override_reason=data.get("override_reason", "")))
            except ValidationError as error:
                apply_validation_error(error, [form])
            else:
                messages.success(request, _("Referral sent to %(agency)s. They are asked to reply by %(due)s.")
                                 % {"agency": referral.to_agency.name,
                                    "due": date_format(timezone.localtime(referral.respond_by), "j M Y, H:i")})
                return redirect("web:referral", referral.pk)
    consent = selectors.consent_to_refer_by_agency(case, list(form.fields["to_agency"].queryset))
    return render(request, "web/referral_form.html", {"case": case, "form": form, "consent": consent},
                  status=status)


@casework_required
def referral_list(request):
    actor = request.actor
    form = ReferralFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    direction = filters.get("direction") or "incoming"
    page = paginate(request, selectors.referrals_of_agency(actor, direction, filters.get("status", "")))
    rows = selectors.listed(actor, list(page.object_list))
    if rows:
        access_log_append(actor=actor, action=AuditAction.VIEW, object_type="referral",
                          fields=[f"referral:{row.referral.pk}" for row in rows])
    return render(request, "web/referrals.html", {"form": form, "page": page, "rows": rows, "direction": direction,
                                                  "counts": selectors.counts_for(actor)})


def _forms(referral, data=None, which: str = ""):
    initial = {"version": referral.version}
    return {name: cls(data if name == which else None, initial=initial, prefix=name)
            for name, cls in (("decline", DeclineForm), ("complete", CompleteForm), ("withdraw", WithdrawForm))}


def _render_referral(request, seen: policy.ReferralAccess, forms=None, status: int = 200):
    referral = seen.referral
    packet = selectors.packet_of(seen)
    if packet is not None:
        access_log_case(actor=request.actor, case=referral.case, action=AuditAction.VIEW, object_type="referral",
                        object_id=referral.pk, fields=["packet"], basis=seen.decision.basis_label)
    return render(request, "web/referral.html", {
        "referral": referral, "seen": seen, "can": seen.can, "packet": packet,
        "case_visible": seen.decision.visible, "forms": forms or _forms(referral)}, status=status)


@casework_required
def referral_detail(request, referral_id):
    return _render_referral(request, policy.referral_access(request.actor, referral_id))


_ANSWERS = {
    ReferralAction.ACCEPT: _("Referral accepted: your agency is now involved in her case."),
    ReferralAction.DECLINE: _("Referral declined. The sender can see your reason."),
    ReferralAction.COMPLETE: _("Referral completed."),
    ReferralAction.WITHDRAW: _("Referral withdrawn. They no longer see it."),
}


@require_POST
@casework_required
def referral_answer(request, referral_id, action):
    actor = request.actor
    seen = policy.referral_access(actor, referral_id)
    try:
        answer = ReferralAction(action)
    except ValueError:
        raise PermissionDenied(_("No such answer.")) from None
    refuse_unless(seen.may(answer), _("This referral cannot be answered so by your agency now."))
    forms = _forms(seen.referral, request.POST, answer.value)
    referral = seen.referral
    try:
        if answer is ReferralAction.ACCEPT:
            version = int(request.POST.get("version", ""))
            services.referral_accept(actor=actor, referral=referral, expected_version=version)
        else:
            form = forms[answer.value]
            if not form.is_valid():
                return _render_referral(request, seen, forms, status=422)
            data = form.cleaned_data
            if answer is ReferralAction.DECLINE:
                services.referral_decline(actor=actor, referral=referral, reason=data["reason"], note=data["note"],
                                          expected_version=data["version"])
            elif answer is ReferralAction.COMPLETE:
                services.referral_complete(actor=actor, referral=referral, outcome=data["outcome"],
                                           note=data["note"], expected_version=data["version"])
            else:
                services.referral_withdraw(actor=actor, referral=referral, reason=data["reason"],
                                           expected_version=data["version"])
    except ValueError:
        messages.error(request, _("Reload the referral and answer again."))
        return redirect("web:referral", referral.pk)
    except ValidationError as error:
        if answer is not ReferralAction.ACCEPT:
            apply_validation_error(error, [forms[answer.value]])
            return _render_referral(request, policy.referral_access(actor, referral_id), forms, status=422)
        messages.error(request, " ".join(error.messages))
        return redirect("web:referral", referral.pk)
    messages.success(request, _ANSWERS[answer])
    if answer is ReferralAction.ACCEPT:
        return redirect(f"{reverse('web:case', args=[referral.case.reference])}#referrals-h")
    return redirect("web:referral", referral.pk)
