"""The case summary: a page to read or print, and the same summary as a PDF document (for a court
bundle, a referral, a meeting) whose footer says who printed it, when and for what. Both carry less
than the screen (concord.cases.exports says what never leaves), and every one is in the access log."""

from django.shortcuts import render

from concord import policy
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases.exports import case_summary
from concord.web.decorators import casework_required
from concord.web.forms import SummaryPdfForm
from concord.web.pdf import PdfUnavailable, pdf_response, render_pdf


@casework_required
def case_export(request, reference):
    access = policy.case_access(request.actor, reference)
    return _summary_page(request, access, SummaryPdfForm())


@casework_required
def case_export_pdf(request, reference):
    access = policy.case_access(request.actor, reference)
    form = SummaryPdfForm(request.GET)
    if not form.is_valid():
        return _summary_page(request, access, form, status=422)
    summary = case_summary(access, purpose=form.cleaned_data["purpose"], purpose_detail=form.cleaned_data["detail"])
    try:
        content = render_pdf("web/case_summary_pdf.html", {"summary": summary, "case": access.case})
    except PdfUnavailable:
        return render(request, "web/pdf_unavailable.html", {"case": access.case}, status=503)
    # Logged once the document exists: a failed rendering gave nobody anything.
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.EXPORT, object_type=ObjectType.CASE,
                    fields=[*summary.fields, "pdf"], basis=access.basis_label)
    return pdf_response(content, f"{access.case.reference}-summary.pdf")


def _summary_page(request, access, form, status=200):
    summary = case_summary(access)
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.EXPORT, object_type=ObjectType.CASE,
                    fields=summary.fields, basis=access.basis_label)
    return render(request, "web/case_export.html", {"summary": summary, "case": access.case, "form": form},
                  status=status)
