"""Referring a case to the conference, building and releasing a meeting's agenda, the research each
invited agency brings, the meeting itself (attendance, the discussion, the actions) and what becomes
of each action (issue 17).

A referral names the criteria the case meets (from its risk level's reasons, and the referrer's
professional judgement, with its reason), goes on her consent to be discussed or, without it, on a
supervisor of the lead agency's authority with a legal basis, and records whether she knows of it.
Nothing here tells the person causing harm anything: no message leaves, and the timeline event is the
conference-item facet.

The agenda takes the waiting referrals of the area, highest risk and then oldest first, up to the
series' capacity; the rest wait for the next meeting. Releasing it opens each agenda case's conference
item to the invited agencies (the conference basis of concord.access): every write that changes who is
on an agenda, who is invited or when the meeting is recomputes the derived rows of the cases concerned
in the same transaction.

An action belongs to its owner agency, which sees it as a task (risk.Task, kind conference_action):
a reminder before the deadline, escalation after (concord.protocols' sweep)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.access.derive import refresh_cases
from concord.accounts.models import Agency, User
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.consent.models import ConsentDecision
from concord.consent.selectors import decision_in_force
from concord.consent.services import check_without_consent
from concord.consent.vocabularies import Scope
from concord.policy import Action, Actor, MeetingAction, SystemActor
from concord.risk.models import CaseRisk, Task
from concord.risk.vocabularies import ReasonSource, RiskLevel, TaskKind, TaskStatus

from . import vocabularies as v
from .events import ConferenceEventKind
from .models import (
    RESEARCH_TEXTS,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    Research,
    withholds_her_views,
)

AGENDA = SystemActor("conference agenda")
LEVEL_RANK: dict[str, int] = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.STANDARD: 2}


def criteria_from_risk(risk: CaseRisk | None) -> list[str]:
    """The criteria the case's risk level gives: a high instrument level (visible high risk), an
    escalation rule, the repeat flag. Professional judgement is the referrer's own."""
    found = set()
    for reason in (risk.reasons if risk is not None else []):
        source = reason.get("source")
        if source == ReasonSource.INSTRUMENT and reason.get("level") == RiskLevel.HIGH:
            found.add(v.Criterion.VISIBLE_HIGH)
        elif source == ReasonSource.ESCALATION:
            found.add(v.Criterion.ESCALATION)
        elif source == ReasonSource.REPEAT:
            found.add(v.Criterion.REPEAT)
    return [code for code in v.Criterion.values if code in found]


def consent_to_discuss(case: Case, at: datetime.datetime | None = None) -> ConsentDecision | None:
    """Her decision in force to be discussed at the conference, if the latest is "given" and current."""
    return decision_in_force(case, Scope.DISCUSS_AT_CONFERENCE, at=at)


@dataclass(frozen=True)
class ConferenceReferralDetails:
    she_knows: str
    why_not_told: str = ""
    children_in_household: int | None = None
    judgement_reason: str = ""  # the referrer's professional judgement, when it is a reason
    legal_basis: str = ""  # only without her consent: a supervisor of the lead agency's authority
    override_reason: str = ""


@transaction.atomic
def conference_refer(*, actor: Actor, case: Case, details: ConferenceReferralDetails) -> ConferenceReferral:
    access = policy.decide_for_write(actor, case, Action.REFER)
    errors: dict[str, str] = {}
    risk = CaseRisk.objects.filter(case=case).first()
    criteria = criteria_from_risk(risk)
    if details.judgement_reason.strip():
        criteria = [code for code in v.Criterion.values
                    if code in {*criteria, v.Criterion.PROFESSIONAL_JUDGEMENT}]
    if not criteria:
        errors["judgement_reason"] = _("The case meets none of the criteria from its risk level: give your "
                                       "professional judgement's reason to refer it.")
    if details.she_knows not in v.SheKnows.values:
        errors["she_knows"] = _("Say whether she knows of the referral.")
    elif details.she_knows == v.SheKnows.NO and not details.why_not_told.strip():
        errors["why_not_told"] = _("Say why she has not been told.")
    if ConferenceReferral.objects.select_for_update().filter(
            case=case, status__in=[v.ConferenceReferralStatus.PENDING, v.ConferenceReferralStatus.LISTED]).exists():
        errors["case"] = _("The case is already waiting for, or on the agenda of, a conference.")
    consent = consent_to_discuss(case)
    if consent is None:
        check_without_consent(
            access, legal_basis=details.legal_basis, override_reason=details.override_reason, errors=errors,
            no_consent=_("She has not agreed to be discussed at the conference. Record her consent; without it, "
                         "only a supervisor of the lead agency can refer, naming the legal basis."),
            not_authorised=_("Only a supervisor of the lead agency can refer without her consent."))
    if errors:
        raise ValidationError(errors)
    referral = ConferenceReferral.objects.create(
        case=case, referred_by=actor.user, referred_for=actor.agency, criteria=criteria,
        judgement_reason=details.judgement_reason.strip(),
        repeat_definition=risk.repeat_definition if risk and v.Criterion.REPEAT in criteria else "",
        repeat_definition_version=risk.repeat_definition_version if risk and v.Criterion.REPEAT in criteria
        else None,
        risk_level=risk.level if risk else "",
        consent_basis=v.ConsentBasis.CONSENT if consent else v.ConsentBasis.OVERRIDE, consent_decision=consent,
        legal_basis="" if consent else details.legal_basis,
        override_reason="" if consent else details.override_reason.strip(),
        she_knows=details.she_knows, why_not_told=details.why_not_told.strip(),
        children_in_household=details.children_in_household)
    refresh_cases([case.pk])  # the coordinator reads its item from now on
    record_event(access=access, kind=ConferenceEventKind.REFERRED, object_id=referral.pk,
                 params={"criteria": criteria, "basis": referral.consent_basis, "agency": actor.agency.name},
                 fields=["criteria", "she_knows"])
    # The high level's follow-up "refer to the conference" is done.
    from concord.protocols.services import satisfy

    satisfy(case, subject="", kinds=[TaskKind.REFER_TO_CONFERENCE], outcome=_("Referred to the conference"))
    from concord.risk.services import reconsider

    reconsider(case)  # the referral starts the repeat window
    return referral


# --- The agenda ---------------------------------------------------------------------------------------

def _may_coordinate(actor: Actor, meeting: Meeting) -> None:
    if not policy.coordinates(actor, meeting.series):
        raise PermissionDenied(_("Only a conference coordinator of the area builds its agendas."))


def waiting(area) -> list[ConferenceReferral]:
    """The area's referrals waiting for a meeting: highest risk first, then oldest."""
    rows = list(ConferenceReferral.objects.filter(case__area=area, status=v.ConferenceReferralStatus.PENDING)
                .select_related("case__survivor"))
    return sorted(rows, key=lambda r: (LEVEL_RANK.get(r.risk_level, 3), r.referred_at, r.pk))


@dataclass(frozen=True)
class AgendaBuilt:
    listed: list[ConferenceReferral]
    overflow: int  # still waiting, for the next meeting


@transaction.atomic
def agenda_build(*, actor: Actor, meeting: Meeting) -> AgendaBuilt:
    """Fill the meeting's agenda from the waiting referrals, up to the series' capacity."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    if meeting.held_at <= timezone.now():
        raise ValidationError({"meeting": _("This meeting has already taken place.")})
    already = meeting.agenda.filter(status=v.ConferenceReferralStatus.LISTED).count()
    room = max(meeting.series.capacity - already, 0)
    candidates = [r for r in waiting(meeting.series.area) if r.referred_at <= meeting.held_at]
    listed = []
    for position, referral in enumerate(candidates[:room], start=already + 1):
        locked = ConferenceReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != v.ConferenceReferralStatus.PENDING:
            continue
        locked.status, locked.meeting, locked.position = v.ConferenceReferralStatus.LISTED, meeting, position
        locked.version += 1
        locked.save(update_fields=["status", "meeting", "position", "version"])
        record_event(access=policy.decide(AGENDA, referral.case), kind=ConferenceEventKind.LISTED,
                     object_id=locked.pk, params={"meeting_on": meeting.held_at.date().isoformat(),
                                                  "position": position})
        listed.append(locked)
    refresh_cases([r.case_id for r in listed])
    return AgendaBuilt(listed=listed, overflow=len(candidates) - len(listed))


@transaction.atomic
def agenda_reorder(*, actor: Actor, meeting: Meeting, order: list[int], version: int | None = None
                   ) -> list[ConferenceReferral]:
    """Put the agenda in this order (every listed referral's id, once)."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    _check_version(meeting, version)
    if meeting.is_closed:
        raise ValidationError({"meeting": _("This meeting is closed.")})
    listed = {r.pk: r for r in meeting.agenda.select_for_update().filter(status=v.ConferenceReferralStatus.LISTED)}
    if sorted(order) != sorted(listed):
        raise ValidationError({"order": _("Give every case on the agenda once.")})
    for position, pk in enumerate(order, start=1):
        referral = listed[pk]
        if referral.position != position:
            referral.position = position
            referral.version += 1
            referral.save(update_fields=["position", "version"])
    _bump(meeting)
    return [listed[pk] for pk in order]


def _check_version(record, version: int | None) -> None:
    if version is not None and record.version != version:
        raise ValidationError({"version": _("Someone else changed this since you opened it. Reload the page and "
                                            "make your change again.")})


def _bump(record) -> None:
    record.version += 1
    record.save(update_fields=["version"])


def _agenda_case_ids(meeting: Meeting) -> list[int]:
    return list(meeting.agenda.values_list("case_id", flat=True))


# --- Series and meetings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingDetails:
    held_at: datetime.datetime
    chair: User | None = None
    invited: tuple[Agency, ...] = ()


def _check_meeting(actor: Actor, series: ConferenceSeries, details: MeetingDetails) -> None:
    errors = {}
    if details.held_at <= timezone.now():
        errors["held_at"] = _("A meeting is scheduled in the future.")
    if any(agency.area_id != series.area_id for agency in details.invited):
        errors["invited"] = _("Invite agencies of the area only.")
    if details.chair is not None and not details.chair.memberships.filter(
            agency__in=[agency.pk for agency in details.invited]).exists():
        errors["chair"] = _("The chair works for one of the agencies invited.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_schedule(*, actor: Actor, series: ConferenceSeries, details: MeetingDetails) -> Meeting:
    """A new meeting of the series, with its chair and the agencies invited. The coordinator reads the
    agenda's items by the coordination basis; the coordinating agency's other staff only if it is invited."""
    if not policy.coordinates(actor, series):
        raise PermissionDenied(_("Only a conference coordinator of the area schedules its meetings."))
    _check_meeting(actor, series, details)
    meeting = Meeting.objects.create(series=series, held_at=details.held_at, chair=details.chair,
                                     coordinator=actor.user)
    meeting.invited.set(details.invited)
    return meeting


@transaction.atomic
def meeting_change(*, actor: Actor, meeting: Meeting, details: MeetingDetails, version: int) -> Meeting:
    """Move the meeting, change its chair or who is invited: the agenda cases' access follows at once
    (an agency no longer invited stops reading their items on its next request)."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    _check_version(meeting, version)
    if meeting.is_closed:
        raise ValidationError({"meeting": _("This meeting is closed.")})
    _check_meeting(actor, meeting.series, details)
    meeting.held_at, meeting.chair = details.held_at, details.chair
    meeting.version += 1
    meeting.save(update_fields=["held_at", "chair", "version"])
    meeting.invited.set(details.invited)
    refresh_cases(_agenda_case_ids(meeting))
    return meeting


@transaction.atomic
def agenda_release(*, actor: Actor, meeting: Meeting, version: int | None = None) -> Meeting:
    """Send the agenda to the invited agencies: from now each reads the conference item of every case
    on it, and records its research."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    _check_version(meeting, version)
    if meeting.is_released:
        raise ValidationError({"meeting": _("The agenda has already been released.")})
    if not meeting.agenda.filter(status=v.ConferenceReferralStatus.LISTED).exists():
        raise ValidationError({"meeting": _("The agenda is empty: build it first.")})
    meeting.agenda_released_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["agenda_released_at", "version"])
    refresh_cases(_agenda_case_ids(meeting))
    return meeting


@transaction.atomic
def conference_referral_withdraw(*, actor: Actor, referral: ConferenceReferral, reason: str) -> ConferenceReferral:
    """Take a case off the conference's list (she is no longer at high risk, she moved away): the
    agency that referred it, or the coordinator. Its item closes to everyone at once."""
    referral = (ConferenceReferral.objects.select_for_update(of=("self",)).select_related("case", "meeting__series")
                .get(pk=referral.pk))
    series = referral.meeting.series if referral.meeting else ConferenceSeries.objects.filter(
        area_id=referral.case.area_id).first()
    coordinates = series is not None and policy.coordinates(actor, series)
    if not coordinates and referral.referred_for_id != actor.agency.pk:
        raise PermissionDenied(_("Only the agency that referred the case, or the coordinator, withdraws it."))
    if referral.status not in (v.ConferenceReferralStatus.PENDING, v.ConferenceReferralStatus.LISTED):
        raise ValidationError({"referral": _("Only a referral waiting for or on an agenda can be withdrawn.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")})
    access = _item_access(actor, referral)
    referral.status, referral.position = v.ConferenceReferralStatus.WITHDRAWN, None
    referral.version += 1
    referral.save(update_fields=["status", "position", "version"])
    refresh_cases([referral.case_id])
    record_event(access=access, kind=ConferenceEventKind.WITHDRAWN, object_id=referral.pk,
                 params={"agency": actor.agency.name})
    return referral


def _item_access(actor: Actor, referral: ConferenceReferral) -> policy.AccessDecision:
    """The actor's decision on the referral's case, taken before a write: it must hold the item."""
    _, access = policy.conference_item_access(actor, referral.pk)
    return access


def _meeting_access(actor: Actor, meeting: Meeting, action: MeetingAction) -> policy.MeetingAccess:
    seen = policy.meeting_access(actor, meeting.pk)
    if not seen.may(action):
        raise PermissionDenied({
            MeetingAction.CHAIR: _("Only the chair or the coordinator records the meeting, while it is open."),
            MeetingAction.RESEARCH: _("Only an invited agency records research, from the agenda's release until "
                                      "the meeting closes."),
        }.get(action, _("You cannot do this at this meeting.")))
    return seen


def _on_agenda(seen: policy.MeetingAccess, referral: ConferenceReferral) -> policy.AccessDecision:
    if referral.meeting_id != seen.meeting.pk:
        raise ValidationError({"referral": _("That case is not on this meeting's agenda.")})
    decision = seen.item(referral.pk)
    if decision is None:
        from django.http import Http404

        raise Http404("No such conference item.")
    return decision


# --- Research ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResearchDetails:
    involvement: str = ""
    incidents: str = ""
    risks: str = ""
    children: str = ""
    her_views: str = ""
    nothing_held: bool = False


@transaction.atomic
def research_record(*, actor: Actor, referral: ConferenceReferral, details: ResearchDetails,
                    version: int | None = None) -> Research:
    """What the actor's agency holds on an agenda case: its own record, which only it changes (a stale
    form is refused). "Nothing held" says the agency looked and found nothing."""
    referral = ConferenceReferral.objects.select_related("meeting").get(pk=referral.pk)
    if referral.meeting is None:
        raise ValidationError({"referral": _("That case is not on an agenda.")})
    seen = _meeting_access(actor, referral.meeting, MeetingAction.RESEARCH)
    decision = _on_agenda(seen, referral)
    if details.her_views.strip() and withholds_her_views(actor.agency):
        raise ValidationError({"her_views": _("Her views and wishes are brought by her advocate, not by an agency "
                                              "that works with the person causing harm.")})
    texts = [getattr(details, name) for name in RESEARCH_TEXTS]
    if not details.nothing_held and not any(t.strip() for t in texts):
        raise ValidationError({"involvement": _("Record what your agency holds, or say it holds nothing.")})
    if details.nothing_held and any(t.strip() for t in texts):
        raise ValidationError({"nothing_held": _("You said your agency holds nothing, and recorded something.")})
    research = Research.objects.select_for_update().filter(referral=referral, agency=actor.agency).first()
    if research is None:
        if version not in (None, 0):
            _check_version(Research(version=0), version)
        research = Research(referral=referral, agency=actor.agency, version=0)
    else:
        _check_version(research, version)
    for name in RESEARCH_TEXTS:
        setattr(research, name, getattr(details, name).strip())
    research.nothing_held = details.nothing_held
    research.recorded_by, research.recorded_at = actor.user, timezone.now()
    research.version += 1
    research.save()
    record_event(access=decision, kind=ConferenceEventKind.RESEARCH, object_id=research.pk,
                 params={"agency": actor.agency.name, "nothing_held": details.nothing_held},
                 fields=[name for name in RESEARCH_TEXTS if getattr(details, name).strip()])
    return research


# --- The meeting ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceLine:
    agency: Agency
    status: str
    names: str = ""


@transaction.atomic
def attendance_record(*, actor: Actor, meeting: Meeting, lines: list[AttendanceLine]) -> list[Attendance]:
    """Who came for each invited agency, and who sent apologies."""
    seen = _meeting_access(actor, meeting, MeetingAction.CHAIR)
    invited = set(seen.meeting.invited.values_list("pk", flat=True))
    errors = {}
    for line in lines:
        if line.agency.pk not in invited:
            errors["agency"] = _("Record attendance for invited agencies only.")
        elif line.status not in v.AttendanceStatus.values:
            errors["status"] = _("Say whether the agency attended, sent apologies or did not attend.")
    if errors:
        raise ValidationError(errors)
    saved = []
    for line in lines:
        row, _created = Attendance.objects.update_or_create(
            meeting=seen.meeting, agency=line.agency,
            defaults={"status": line.status, "names": line.names.strip()[:300], "recorded_by": actor.user,
                      "recorded_at": timezone.now()})
        saved.append(row)
    return saved


@transaction.atomic
def discussion_record(*, actor: Actor, referral: ConferenceReferral, summary: str,
                      version: int | None = None) -> ConferenceReferral:
    """The meeting's shared summary of its discussion of this case: it is then discussed."""
    referral = (ConferenceReferral.objects.select_for_update(of=("self",)).select_related("meeting", "case")
                .get(pk=referral.pk))
    if referral.meeting is None:
        raise ValidationError({"referral": _("That case is not on an agenda.")})
    seen = _meeting_access(actor, referral.meeting, MeetingAction.CHAIR)
    decision = _on_agenda(seen, referral)
    _check_version(referral, version)
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary of the discussion.")})
    if referral.status not in (v.ConferenceReferralStatus.LISTED, v.ConferenceReferralStatus.DISCUSSED):
        raise ValidationError({"referral": _("This case is no longer on the agenda.")})
    first = referral.status == v.ConferenceReferralStatus.LISTED
    referral.discussion_summary, referral.status = summary.strip(), v.ConferenceReferralStatus.DISCUSSED
    referral.discussed_at = referral.discussed_at or timezone.now()
    referral.version += 1
    referral.save(update_fields=["discussion_summary", "status", "discussed_at", "version"])
    if first:
        record_event(access=decision, kind=ConferenceEventKind.DISCUSSED, object_id=referral.pk,
                     params={"meeting_on": referral.meeting.held_at.date().isoformat()}, fields=["discussion_summary"])
    return referral


REMIND_BEFORE = datetime.timedelta(days=2)
ESCALATE_AFTER = datetime.timedelta(days=2)


@dataclass(frozen=True)
class ActionDetails:
    owner_agency: Agency
    description: str
    due_at: datetime.datetime
    worker: User | None = None


@transaction.atomic
def action_agree(*, actor: Actor, referral: ConferenceReferral, details: ActionDetails) -> ConferenceAction:
    """An action agreed at the meeting, owned by an invited agency (a named worker of it where known).
    Its owner sees it as a task: reminded before the deadline, escalated to a supervisor after."""
    referral = ConferenceReferral.objects.select_related("meeting", "case__area").get(pk=referral.pk)
    if referral.meeting is None:
        raise ValidationError({"referral": _("That case is not on an agenda.")})
    seen = _meeting_access(actor, referral.meeting, MeetingAction.CHAIR)
    decision = _on_agenda(seen, referral)
    errors = {}
    if not details.description.strip():
        errors["description"] = _("Say what is to be done.")
    if not seen.meeting.invited.filter(pk=details.owner_agency.pk).exists():
        errors["owner_agency"] = _("An action belongs to an agency invited to the meeting.")
    elif details.worker is not None and not details.worker.memberships.filter(agency=details.owner_agency).exists():
        errors["worker"] = _("The named worker works for the agency responsible.")
    if details.due_at <= timezone.now():
        errors["due_at"] = _("The deadline is in the future.")
    if errors:
        raise ValidationError(errors)
    action = ConferenceAction.objects.create(
        referral=referral, meeting=seen.meeting, owner_agency=details.owner_agency, worker=details.worker,
        description=details.description.strip(), due_at=details.due_at, agreed_by=actor.user)
    task = Task.objects.create(
        case=referral.case, kind=TaskKind.CONFERENCE_ACTION, owner_agency=details.owner_agency,
        worker=details.worker, due_at=details.due_at, escalate_at=details.due_at + ESCALATE_AFTER,
        remind_at=details.due_at - REMIND_BEFORE, subject=action.subject,
        opened_by_rule=f"conference:{seen.meeting.pk}")
    action.task = task
    action.save(update_fields=["task"])
    refresh_cases([referral.case_id])  # its owner reads the item until the action is closed
    record_event(access=decision, kind=ConferenceEventKind.ACTION_AGREED, object_id=action.pk,
                 params={"agency": details.owner_agency.name, "due": details.due_at.date().isoformat()},
                 fields=["description", "owner_agency", "due_at"])
    return action


def action_access(actor: Actor, action: ConferenceAction) -> bool:
    """Whether the actor updates this action: its owner agency's staff, or the coordinator."""
    return actor.does_casework and (action.owner_agency_id == actor.agency.pk or (
        policy.coordinates(actor, action.meeting.series)))


_CLOSING: dict[str, str] = {v.ActionStatus.DONE: TaskStatus.DONE, v.ActionStatus.BLOCKED: TaskStatus.CANCELLED,
            v.ActionStatus.NOT_DONE: TaskStatus.CANCELLED}


@transaction.atomic
def action_close(*, actor: Actor, action: ConferenceAction, status: str, reason: str = "",
                 version: int | None = None) -> ConferenceAction:
    """Done; blocked by a change in her circumstances (say what changed); or not done (say why). The
    owner agency closes its action; the coordinator may record one as not done at the review."""
    action = (ConferenceAction.objects.select_for_update(of=("self",))
              .select_related("meeting__series", "referral__case", "task").get(pk=action.pk))
    if not action_access(actor, action):
        raise PermissionDenied(_("Only the agency responsible updates its action."))
    if action.owner_agency_id != actor.agency.pk and status != v.ActionStatus.NOT_DONE:
        raise PermissionDenied(_("Only the agency responsible says its action was done or blocked; the "
                                 "coordinator records one as not done at the review."))
    access = _item_access(actor, action.referral)  # before the write: closing it may end the owner's access
    _check_version(action, version)
    errors = {}
    if status not in _CLOSING:
        errors["status"] = _("Say whether it was done, blocked or not done.")
    elif status != v.ActionStatus.DONE and not reason.strip():
        errors["reason"] = (_("Say what changed in her circumstances.") if status == v.ActionStatus.BLOCKED
                            else _("Say why it was not done."))
    if action.status != v.ActionStatus.OPEN:
        errors["status"] = _("This action is already closed.")
    if errors:
        raise ValidationError(errors)
    action.status, action.status_reason = status, reason.strip()
    action.closed_at, action.closed_by = timezone.now(), actor.user
    action.version += 1
    action.save(update_fields=["status", "status_reason", "closed_at", "closed_by", "version"])
    task = action.task
    if task is not None and task.status == TaskStatus.OPEN:
        task.status, task.done_at = _CLOSING[status], action.closed_at
        task.done_by, task.done_for = actor.user, actor.agency
        task.outcome = str(v.ActionStatus(status).label)[:300]
        task.save(update_fields=["status", "done_at", "done_by", "done_for", "outcome"])
    refresh_cases([action.referral.case_id])
    record_event(access=access, kind=ConferenceEventKind.ACTION_CLOSED,
                 object_id=action.pk, params={"agency": action.owner_agency.name, "status": status,
                                              "by": actor.agency.name}, fields=["status"])
    return action


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting, version: int | None = None) -> Meeting:
    """The chair closes the meeting: cases not discussed wait for the next one; the minutes are final."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _meeting_access(actor, meeting, MeetingAction.CHAIR)
    _check_version(meeting, version)
    missing = meeting.invited.exclude(pk__in=meeting.attendance.values("agency_id"))
    if missing.exists():
        raise ValidationError({"attendance": _("Record attendance for every agency invited before closing the "
                                               "meeting (present, apologies or absent): %(agencies)s.") % {
            "agencies": ", ".join(missing.order_by("name").values_list("name", flat=True))}})
    left = list(meeting.agenda.select_for_update().filter(status=v.ConferenceReferralStatus.LISTED))
    for referral in left:
        referral.status, referral.meeting, referral.position = v.ConferenceReferralStatus.PENDING, None, None
        referral.version += 1
        referral.save(update_fields=["status", "meeting", "position", "version"])
    meeting.closed_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["closed_at", "version"])
    refresh_cases([r.case_id for r in left])
    return meeting
