"""Referring a case to the multi-agency risk conference: the criteria its risk level meets and her
consent to be discussed shown first; an override only for a supervisor of the lead agency."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from concord import policy
from concord.conferences import services
from concord.conferences.services import ConferenceReferralDetails
from concord.conferences.vocabularies import Criterion
from concord.policy import Action
from concord.risk.models import CaseRisk
from concord.web.conference_forms import ConferenceReferralForm
from concord.web.decorators import casework_required
from concord.web.views.errors import apply_validation_error


@casework_required
def conference_refer(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.REFER):
        raise PermissionDenied(_("Your agency cannot refer this case."))
    form = ConferenceReferralForm(request.POST or None, may_override=access.may(Action.AUTHORISE_OVERRIDE))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.conference_refer(actor=actor, case=case, details=ConferenceReferralDetails(
                    she_knows=data["she_knows"], why_not_told=data["why_not_told"],
                    judgement_reason=data["judgement_reason"], legal_basis=data.get("legal_basis", ""),
                    override_reason=data.get("override_reason", "")))
            except ValidationError as error:
                apply_validation_error(error, [form])
            else:
                messages.success(request, _("Referred to the multi-agency risk conference. The coordinator puts "
                                            "it on the next agenda."))
                return redirect("web:case", case.reference)
    criteria = services.criteria_from_risk(CaseRisk.objects.filter(case=case).first())
    return render(request, "web/conference_refer.html", {
        "case": case, "form": form, "criteria": [Criterion(code).label for code in criteria],
        "consent": services.consent_to_discuss(case)}, status=status)
