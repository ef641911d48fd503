"""Reading the conference's records: the repeat window's start, and what each agency reads of a meeting
(its agenda, the research and actions on the items it holds, its redacted minutes)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Choices, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord import policy
from concord.cases.models import Case
from concord.policy import AccessDecision, Actor, MeetingAccess
from concord.risk.vocabularies import RiskLevel

from . import vocabularies as v
from .models import Attendance, ConferenceAction, ConferenceReferral, Meeting, Research


def last_referred(case_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these cases was last referred to the conference (a withdrawn referral does not
    count): where the repeat window starts (one grouped query)."""
    return dict(ConferenceReferral.objects.filter(case_id__in=list(case_ids))
                .exclude(status=v.ConferenceReferralStatus.WITHDRAWN).values("case_id")
                .annotate(last=Max("referred_at")).values_list("case_id", "last"))


# --- What each agency reads of a meeting --------------------------------------------------------------

# The agenda's live statuses: a withdrawn referral keeps its meeting but is no longer on it.
ON_AGENDA = (v.ConferenceReferralStatus.LISTED, v.ConferenceReferralStatus.DISCUSSED)
RESEARCH_FIELDS = ("involvement", "incidents", "risks", "children", "her_views")


@dataclass(frozen=True)
class HeldItem:
    """An agenda item the actor reads now, with the decision it is read under (for the access log)."""

    referral: ConferenceReferral
    decision: AccessDecision

    @property
    def case(self) -> Case:
        return self.referral.case


def agenda_of(seen: MeetingAccess) -> list[tuple[ConferenceReferral, AccessDecision | None]]:
    """The meeting's agenda in order, each item with the actor's decision if it reads the item now,
    else None (then only its position may be shown)."""
    referrals = (ConferenceReferral.objects.filter(meeting=seen.meeting, status__in=ON_AGENDA)
                 .select_related("case__survivor").order_by("position", "pk"))
    return [(referral, seen.item(referral.pk)) for referral in referrals]


def items_held(seen: MeetingAccess) -> list[HeldItem]:
    """The agenda items the actor reads now (MeetingAccess.item), in the agenda's order."""
    return [HeldItem(referral, decision) for referral, decision in agenda_of(seen) if decision is not None]


def withholds_her_words(actor: Actor) -> bool:
    """Her views and wishes, as her advocate brings them, never reach an agency that works with the
    person causing harm (as her risk answers never do: concord.access.facets)."""
    return actor.agency.is_perpetrator_facing


def research_on(seen: MeetingAccess, items: list[HeldItem], *, own_only: bool = False) -> list[Research]:
    """The research on these held items (the actor's agency's own only, if asked), in the agenda's
    order; her views blanked (None) for an agency that works with the person causing harm."""
    order = {item.referral.pk: index for index, item in enumerate(items)}
    rows = Research.objects.filter(referral_id__in=list(order)).select_related("agency", "referral__case")
    if own_only:
        rows = rows.filter(agency=seen.actor.agency)
    research = sorted(rows, key=lambda r: (order[r.referral_id], r.agency.name, r.pk))
    if withholds_her_words(seen.actor):
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
            shown += [f"research.{name}" for name in RESEARCH_FIELDS
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


def _labelled(vocabulary: type[Choices], code: str) -> str:
    return str(vocabulary(code).label) if code in vocabulary.values else code


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
            risk_level=_labelled(RiskLevel, referral.risk_level) if referral.risk_level else "",
            criteria=[_labelled(v.Criterion, code) for code in referral.criteria],
            summary=referral.discussion_summary, research=_minutes_research(own_research.get(referral.pk)),
            actions=[MinutesAction(description=a.description, due_at=a.due_at,
                                   status=_labelled(v.ActionStatus, a.status), worker=str(a.worker or ""))
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
