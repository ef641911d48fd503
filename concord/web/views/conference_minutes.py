"""A closed conference's minutes as a PDF, redacted for the reader's agency (issue 17): 404 for a
meeting the reader may not see, 403 before it is closed, 503 if the server cannot draw PDF."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from concord import policy
from concord.conferences.selectors import minutes_for
from concord.policy import MeetingAction
from concord.web.decorators import casework_required
from concord.web.minutes import log_minutes, minutes_filename, minutes_pdf
from concord.web.pdf import PdfUnavailable, pdf_response


@casework_required
def conference_minutes(request, meeting_id):
    seen = policy.meeting_access(request.actor, meeting_id)
    if not seen.may(MeetingAction.MINUTES):
        raise PermissionDenied(_("The minutes are ready once the chair closes the meeting."))
    minutes = minutes_for(request.actor, seen.meeting, seen=seen)
    try:
        content = minutes_pdf(minutes)
    except PdfUnavailable:
        return render(request, "web/pdf_unavailable.html", {}, status=503)
    log_minutes(minutes)  # once the document exists: a failed rendering gave nobody anything
    return pdf_response(content, minutes_filename(minutes))
