"""Her contact rules: how she says she may be contacted, one set across all her cases, changed from
any case the agency sees with her contact details. A case the agency may not see is a 404; one it
sees without her contact details is a 403, as for her contact numbers (views/people.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.contact import selectors
from concord.contact.services import contact_rules_set
from concord.policy import Action
from concord.web.contact_forms import ContactRulesForm
from concord.web.decorators import casework_required
from concord.web.views.errors import apply_validation_error

RULES = "contact_rules"


@casework_required
def contact_rules(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not (access.may(Action.RECORD_CONTACT_CONSENT) and access.sees(Facet.CONTACT_CHANNELS)):
        raise PermissionDenied(_("Your agency's access to this case does not include how she may be contacted."))
    shown = selectors.contact_rules_of(case.survivor)
    rules = shown.rules if shown is not None else None
    data = request.POST if request.method == "POST" else None
    form = ContactRulesForm(data, initial=ContactRulesForm.initial_from(rules),
                            rows=ContactRulesForm.rows_for(rules, data))
    status, stale = 200, False
    if data is not None:
        status = 422
        if form.is_valid():
            try:
                contact_rules_set(access=access, changes=form.changes(), version=form.cleaned_data["version"])
            except ValidationError as error:
                if "version" in getattr(error, "error_dict", {}):
                    # Nothing was saved. The worker's entries stay, beside her rules as they are now; the
                    # form takes their version, so that saving again is a choice made knowing the change.
                    status, stale = 409, True
                    shown = selectors.contact_rules_of(case.survivor)
                    form = _moved_to_current(data, shown)
                    form.add_error(None, error.error_dict["version"])
                else:
                    apply_validation_error(error, [form])
            else:
                messages.success(request, _("Her contact rules are saved. They hold on all her cases."))
                return redirect(f"{reverse('web:case', args=[case.reference])}#contact-rules-h")
    points = selectors.contact_points_for_rules(case) if access.sees(Facet.PROTECTED) else None
    access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=RULES,
                    object_id=rules.pk if rules is not None else None,
                    fields=[RULES, *(["contact_points"] if points is not None else [])], basis=access.basis_label)
    return render(request, "web/contact_rules.html", {"case": case, "form": form, "shown": shown,
                                                      "points": points, "stale": stale}, status=status)


def _moved_to_current(data, shown: selectors.RulesShown | None) -> ContactRulesForm:
    rules = shown.rules if shown is not None else None
    data = data.copy()
    data["version"] = rules.version if rules is not None else ""
    form = ContactRulesForm(data, rows=ContactRulesForm.rows_for(rules, data))
    form.is_valid()
    return form
