"""The meeting view of one agenda case (its conference item), with the research form of each invited
agency and the chair's discussion and actions; and a conference action's own page, where its owner
agency closes it. A case's item is shown under the reader's decision on that case (never the case
itself: the case page stays a 404 for an agency that only holds the item), and every view of one is
written to the access log."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.audit.services import access_log_case
from concord.conferences import selectors, services
from concord.conferences.models import RESEARCH_TEXTS, withholds_her_views
from concord.conferences.services import ActionDetails, ResearchDetails
from concord.policy import MeetingAccess, MeetingAction
from concord.web.decorators import casework_required
from concord.web.meeting_forms import ActionCloseForm, ActionForm, DiscussionForm, ResearchForm
from concord.web.views.errors import apply_validation_error

# What the item page's template reads of her case, and the facet each belongs to (its needs and her words
# are inside `item`, each held back by the selector unless the decision holds their own facet).
ITEM_PAGE_FACETS = {"item": Facet.CONFERENCE_ITEM, "previous": Facet.CONFERENCE_ITEM,
                    "following": Facet.CONFERENCE_ITEM}

DUE_AT = datetime.time(17, 0)  # an action due on a day is due by the end of its working day


def _item(actor, meeting_id, referral_id) -> tuple[MeetingAccess, selectors.ConferenceItem]:
    """The meeting and one of its agenda cases, if the actor reads its item now; else 404."""
    seen = policy.meeting_access(actor, meeting_id)
    decision = seen.item(referral_id) if isinstance(referral_id, int) else None
    if decision is None:
        raise Http404("No such conference item.")
    referral, decision = policy.conference_item_access(actor, referral_id)
    if referral.meeting_id != seen.meeting.pk:
        raise Http404("No such conference item.")
    return seen, selectors.item_of(referral, decision)


def _own_research(actor, item: selectors.ConferenceItem):
    return next((line.research for line in item.research if line.research.agency_id == actor.agency.pk), None)


def _forms(actor, seen: MeetingAccess, item: selectors.ConferenceItem, which: str = "", data=None) -> dict:
    forms: dict = {}
    if seen.may(MeetingAction.RESEARCH):
        own = _own_research(actor, item)
        initial = {"version": own.version if own else 0}
        if own is not None:
            initial |= {name: getattr(own, name) for name in (*RESEARCH_TEXTS, "nothing_held")}
        forms["research"] = ResearchForm(data if which == "research" else None, initial=initial, prefix="research",
                                         perpetrator_facing=withholds_her_views(actor.agency))
    if seen.may(MeetingAction.CHAIR):
        referral = item.referral
        forms["discussion"] = DiscussionForm(data if which == "discussion" else None, prefix="discussion",
                                             initial={"version": referral.version,
                                                      "summary": referral.discussion_summary})
        forms["action"] = ActionForm(data if which == "action" else None, meeting=seen.meeting, prefix="action")
    return forms


def _render(request, seen: MeetingAccess, item: selectors.ConferenceItem, forms: dict | None = None,
            status: int = 200):
    actor = request.actor
    access_log_case(actor=actor, case=item.referral.case, action=AuditAction.VIEW, object_type="conference_referral",
                    object_id=item.referral.pk, fields=item.fields_shown, basis=item.decision.basis_label)
    agenda = selectors.agenda_of(seen)
    previous, following = selectors.neighbours(agenda, item.referral.pk)
    return render(request, "web/conference_item.html", {
        "meeting": seen.meeting, "item": item, "can": seen.can, "previous": previous, "following": following,
        "withholds_her_views": withholds_her_views(actor.agency),
        "forms": forms if forms is not None else _forms(actor, seen, item)}, status=status)


@casework_required
def conference_item(request, meeting_id, referral_id):
    seen, item = _item(request.actor, meeting_id, referral_id)
    return _render(request, seen, item)


def _due_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, DUE_AT))


@require_POST
@casework_required
def conference_item_change(request, meeting_id, referral_id, action):
    """An invited agency's research; the chair's discussion summary and the actions agreed."""
    actor = request.actor
    seen, item = _item(actor, meeting_id, referral_id)
    if action not in ("research", "discussion", "action"):
        raise PermissionDenied(_("No such change."))
    forms = _forms(actor, seen, item, action, request.POST)
    form = forms.get(action)
    if form is None:
        raise PermissionDenied(_("Only an invited agency records research, and only the chair the discussion and "
                                 "its actions, while the meeting is open."))
    if not form.is_valid():
        return _render(request, seen, item, forms, status=422)
    data, referral = form.cleaned_data, item.referral
    try:
        if action == "research":
            services.research_record(actor=actor, referral=referral, version=data["version"], details=ResearchDetails(
                involvement=data["involvement"], incidents=data["incidents"], risks=data["risks"],
                children=data["children"], her_views=data.get("her_views", ""), nothing_held=data["nothing_held"]))
            messages.success(request, _("Your agency's research is recorded."))
        elif action == "discussion":
            services.discussion_record(actor=actor, referral=referral, summary=data["summary"],
                                       version=data["version"])
            messages.success(request, _("Discussion recorded."))
        else:
            services.action_agree(actor=actor, referral=referral, details=ActionDetails(
                owner_agency=data["owner_agency"], description=data["description"], due_at=_due_at(data["due_on"]),
                worker=data.get("worker")))
            messages.success(request, _("Action agreed: it is now a task of %(agency)s.")
                             % {"agency": data["owner_agency"].name})
    except ValidationError as error:
        if hasattr(error, "error_dict") and "due_at" in error.error_dict:  # the form asks for a day
            error = ValidationError({("due_on" if k == "due_at" else k): e for k, e in error.error_dict.items()})
        apply_validation_error(error, [form])
        seen, fresh = _item(actor, meeting_id, referral_id)
        return _render(request, seen, fresh, forms, status=422)
    return redirect(reverse("web:conference_item", args=[meeting_id, referral_id]))


# --- An action -------------------------------------------------------------------------------------------

def _render_action(request, action, decision, form: ActionCloseForm | None = None, status: int = 200):
    actor = request.actor
    may_close = services.action_access(actor, action) and action.status == "open"
    # Its owner reads the action, and its case's item while it is open (or while invited to the meeting).
    access_log_case(actor=actor, case=action.referral.case, action=AuditAction.VIEW, object_type="conference_action",
                    object_id=action.pk, fields=["description", "status", *(["reference", "name"] if decision else [])],
                    basis=decision.basis_label if decision is not None else None)
    return render(request, "web/conference_action.html", {
        "action": action, "holds_item": decision is not None,
        "item_url": (reverse("web:conference_item", args=[action.meeting_id, action.referral_id])
                     if decision is not None and action.referral.meeting_id == action.meeting_id else ""),
        "form": (form or ActionCloseForm(initial={"version": action.version})) if may_close else None},
        status=status)


@casework_required
def conference_action(request, action_id):
    actor = request.actor
    action, decision = selectors.action_of(actor, action_id)
    if request.method != "POST":
        return _render_action(request, action, decision)
    if not services.action_access(actor, action):
        raise PermissionDenied(_("Only the agency responsible updates its action."))
    form = ActionCloseForm(request.POST)
    if form.is_valid():
        try:
            services.action_close(actor=actor, action=action, status=form.cleaned_data["status"],
                                  reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            messages.success(request, _("Action closed."))
            return redirect("web:conference_action", action.pk)
    action, decision = selectors.action_of(actor, action_id)
    return _render_action(request, action, decision, form, status=422)
