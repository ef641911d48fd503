"""The case page and the changes made from it. Every lookup goes through concord.policy: a case
the acting agency may not see is a 404."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, FilteredRelation, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord import policy
from concord.access.facets import Facet
from concord.accounts.models import Agency
from concord.audit import selectors as audit_selectors
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases import services, versions
from concord.cases import services as case_services
from concord.cases.models import CaseAgency, CaseEvent, Incident, Need, RecordNote
from concord.cases.selectors import case_timeline
from concord.cases.vocabularies import CaseEventKind, ParticipantRole
from concord.concurrency import StaleEdit
from concord.conferences import selectors as conference_selectors
from concord.conferences.events import ConferenceEventKind
from concord.consent import selectors as consent_selectors
from concord.consent.events import ConsentEventKind
from concord.consent.services import consent_record
from concord.consent.vocabularies import Decision, Scope
from concord.contact import selectors as contact_selectors
from concord.policy import AccessDecision, Action
from concord.referrals import selectors as referral_selectors
from concord.referrals.events import ReferralEventKind
from concord.risk import selectors as risk_selectors
from concord.safety import selectors as safety_selectors
from concord.safety.events import SafetyEventKind
from concord.web import case_page, seen
from concord.web.decorators import casework_required
from concord.web.forms import AddPersonForm, CaseWorkerForm, CloseCaseForm, InvolveAgencyForm
from concord.web.views.actions import end_record_of_case
from concord.web.views.errors import apply_validation_error

# Every piece of case data the case page's template reads, and the facet it belongs to. `case_context`
# leaves out what the reader's decision does not hold, and a test holds the template to this list.
CASE_PAGE_FACETS = {
    "case": Facet.CORE,
    "aliases": Facet.CORE,
    "participants": Facet.CORE,
    "involvements": Facet.CORE,
    "workers": Facet.CORE,
    "incidents": Facet.CORE,  # each one's narrative and edits: incident_narratives (IncidentOnPage)
    "own_overrides": Facet.CORE,  # the reader's own agency's overrides: its basis
    "restricted_to": Facet.CORE,
    "timeline": Facet.CORE,  # each entry to its own facet (concord.cases.events)
    "risk": Facet.CORE,  # level, reasons, results; her view and words inside only with risk_answers
    "tasks": Facet.CORE,
    "referrals": Facet.CORE,  # to whom, from whom, where each stands; the packet only on the referral
    "safety_plan": Facet.SAFETY_PLAN,  # its step count and review; the steps only on its own page
    "conference": Facet.CONFERENCE_ITEM,  # referrals, meetings, actions; never the research or summary
    "needs": Facet.NEEDS,
    "consent_picture": Facet.CONSENT,
    "consent_history": Facet.CONSENT,
    "withdrawals_to_confirm": Facet.CONSENT,
    "locations": Facet.PROTECTED,
    "contact_points": Facet.PROTECTED,
    "contact_rules": Facet.CONTACT_CHANNELS,
    "unsafe_contacts": Facet.PROTECTED,
    # Other agencies' overrides and need-to-know grants are on the sharing page (SHARING_PAGE_FACETS).
}


@dataclass(frozen=True)
class RecordOnPage:
    """An incident or a need as this reader sees it: the record, whether they may edit it (and how),
    and its edits (before and after) where they may see the facet."""

    record: Any
    narrative: str | None  # incidents: None when withheld
    edit_right: str
    edits: list
    notes: list  # other agencies' (and its own) notes beside it, where the reader may see the record
    caused_by: list = field(default_factory=list)  # incidents: the persons causing harm it names


def _with_persons_causing_harm(incidents):
    """Each incident with the ids of the persons causing harm it names, in the incidents' own query (the
    people themselves are the case's participants, which the page reads anyway)."""
    named = (Incident.persons_causing_harm.through.objects.filter(incident_id=OuterRef("pk"))
             .values("incident_id").annotate(ids=StringAgg(Cast("person_id", CharField()), Value(",")))
             .values("ids"))
    return incidents.annotate(harm_ids=Subquery(named))


def _area_agencies_with_involvements(case) -> tuple[list[Agency], list[CaseAgency]]:
    """The area's agencies, the current involvements in the case among them, and who holds the case
    for each agency (`worker_id`, `worker_name`), in one query: a left join on each agency's current
    involvement in this case and on its current worker, of which there is at most one each."""
    on_case = FilteredRelation("case_involvements", condition=Q(case_involvements__case=case,
                                                                case_involvements__ended_at__isnull=True))
    held = FilteredRelation("case_workers", condition=Q(case_workers__case=case, case_workers__ended_at__isnull=True))
    rows = (Agency.objects.filter(area_id=case.area_id).annotate(on_case=on_case, held=held)
            .annotate(involvement_id=F("on_case__id"), involvement_reason=F("on_case__reason"),
                      involvement_may_correct=F("on_case__may_correct_details"),
                      involvement_added_at=F("on_case__added_at"), worker_id=F("held__worker_id"),
                      worker_first_name=F("held__worker__first_name"), worker_last_name=F("held__worker__last_name"),
                      worker_email=F("held__worker__email"))
            .order_by("name").only("pk", "name", "is_active"))
    agencies = list(rows)
    involvements = []
    for agency in agencies:
        a: Any = agency
        a.worker_name = (f"{a.worker_first_name} {a.worker_last_name}".strip() or a.worker_email
                         if a.worker_id else "")
        if a.involvement_id is not None:
            involvement: Any = CaseAgency(pk=a.involvement_id, case=case, agency=agency, reason=a.involvement_reason,
                                          may_correct_details=a.involvement_may_correct,
                                          added_at=a.involvement_added_at)
            involvement.worker_name = a.worker_name
            involvements.append(involvement)
    involvements.sort(key=lambda involvement: (involvement.added_at, involvement.pk))
    return agencies, involvements


def _records(access: AccessDecision, records, events, *, model, edit_kind: str, narratives: bool,
             notes: dict[int, list], names: dict | None = None, people: dict | None = None) -> list[RecordOnPage]:
    records = list(records)
    hidden = [] if narratives else ["narrative"]
    edits = versions.edits_of(model, records, events=events, edit_kind=edit_kind, hidden=hidden, names=names)
    people = people or {}
    return [RecordOnPage(record=r, narrative=getattr(r, "narrative", None) if narratives else None,
                         edit_right=access.edit_right(r).value, edits=edits.get(r.pk, []),
                         notes=notes.get(r.pk, []),
                         caused_by=[people[int(pk)] for pk in (getattr(r, "harm_ids", None) or "").split(",")
                                    if pk and int(pk) in people]) for r in records]


def _notes(access: AccessDecision, events: list[CaseEvent]) -> tuple[dict[int, list], dict[int, list]]:
    """The case's notes, by incident and by need, each only where the reader holds the record's facet.
    Read only for a case whose timeline (already read) says a note was added: most cases have none."""
    by_incident: dict[int, list] = {}
    by_need: dict[int, list] = {}
    if not (access.sees(Facet.INCIDENT_NARRATIVES) or access.sees(Facet.NEEDS)):
        return by_incident, by_need
    if not any(event.kind == CaseEventKind.NOTE_ADDED for event in events):
        return by_incident, by_need
    for note in RecordNote.objects.filter(case=access.case).select_related("recorded_for", "recorded_by"):
        if note.incident_id and access.sees(Facet.INCIDENT_NARRATIVES):
            by_incident.setdefault(note.incident_id, []).append(note)
        elif note.need_id and access.sees(Facet.NEEDS):
            by_need.setdefault(note.need_id, []).append(note)
    return by_incident, by_need


def case_context(access: AccessDecision) -> dict:
    """What the case page shows this reader: only the facets their access decision holds."""
    case = access.case
    # Read once each, and shared by the sections that need them (the timeline, the edits).
    events = list(CaseEvent.objects.filter(case=case).select_related("agency"))
    incidents = list(_with_persons_causing_harm(policy.incidents_of(access).select_related("recorded_for")))
    participants = list(case.participants.select_related("person"))
    # The area's agencies, with the involvements and each agency's worker: the names of a changed
    # "reported to" in an edit's before and after, and the agencies the lead may involve.
    agencies, involvements = _area_agencies_with_involvements(case)
    workers = {agency.pk: agency.worker_name for agency in agencies}  # type: ignore[attr-defined]
    worker_ids = {agency.pk: agency.worker_id for agency in agencies}  # type: ignore[attr-defined]
    agency_names = {agency.pk: agency.name for agency in agencies}
    narratives = access.sees(Facet.INCIDENT_NARRATIVES)
    incident_notes, need_notes = _notes(access, events)
    context: dict[str, Any] = {
        "access": access, "can": access.can, "shows": access.shows,
        "case": case,
        "aliases": case.survivor.aliases.order_by("kind", "name"),
        "participants": participants,
        "involvements": [(involvement, involvement.agency_id in access.agencies_with_access)
                         for involvement in involvements],
        # Who holds the case for each agency on it; the reader's own agency may name its own.
        "workers": {"lead": workers.get(case.lead_agency_id, ""),
                    "mine": worker_ids.get(access.actor.agency.pk) == access.actor.user.pk,
                    "own": workers.get(access.actor.agency.pk, "")},
        "incidents": _records(access, incidents, events, model=Incident, edit_kind=CaseEventKind.INCIDENT_EDITED,
                              narratives=narratives, notes=incident_notes,
                              names={"reporting_agency": agency_names},
                              people={p.person_id: p.person for p in participants
                                      if p.role == ParticipantRole.PERSON_CAUSING_HARM}),
        # An agency seeing the case under an override is told which, and what it opens.
        "own_overrides": list(case.overrides.filter(pk__in=[b.record_id for b in access.bases if b.kind == "override"]))
        if any(b.kind == "override" for b in access.bases) and not access.sees(Facet.OVERRIDES) else [],
        "restricted_to": case_services.staff_who_can_see(case) if case.is_restricted else [],
        "timeline": case_timeline(access, events=events, incidents=incidents),
        "risk": (risk := risk_selectors.risk_picture(access, history=False)),
        "tasks": [(task, access.may_complete(task)) for task in risk.tasks],
        # Read only for a case whose timeline (already read) says one was sent: most cases have none.
        "referrals": referral_selectors.referrals_on_case(access)
        if any(event.kind == ReferralEventKind.SENT for event in events) else [],
    }
    if access.may(Action.RECORD_RISK):
        # The instruments to choose from, each marked where her answers suggest it (she who may
        # assess holds her answers).
        context["instruments"] = risk_selectors.instruments_to_offer(access, risk)
    if access.sees(Facet.SAFETY_PLAN):
        # Read only for a case whose timeline (already read) says one was saved: most cases have none.
        context["safety_plan"] = (safety_selectors.summary_of(access)
                                  if any(event.kind == SafetyEventKind.SAVED for event in events) else None)
    if access.sees(Facet.CONFERENCE_ITEM):
        # Read only for a case whose timeline (already read) says it was referred: most cases were not.
        context["conference"] = (conference_selectors.on_case(access)
                                 if any(event.kind == ConferenceEventKind.REFERRED for event in events) else None)
    if access.sees(Facet.NEEDS):
        needs = list(policy.needs_of(access).select_related("recorded_for"))
        context["needs"] = _records(access, needs, events, model=Need, edit_kind=CaseEventKind.NEED_UPDATED,
                                    narratives=True, notes=need_notes)
    if access.sees(Facet.CONSENT):
        history = list(consent_selectors.consent_history(case, contact_channels=access.sees(Facet.CONTACT_CHANNELS)))
        context["consent_history"] = history
        context["consent_picture"] = consent_selectors.picture_of(history)
        # Read only for a case whose timeline (already read) says one was sent: most cases have none.
        if any(event.kind == ConsentEventKind.WITHDRAWAL_TO_CONFIRM for event in events):
            context["withdrawals_to_confirm"] = list(case.withdrawals_to_confirm.filter(outcome="")
                                                     .select_related("agency", "recorded_for"))
    if access.sees(Facet.PROTECTED):
        # Only what was recorded on this case: need-to-know is granted case by case.
        context["locations"] = case.protected_locations.select_related("person")
        context["contact_points"] = contact_points = list(case.contact_points.select_related("person"))
        # Flagged at the top of the case: a number or address she says he can read.
        context["unsafe_contacts"] = [point for point in contact_points if point.safe_to_use is False]
    if access.sees(Facet.CONTACT_CHANNELS):
        # Her one set of rules, across all her cases: read before anyone contacts her by hand.
        context["contact_rules"] = contact_selectors.contact_rules_of(case.survivor)
    context["area_agencies"] = agencies  # not case data: the involve form's choices
    return context


def _case_body(request, access: AccessDecision, **extra) -> SafeString:
    context = case_context(access) | extra
    if access.may(Action.MANAGE):
        on_case = {involvement.agency_id for involvement, _has_access in context["involvements"]}
        context.setdefault("involve_form", InvolveAgencyForm(case=access.case, on_case=on_case,
                                                             agencies=context["area_agencies"]))
        context.setdefault("close_form", CloseCaseForm(initial={"version": access.case.version}))
    return render_to_string("web/case_body.html", context, request=request)


def _render_case(request, access: AccessDecision, status: int = 200, body: str | None = None, **extra):
    """The case page: its body (rendered now, with a form's errors say, or as kept) in the page around it."""
    if body is None:
        body = _case_body(request, access, **extra)
    return render(request, "web/case.html", {"case": access.case, "case_body": body}, status=status)


@casework_required
def case_detail(request, reference):
    # What the case looked like as the request began, before its decision and its sections are read.
    stamp = case_page.Stamp(request.actor.area.pk, reference)
    access = policy.case_access(request.actor, reference)
    body = case_page.body(request, access, stamp, lambda extra: _case_body(request, access, **extra))
    response = _render_case(request, access, body=body)
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=case_fields_for(access), basis=access.basis_label)
    return response


def case_fields_for(access: AccessDecision) -> list[str]:
    """What the page showed this reader, named in its access-log entry."""
    return [name for name, facet in CASE_PAGE_FACETS.items() if access.sees(facet)]


@casework_required
def timeline(request, reference):
    access = policy.case_access(request.actor, reference)
    access_log_case(actor=request.actor, case=access.case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=["timeline"], basis=access.basis_label)
    # htmx refreshes it inside the case page; opened on its own (a link, a new tab) it is a page.
    template = "web/case_body.html#timeline" if request.htmx else "web/timeline.html"
    return render(request, template, {"case": access.case, "timeline": case_timeline(access)})


@require_POST
@casework_required
def agency_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    form = InvolveAgencyForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.agency_involve(actor=actor, case=case, agency=data["agency"], reason=data["reason"],
                                        may_correct_details=data.get("may_correct_details", False))
                if data["consent_method"]:
                    # She agreed in the same conversation: one step for the worker, two records.
                    consent_record(actor=actor, case=case, scope=Scope.SHARE_WITH_AGENCY, agency=data["agency"],
                                   decision=Decision.GIVEN, method=data["consent_method"])
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("web:case", reference=reference)
    if form.is_valid():
        messages.success(request, _("%(agency)s is now involved.") % {"agency": form.cleaned_data["agency"]})
        return redirect("web:case", reference=reference)
    return _render_case(request, access, status=422, involve_form=form)


@require_POST
@casework_required
def agency_end(request, reference, involvement_id):
    return end_record_of_case(
        request, reference, model=CaseAgency, pk=involvement_id, success=_("%(agency)s is no longer involved."),
        end=lambda actor, record: services.agency_end_involvement(actor=actor, involvement=record))


@casework_required
def person_add(request, reference):
    actor = request.actor
    access = policy.case_access(actor, reference)
    case = access.case
    if not access.may(Action.CORRECT_DETAILS):
        raise PermissionDenied
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                actor=actor, case=case, role=data["role"], relationship=data["relationship"],
                details=form.details(),
            )
        except ValidationError as error:
            apply_validation_error(error, [form])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("web:case", reference=reference)
        else:
            messages.success(request, _("%(name)s added to the case.") % {"name": data["given_name"]})
            return redirect("web:case", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/person_form.html", {"case": case, "form": form}, status=status)


@require_POST
@casework_required
def case_close(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(actor=actor, case=case, expected_version=form.cleaned_data["version"],
                                reason=form.cleaned_data["closure_reason"], note=form.cleaned_data["closure_note"])
        except StaleEdit as stale:
            messages.error(request, _("Someone changed this case after you opened it; look again before closing."))
            return _render_case(request, policy.case_access(actor, reference), status=409, stale=stale)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Case closed."))
    else:
        messages.error(request, _("Choose why support is ending."))
    return redirect("web:case", reference=reference)


@require_POST
@casework_required
def case_reopen(request, reference):
    actor = request.actor
    case = policy.get_case(actor, reference)
    try:
        version = int(request.POST.get("version", ""))
        services.case_reopen(actor=actor, case=case, expected_version=version)
        messages.success(request, _("Case reopened."))
    except ValueError:
        messages.error(request, _("The form was incomplete; try again."))
    except StaleEdit:
        messages.error(request, _("Someone changed this case after you opened it; look again before reopening."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return redirect("web:case", reference=reference)


@casework_required
def who_has_seen(request, reference):
    """Every recorded read and change of the case, for the lead agency to tell her (her right to know)."""
    access = policy.case_access(request.actor, reference)
    case = access.case
    if not access.sees(Facet.ACCESS_LOG):
        raise PermissionDenied
    entries = audit_selectors.who_has_seen(case, limit=2000)
    access_log_case(actor=request.actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.CASE,
                    fields=["access_log"], basis=access.basis_label)
    chosen = {name: request.GET.get(name, "") for name in ("agency", "kind", "period")}
    lines = seen.filtered(entries, **chosen)
    return render(request, "web/who_has_seen.html", {
        "case": case, "groups": seen.by_agency(lines), "count": len(lines), "chosen": chosen,
        "agencies": sorted({entry.agency for entry in entries if entry.agency}),
        "kinds": seen.KINDS, "periods": seen.PERIODS})


@casework_required
def case_worker(request, reference):
    """Name who holds the case for the actor's own agency ("Take this case" posts the actor)."""
    actor = request.actor
    access = policy.case_access(actor, reference)
    if not access.may(Action.ASSIGN_WORKER):
        raise PermissionDenied
    case = access.case
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("worker") == "me":  # "Take this case"
        data["worker"] = str(actor.user.pk)
    form = CaseWorkerForm(data, agency=actor.agency)
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["worker"]
        try:
            case_services.case_worker_assign(actor=actor, case=case, worker=worker)
        except ValidationError as error:
            apply_validation_error(error, [form])
        else:
            names = {"worker": worker, "agency": actor.agency.name}
            if worker is None:
                messages.success(request, _("Nobody is named for %(agency)s now.") % names)
            elif worker == actor.user:
                messages.success(request, _("You now hold this case for %(agency)s.") % names)
            else:
                messages.success(request, _("%(worker)s now holds this case for %(agency)s.") % names)
            return redirect("web:case", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/case_form.html", {"case": case, "form": form,
                                                   "title": _("Who holds this case for your agency")}, status=status)
