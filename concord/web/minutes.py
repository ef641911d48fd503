"""The minutes of a closed conference as one agency's PDF document, for the page and the API alike:
rendered from concord.conferences.selectors.minutes_for (what that agency may read of it), and every
case item it holds written in the access log once the document exists."""

from __future__ import annotations

from concord.audit.models import AuditAction
from concord.audit.services import access_log_decisions
from concord.conferences.selectors import Minutes

from .pdf import render_pdf

OBJECT_TYPE = "conference_minutes"


def minutes_pdf(minutes: Minutes) -> bytes:
    """The document; PdfUnavailable if the server cannot draw PDF (nothing is then logged)."""
    return render_pdf("web/conference_minutes_pdf.html", {"minutes": minutes})


def minutes_filename(minutes: Minutes) -> str:
    return f"conference-{minutes.held_at:%Y-%m-%d}-{minutes.meeting.pk}-minutes.pdf"


def log_minutes(minutes: Minutes) -> None:
    """One entry per case item the document holds, as the case summary's export is logged."""
    access_log_decisions(action=AuditAction.EXPORT, object_type=OBJECT_TYPE,
                         shown=[(minutes.meeting.pk, item.held.decision, [*item.fields, "pdf"])
                                for item in minutes.items])
