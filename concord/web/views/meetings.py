"""The multi-agency risk conference's meetings: the list (and, for the coordinator, the referrals
waiting and a form to schedule a meeting), a meeting's page with its agenda, and the coordinator's
and the chair's forms on it. Every page starts from concord.policy: the meetings the actor may see,
and each agenda case's item under that case's own decision; a meeting the actor's agency is not at
is a 404. Each case shown is written to the access log with its basis."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord import policy
from concord.accounts.models import Role
from concord.audit.models import AuditAction
from concord.audit.services import access_log_decisions
from concord.conferences import selectors, services
from concord.conferences.models import Attendance, ConferenceSeries
from concord.conferences.services import AttendanceLine, MeetingDetails
from concord.policy import AccessDecision, MeetingAccess, MeetingAction
from concord.web.decorators import casework_required
from concord.web.meeting_forms import AttendanceForm, MeetingChangeForm, MeetingForm, VersionForm
from concord.web.views.errors import apply_validation_error, refuse_unless


def log_items_shown(shown: list[tuple[int, AccessDecision]], fields: list[str]) -> None:
    """One access-log entry per agenda case shown (conference referral id, the decision it was read on)."""
    access_log_decisions(action=AuditAction.VIEW, object_type="conference_referral",
                         shown=[(item_id, decision, fields) for item_id, decision in shown])


def _is_coordinator(actor) -> bool:
    """Coordinates one of the area's conference series (policy.coordinates)."""
    return actor.role == Role.CONFERENCE_COORDINATOR and any(
        policy.coordinates(actor, series) for series in ConferenceSeries.objects.filter(area=actor.area))


def _details(data) -> MeetingDetails:
    return MeetingDetails(held_at=data["held_at"], chair=data.get("chair"), invited=tuple(data.get("invited") or ()))


# --- The list --------------------------------------------------------------------------------------------

def _list_page(request, schedule_form: MeetingForm | None = None, status: int = 200):
    actor = request.actor
    now = timezone.now()
    meetings = list(policy.meetings_visible_to(actor).select_related("series", "chair").order_by("held_at", "id"))
    coordinates = _is_coordinator(actor)
    waiting = selectors.waiting_held(actor, actor.area) if coordinates else []
    log_items_shown([(line.referral.pk, line.decision) for line in waiting],
                    ["name", "risk_level", "criteria", "referred_at"])
    if coordinates and schedule_form is None:
        schedule_form = MeetingForm(area=actor.area, prefix="schedule")
    return render(request, "web/conferences.html", {
        "upcoming": [m for m in meetings if m.held_at >= now and not m.is_closed],
        "past": list(reversed([m for m in meetings if m.held_at < now or m.is_closed])),
        "waiting": waiting, "coordinates": coordinates,
        "schedule_form": schedule_form}, status=status)


@casework_required
def conference_list(request):
    actor = request.actor
    if request.method != "POST":
        return _list_page(request)
    if not _is_coordinator(actor):
        raise PermissionDenied(_("Only a conference coordinator of the area schedules its meetings."))
    form = MeetingForm(request.POST, area=actor.area, prefix="schedule")
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=actor, series=form.cleaned_data["series"],
                                                details=_details(form.cleaned_data))
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Meeting scheduled. Build its agenda from the waiting referrals."))
            return redirect("web:conference_meeting", meeting.pk)
    return _list_page(request, form, status=422)


# --- A meeting -------------------------------------------------------------------------------------------

STATUS_LABELS = {"draft": _("Agenda not released"), "released": _("Agenda released"), "closed": _("Closed")}


def _status(meeting) -> str:
    return "closed" if meeting.is_closed else "released" if meeting.is_released else "draft"


def _forms(seen: MeetingAccess, bound: dict | None = None) -> dict:
    """The forms the actor is offered on this meeting, one of them bound (its name: `bound["which"]`)."""
    meeting, which, data = seen.meeting, (bound or {}).get("which"), (bound or {}).get("data")
    version = {"version": meeting.version}
    forms: dict = {}
    if seen.may(MeetingAction.COORDINATE) and not meeting.is_closed:
        forms["change"] = MeetingChangeForm(data if which == "change" else None, meeting=meeting, prefix="change")
        forms["release"] = VersionForm(data if which == "release" else None, initial=version, prefix="release")
    if seen.may(MeetingAction.CHAIR):
        recorded = {row.agency_id: (row.status, row.names) for row in Attendance.objects.filter(meeting=meeting)}
        forms["attendance"] = AttendanceForm(data if which == "attendance" else None, meeting=meeting,
                                             recorded=recorded, prefix="attendance")
        forms["close"] = VersionForm(data if which == "close" else None, initial=version, prefix="close")
    return forms


def _moves(agenda: list[selectors.AgendaLine]) -> dict[int, dict[str, str]]:
    """For each line, the whole order after moving it up or down (what its buttons post)."""
    ids = [line.referral.pk for line in agenda]
    moves: dict[int, dict[str, str]] = {}
    for at, pk in enumerate(ids):
        moves[pk] = {}
        for name, other in (("up", at - 1), ("down", at + 1)):
            if 0 <= other < len(ids):
                order = list(ids)
                order[at], order[other] = order[other], order[at]
                moves[pk][name] = ",".join(str(each) for each in order)
    return moves


def render_meeting(request, seen: MeetingAccess, forms: dict | None = None, status: int = 200, errors=()):
    agenda = selectors.agenda_of(seen)
    log_items_shown([(line.referral.pk, line.decision) for line in agenda if line.decision],
                    ["name", "risk_level"])
    meeting = seen.meeting
    moves = _moves(agenda) if seen.may(MeetingAction.COORDINATE) and not meeting.is_closed else {}
    return render(request, "web/conference_meeting.html", {
        "meeting": meeting, "seen": seen, "can": seen.can, "agenda": agenda, "moves": moves,
        "status_label": STATUS_LABELS[_status(meeting)], "invited": list(meeting.invited.order_by("name")),
        "attendance": list(Attendance.objects.filter(meeting=meeting).select_related("agency")),
        "forms": forms if forms is not None else _forms(seen), "errors": list(errors),
        "minutes_url": reverse("web:conference_minutes", args=[meeting.pk])}, status=status)


@casework_required
def conference_meeting(request, meeting_id):
    return render_meeting(request, policy.meeting_access(request.actor, meeting_id))


def _version(request, prefix: str) -> int | None:
    try:
        return int(request.POST.get(f"{prefix}-version", ""))
    except ValueError:
        return None


@require_POST
@casework_required
def conference_meeting_change(request, meeting_id, action):
    """The coordinator's (build, reorder, release, change) and the chair's (attendance, close) forms."""
    actor = request.actor
    seen = policy.meeting_access(actor, meeting_id)
    meeting = seen.meeting
    coordinating = {"build", "reorder", "release", "change"}
    if action in coordinating:
        refuse_unless(seen.may(MeetingAction.COORDINATE), _("Only the conference coordinator changes the agenda."))
    elif action in {"attendance", "close"}:
        refuse_unless(seen.may(MeetingAction.CHAIR), _("Only the chair records the meeting, while it is open."))
    else:
        raise PermissionDenied(_("No such change."))
    forms = _forms(seen, {"which": action, "data": request.POST})
    form = forms.get(action)
    try:
        if action == "build":
            built = services.agenda_build(actor=actor, meeting=meeting)
            messages.success(request, ngettext("%(n)s case put on the agenda.", "%(n)s cases put on the agenda.",
                                               len(built.listed)) % {"n": len(built.listed)}
                             + " " + (ngettext("%(n)s more waits for the next meeting: the agenda is full.",
                                               "%(n)s more wait for the next meeting: the agenda is full.",
                                               built.overflow) % {"n": built.overflow} if built.overflow else ""))
        elif action == "reorder":
            try:
                order = [int(pk) for pk in request.POST.get("order", "").split(",") if pk]
            except ValueError:
                order = []
            services.agenda_reorder(actor=actor, meeting=meeting, order=order, version=_version(request, "reorder"))
            messages.success(request, _("Agenda reordered."))
        elif form is None or not form.is_valid():
            return render_meeting(request, seen, forms, status=422)
        elif action == "release":
            services.agenda_release(actor=actor, meeting=meeting, version=form.cleaned_data["version"])
            messages.success(request, _("Agenda released: the invited agencies can read its cases and record "
                                        "their research."))
        elif action == "change":
            services.meeting_change(actor=actor, meeting=meeting, details=_details(form.cleaned_data),
                                    version=form.cleaned_data["version"])
            messages.success(request, _("Meeting changed."))
        elif action == "attendance":
            services.attendance_record(actor=actor, meeting=meeting, lines=[
                AttendanceLine(agency=agency, status=status, names=names) for agency, status, names in form.lines()])
            messages.success(request, _("Attendance recorded."))
        else:
            services.meeting_close(actor=actor, meeting=meeting, version=form.cleaned_data["version"])
            messages.success(request, _("Meeting closed. Cases not discussed wait for the next meeting."))
    except ValidationError as error:
        if form is None:  # build and reorder have no fields of their own: the message goes on the top
            seen = policy.meeting_access(actor, meeting_id)
            return render_meeting(request, seen, _forms(seen), status=422, errors=error.messages)
        apply_validation_error(error, [form])
        return render_meeting(request, policy.meeting_access(actor, meeting_id), forms, status=422)
    return redirect(f"{reverse('web:conference_meeting', args=[meeting.pk])}#agenda-h")
