"""The case summary export: a standalone page to print or save, with less on it than the screen
(concord.cases.exports says what never leaves). Every export is in the access log."""

from django.shortcuts import render

from concord import policy
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases.exports import case_summary
from concord.web.decorators import casework_required


@casework_required
def case_export(request, reference):
    access = policy.case_access(request.actor, reference)
    case = access.case
    summary = case_summary(access)
    access_log_case(actor=request.actor, case=case, action=AuditAction.EXPORT, object_type=ObjectType.CASE,
                    fields=summary.fields, basis=access.basis_label)
    response = render(request, "web/case_export.html", {"summary": summary, "case": case})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-summary.html"'
    return response
