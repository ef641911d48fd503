"""Reading the conference's records: the repeat window's start, and what each agency reads of a meeting
(its agenda, the research and actions on the items it holds, its redacted minutes)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord import policy
from concord.access.facets import Facet
from concord.cases.events import label_of
from concord.cases.models import Case, Incident, Need
from concord.cases.vocabularies import YesNoUnknown
from concord.policy import AccessDecision, Actor, MeetingAccess
from concord.risk.models import Assessment, CaseRisk
from concord.risk.reasons import level_label, reason_lines
from concord.risk.vocabularies import RiskLevel

from . import vocabularies as v
from .models import (
    RESEARCH_TEXTS,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    Meeting,
    Research,
    withholds_her_views,
)

# The agenda's live statuses: a withdrawn referral keeps its meeting but is no longer on it.
ON_AGENDA = (v.ConferenceReferralStatus.LISTED, v.ConferenceReferralStatus.DISCUSSED)


def last_referred(case_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these cases was last referred to the conference (a withdrawn referral does not
    count): where the repeat window starts (one grouped query)."""
    return dict(ConferenceReferral.objects.filter(case_id__in=list(case_ids))
                .exclude(status=v.ConferenceReferralStatus.WITHDRAWN).values("case_id")
                .annotate(last=Max("referred_at")).values_list("case_id", "last"))


# --- The meeting view: the agenda and each case's item, as the reader may see them ---------------------

@dataclass(frozen=True)
class AgendaLine:
    """One case on a meeting's agenda. Its reference, her name and the risk level only for a reader who
    holds its conference item; anyone else sees "Item N"."""

    referral: ConferenceReferral
    position: int
    decision: AccessDecision | None  # the reader's decision on the case, if it holds the item
    risk_level: str = ""

    @property
    def held(self) -> bool:
        return self.decision is not None

    @property
    def reference(self) -> str:
        return self.referral.case.reference if self.decision is not None else ""

    @property
    def name(self) -> str:
        return self.referral.case.survivor.full_name if self.decision is not None else ""


def agenda_of(seen: MeetingAccess) -> list[AgendaLine]:
    """The meeting's agenda in order (listed and discussed cases), each as the reader may see it."""
    referrals = (ConferenceReferral.objects.filter(meeting=seen.meeting, status__in=ON_AGENDA)
                 .select_related("case__survivor").order_by("position", "id"))
    lines = []
    for referral in referrals:
        decision = seen.item(referral.pk)
        lines.append(AgendaLine(referral=referral, position=referral.position or 0, decision=decision,
                                risk_level=level_label(referral.risk_level) if decision is not None else ""))
    return lines


@dataclass(frozen=True)
class WaitingLine:
    referral: ConferenceReferral
    decision: AccessDecision  # the reader's, on its case: it holds the item
    risk_level: str


def waiting_held(actor: Actor, area) -> list[WaitingLine]:
    """The area's waiting referrals whose conference item the actor reads (the coordinator's), each with
    the actor's decision on its case (for the access log): highest risk first, then oldest. Two queries."""
    from .services import waiting

    rows = waiting(area)
    decisions = policy.conference_item_decisions(actor, rows)
    return [WaitingLine(referral=referral, decision=decisions[referral.pk], risk_level=level_label(referral.risk_level))
            for referral in rows if referral.pk in decisions]


@dataclass(frozen=True)
class IncidentSummary:
    """An incident as the conference reads it: when, what kind, the safety flags. Never what happened."""

    occurred_on: datetime.date
    violence_types: list[str]
    strangulation: str
    weapon_used: str
    children_present: str


@dataclass(frozen=True)
class ResearchLine:
    research: Research
    her_views: str | None  # None: withheld from this reader (its agency works with the person causing harm)


@dataclass(frozen=True)
class ConferenceItem:
    """One agenda case as the meeting reads it, to this reader: the risk level and its reasons, the
    criteria, whether she knows, the incident pattern (summaries), each agency's research, earlier
    actions, the discussion. Her needs and her own words only where the reader's decision holds them
    (its agency sees the case itself); her protected details never."""

    referral: ConferenceReferral
    decision: AccessDecision
    risk_level: str
    risk_reasons: list[dict[str, str]]
    criteria: list[str]
    she_knows: str
    why_not_told: str
    incidents: list[IncidentSummary]
    incidents_last_year: int
    research: list[ResearchLine]
    actions: list[ConferenceAction]
    judgement_reason: str | None = None  # the risk-answers facet
    her_words: list[str] | None = None  # the risk-answers facet: what she fears, from her assessments
    needs: list[Need] | None = None  # the needs facet

    @property
    def reference(self) -> str:
        return self.referral.case.reference

    @property
    def name(self) -> str:
        return self.referral.case.survivor.full_name

    @property
    def fields_shown(self) -> list[str]:
        """For the access log: what of her record this page showed."""
        fields = ["name", "risk_level", "criteria", "she_knows", "incidents", "research", "actions",
                  "discussion_summary"]
        if self.her_words is not None:
            fields += ["judgement_reason", "her_words"]
        if self.needs is not None:
            fields.append("needs")
        return fields


def _yes_no(code: str) -> str:
    return label_of(YesNoUnknown, code)


def item_of(referral: ConferenceReferral, decision: AccessDecision) -> ConferenceItem:
    """The conference item of this referral, for a reader whose decision holds it."""
    if not decision.sees(Facet.CONFERENCE_ITEM):
        raise Http404("No such conference item.")
    case = referral.case
    risk = CaseRisk.objects.filter(case=case).first()
    incidents = [IncidentSummary(occurred_on=i.occurred_on, violence_types=i.violence_type_labels,
                                 strangulation=_yes_no(i.strangulation), weapon_used=_yes_no(i.weapon_used),
                                 children_present=_yes_no(i.children_present))
                 for i in Incident.objects.filter(case=case).defer("narrative").order_by("-occurred_on", "-id")]
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    withholds = withholds_her_views(decision.actor.agency)  # type: ignore[arg-type]
    research = [ResearchLine(research=r, her_views=None if withholds else r.her_views)
                for r in referral.research.select_related("agency")]
    actions = list(ConferenceAction.objects.filter(referral__case=case)
                   .select_related("owner_agency", "worker", "meeting").order_by("agreed_at", "id"))
    answers = decision.sees(Facet.RISK_ANSWERS)
    return ConferenceItem(
        referral=referral, decision=decision, risk_level=level_label(risk.level if risk else referral.risk_level),
        risk_reasons=reason_lines(risk.reasons if risk else []),
        criteria=[label_of(v.Criterion, code) for code in referral.criteria],
        she_knows=referral.get_she_knows_display(), why_not_told=referral.why_not_told,
        incidents=incidents, incidents_last_year=sum(i.occurred_on >= year_ago for i in incidents),
        research=research, actions=actions,
        judgement_reason=referral.judgement_reason if answers else None,
        her_words=[a.her_words for a in Assessment.objects.filter(case=case).exclude(her_words="")
                   .order_by("-recorded_at", "-id")] if answers else None,
        needs=list(policy.needs_of(decision).order_by("id")) if decision.sees(Facet.NEEDS) else None)


def neighbours(agenda: list[AgendaLine], referral_id: int) -> tuple[AgendaLine | None, AgendaLine | None]:
    """The items before and after this one on the agenda, for moving through the meeting."""
    ids = [line.referral.pk for line in agenda]
    if referral_id not in ids:
        return None, None
    at = ids.index(referral_id)
    return (agenda[at - 1] if at > 0 else None), (agenda[at + 1] if at + 1 < len(agenda) else None)


def action_of(actor: Actor, action_id: int) -> tuple[ConferenceAction, AccessDecision | None]:
    """A conference action as the actor may see it: its owner agency's staff and the coordinator (who
    update it), and whoever reads its case's conference item now; the reader's decision if it holds the
    item. 404 for anyone else, the same answer as none."""
    from .services import action_access

    try:
        action = (ConferenceAction.objects.select_related("referral__case__survivor", "owner_agency", "worker",
                                                          "meeting__series")
                  .get(pk=action_id, meeting__series__area_id=actor.area.pk))
    except (ValueError, TypeError, ConferenceAction.DoesNotExist):
        raise Http404("No such action.") from None
    try:
        _, decision = policy.conference_item_access(actor, action.referral_id)
    except Http404:
        decision = None
    if decision is None and not action_access(actor, action):
        raise Http404("No such action.")
    return action, decision


# --- The case page's conference section ------------------------------------------------------------------

@dataclass(frozen=True)
class ConferenceOnCase:
    """The case's conference history as the case page shows it: each referral, where it stands, the
    meeting that discussed it, and its actions (owner, due, status). Never the summary or research."""

    referrals: list[ConferenceReferral]
    actions: list[ConferenceAction]


def on_case(access: AccessDecision) -> ConferenceOnCase | None:
    """For a reader holding the conference item on a case it may open (two queries)."""
    if not access.sees(Facet.CONFERENCE_ITEM):
        return None
    referrals = list(ConferenceReferral.objects.filter(case=access.case).select_related("meeting")
                     .order_by("-referred_at", "-pk"))
    actions = list(ConferenceAction.objects.filter(referral__case=access.case).select_related("owner_agency")
                   .order_by("due_at", "pk")) if any(r.meeting_id for r in referrals) else []
    return ConferenceOnCase(referrals=referrals, actions=actions)


# --- What each agency reads of a meeting --------------------------------------------------------------

@dataclass(frozen=True)
class HeldItem:
    """An agenda item the actor reads now, with the decision it is read under (for the access log)."""

    referral: ConferenceReferral
    decision: AccessDecision

    @property
    def case(self) -> Case:
        return self.referral.case


def items_held(seen: MeetingAccess) -> list[HeldItem]:
    """The agenda items the actor reads now (MeetingAccess.item), in the agenda's order."""
    return [HeldItem(line.referral, line.decision) for line in agenda_of(seen) if line.decision is not None]


def research_on(seen: MeetingAccess, items: list[HeldItem], *, own_only: bool = False) -> list[Research]:
    """The research on these held items (the actor's agency's own only, if asked), in the agenda's
    order; her views blanked (None) for an agency that works with the person causing harm."""
    order = {item.referral.pk: index for index, item in enumerate(items)}
    rows = Research.objects.filter(referral_id__in=list(order)).select_related("agency", "referral__case")
    if own_only:
        rows = rows.filter(agency=seen.actor.agency)
    research = sorted(rows, key=lambda r: (order[r.referral_id], r.agency.name, r.pk))
    if withholds_her_views(seen.actor.agency):
        for row in research:
            row.her_views = None  # type: ignore[assignment]  # never read, never saved
    return research


def actions_on(items: list[HeldItem]) -> list[ConferenceAction]:
    """The actions agreed on these held items, in the agenda's order and then by deadline."""
    order = {item.referral.pk: index for index, item in enumerate(items)}
    rows = (ConferenceAction.objects.filter(referral_id__in=list(order))
            .select_related("owner_agency", "worker", "referral__case"))
    return sorted(rows, key=lambda a: (order[a.referral_id], a.due_at, a.pk))


# --- The minutes, redacted for one agency ---------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceEntry:
    agency: str
    names: str


@dataclass(frozen=True)
class MinutesResearch:
    involvement: str
    incidents: str
    risks: str
    children: str
    her_views: str | None  # None: withheld from an agency that works with the person causing harm
    nothing_held: bool


@dataclass(frozen=True)
class MinutesAction:
    description: str
    due_at: datetime.datetime
    status: str  # the label
    worker: str


@dataclass(frozen=True)
class MinutesItem:
    position: int | None
    reference: str
    name: str
    risk_level: str  # the label, "" if none when referred
    criteria: list[str]  # labels
    summary: str
    research: MinutesResearch | None  # the reader's agency's own, if it recorded any
    actions: list[MinutesAction]  # the reader's agency's own
    other_actions: int  # how many actions belong to other agencies
    held: HeldItem

    @property
    def fields(self) -> list[str]:
        """What of the item the document shows (for the access log)."""
        shown = ["reference", "name", "risk_level", "criteria", "discussion_summary"]
        if self.research is not None:
            shown += [f"research.{name}" for name in RESEARCH_TEXTS
                      if name != "her_views" or self.research.her_views is not None]
        if self.actions:
            shown.append("own_actions")
        if self.other_actions:
            shown.append("other_actions_count")
        return shown


CONFIDENTIALITY = _(
    "Confidential. What was shared at this conference is shared only to keep safe the people discussed, "
    "and only for that purpose. Do not pass it on, copy it or use it for anything else without the "
    "agreement of the agency that leads the case; never tell the person causing harm, or anyone who "
    "might tell him, anything of it. Keep this document secure and destroy it when it is no longer needed.")


@dataclass(frozen=True)
class Minutes:
    """The minutes of a closed meeting as one agency receives them: the meeting, who came, and each
    agenda case it holds with the shared summary, its own research and its own actions only."""

    meeting: Meeting
    reader: Actor
    series: str
    held_at: datetime.datetime
    chair: str
    coordinator: str
    present: list[AttendanceEntry]
    apologies: list[AttendanceEntry]
    absent: list[AttendanceEntry]
    items: list[MinutesItem]
    confidentiality: str
    printed_at: datetime.datetime


def _minutes_research(research: Research | None) -> MinutesResearch | None:
    if research is None:
        return None
    return MinutesResearch(involvement=research.involvement, incidents=research.incidents, risks=research.risks,
                           children=research.children, her_views=research.her_views,
                           nothing_held=research.nothing_held)


def minutes_for(actor: Actor, meeting: Meeting, *, seen: MeetingAccess | None = None) -> Minutes:
    """The minutes for the actor's agency. Another agency's research never appears, nor another agency's
    actions beyond how many there are; her views not for an agency working with the person causing
    harm; nothing of where she is or how to reach her. The caller checks MeetingAction.MINUTES."""
    seen = seen if seen is not None else policy.meeting_access_for(actor, meeting)
    items = items_held(seen)
    own_research = {row.referral_id: row for row in research_on(seen, items, own_only=True)}
    actions = actions_on(items)
    entries = []
    for item in items:
        referral = item.referral
        on_item = [a for a in actions if a.referral_id == referral.pk]
        own = [a for a in on_item if a.owner_agency_id == actor.agency.pk]
        entries.append(MinutesItem(
            position=referral.position, reference=referral.case.reference, name=referral.case.survivor.full_name,
            risk_level=label_of(RiskLevel, referral.risk_level) if referral.risk_level else "",
            criteria=[label_of(v.Criterion, code) for code in referral.criteria],
            summary=referral.discussion_summary, research=_minutes_research(own_research.get(referral.pk)),
            actions=[MinutesAction(description=a.description, due_at=a.due_at,
                                   status=label_of(v.ActionStatus, a.status), worker=str(a.worker or ""))
                     for a in own],
            other_actions=len(on_item) - len(own), held=item))
    attendance = list(Attendance.objects.filter(meeting=seen.meeting).select_related("agency"))

    def attending(status: str) -> list[AttendanceEntry]:
        return [AttendanceEntry(row.agency.name, row.names) for row in attendance if row.status == status]

    return Minutes(
        meeting=seen.meeting, reader=actor, series=seen.meeting.series.name, held_at=seen.meeting.held_at,
        chair=str(seen.meeting.chair or ""), coordinator=str(seen.meeting.coordinator or ""),
        present=attending(v.AttendanceStatus.PRESENT), apologies=attending(v.AttendanceStatus.APOLOGIES),
        absent=attending(v.AttendanceStatus.ABSENT), items=entries, confidentiality=str(CONFIDENTIALITY),
        printed_at=timezone.now())
