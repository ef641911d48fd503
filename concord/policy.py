"""The access rule. Every question "may this user, acting for this agency, see or change this?" is
answered here, and every queryset of case data is scoped here. Views, templates, exports, API schemas
and the timeline never decide by themselves: they read one `AccessDecision`.

For an actor and a case the decision says, computed once with one query:
- whether the case is visible, and on what basis (the record that allows it);
- which facets of the case the actor may read (concord.access.facets);
- which actions the actor may take, and who may edit which record (by authorship).

A case is visible to staff in a casework role (practitioner, supervisor, conference coordinator) when
their agency
- leads it (every facet; her protected details unless the agency works with the person causing harm);
- is involved in it while her consent in force covers sharing with it (the case she agreed to share:
  no protected details, no other agency's overrides, no access log);
- holds a supervisor's override in force (legal basis, reason, expiry): only the facets the override
  names, by default the core record and incident narratives;
and in every case only if the case is not restricted or the user is named on it, and the user has not
declared a conflict of interest. Her protected details (locations, contact details, how she may be
contacted) also need the lead agency or a need-to-know grant, and never reach an agency working with
the person causing harm.

The bases are read from a table derived from the ledger in the same transaction as every write to it
(concord.access), so visibility is an indexed lookup and a withdrawal takes effect on the very next
request. A case the actor may not see does not exist for them: callers turn "no" into a 404, never a
403, so that probing a reference tells nothing.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from concord.access.facets import LEAD_FACETS, NEVER_FOR_PERPETRATOR_FACING, Facet
from concord.access.models import VISIBILITY_BASES, AgencyAccess, Basis
from concord.accounts.models import Agency, Area, Membership, Role, ServiceToken, User
from concord.cases.models import (
    Case,
    CaseParticipant,
    ConflictOfInterest,
    Incident,
    Need,
    RestrictedCaseMember,
)
from concord.conferences.models import ConferenceReferral, ConferenceSeries, Meeting
from concord.consent.models import Override
from concord.people.models import Person
from concord.referrals.models import Referral
from concord.referrals.vocabularies import ReferralStatus
from concord.statements import Columns, Statement, table

# The version of the rule a basis was decided under, written with it in the access log.
RULE_VERSION = 2


@dataclass(frozen=True)
class Actor:
    """A staff user acting for one of their agencies (the session's active membership), or a service
    account calling the API with one of its tokens (`token`), which the access log then names."""

    user: User
    membership: Membership
    token: ServiceToken | None = None

    is_system = False

    @property
    def agency(self) -> Agency:
        return self.membership.agency

    @property
    def area(self) -> Area:
        return self.membership.agency.area

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def does_casework(self) -> bool:
        return self.membership.is_active and self.agency.is_active and self.membership.does_casework

    @property
    def is_supervisor(self) -> bool:
        return self.does_casework and self.role == Role.SUPERVISOR

    @property
    def is_administrator(self) -> bool:
        return self.membership.is_active and self.role == Role.ADMINISTRATOR

    @property
    def label(self) -> str:
        return self.token.label if self.token is not None else str(self.user)


@dataclass(frozen=True)
class SystemActor:
    """The system itself, acting without a person: a background job, a protocol rule, an import. It
    writes timeline events and access-log entries like a person does, marked as the system's."""

    process: str

    is_system = True
    user = None
    membership = None
    agency = None
    does_casework = False

    @property
    def label(self) -> str:
        return f"system: {self.process}"


AnyActor = Actor | SystemActor


class Action(enum.StrEnum):
    """What an actor may do on a case (besides editing a record, which goes by authorship)."""

    RECORD_INCIDENT = "record_incident"
    RECORD_NEED = "record_need"
    RECORD_REFUSAL = "record_refusal"  # she declines or withdraws: whoever she tells must be able to stop it
    RECORD_SHARING_CONSENT = "record_sharing_consent"
    RECORD_CONTACT_CONSENT = "record_contact_consent"
    RECORD_PROTECTED = "record_protected"  # locations, contact numbers and e-mails
    CORRECT_DETAILS = "correct_details"  # her details, her names, the people on the case
    MANAGE = "manage"  # agencies, lead, open/closed, restriction, need-to-know grants
    AUTHORISE_OVERRIDE = "authorise_override"
    EXPORT = "export"
    DECLARE_CONFLICT = "declare_conflict"
    ASSIGN_WORKER = "assign_worker"  # name who holds the case for the actor's own agency
    # Assess risk with her, or raise the level on professional judgement: whoever may read her answers.
    RECORD_RISK = "record_risk"
    REFER = "refer"  # send a referral to another agency for her
    RECORD_SAFETY_PLAN = "record_safety_plan"  # agree her safety plan with her: whoever may read it


class EditRight(enum.Enum):
    NONE = "none"
    AUTHOR = "author"  # the agency that recorded it
    LEAD_CORRECTION = "lead_correction"  # the lead agency, with a reason


class Authored(Protocol):
    recorded_for_id: int


class Owned(Protocol):
    owner_agency_id: int


@dataclass(frozen=True)
class BasisRef:
    """Why an agency may see a case: the kind of basis, the record that gives it, and the rule's version."""

    kind: str
    record_id: int | None = None
    rule_version: int = RULE_VERSION

    def __str__(self) -> str:
        return self.kind if self.record_id is None else f"{self.kind}:{self.record_id}"


# When several bases hold at once, the one named is the widest.
_BASIS_ORDER: dict[str, int] = {Basis.LEAD: 0, Basis.CONSENT: 1, Basis.OVERRIDE: 2, Basis.NEED_TO_KNOW: 3,
                                Basis.REFERRAL: 4, Basis.CONFERENCE: 5, Basis.COORDINATION: 6}
# Bases that show one part of a case without opening it: a waiting referral's packet, a conference item.
PART_BASES = frozenset({Basis.REFERRAL, Basis.CONFERENCE, Basis.COORDINATION})


def _widest(bases) -> BasisRef | None:
    """The basis named for an access: the widest of those that open the case."""
    return min((b for b in bases if b.kind in VISIBILITY_BASES), key=lambda b: _BASIS_ORDER[b.kind], default=None)


def _log_label(basis: BasisRef | None, case: Case) -> str:
    """The basis as the access log records it: "consent:12", "+restricted-named", with the rule's version."""
    if basis is None:
        return ""
    return f"{basis}{'+restricted-named' if case.is_restricted else ''}@r{basis.rule_version}"


@dataclass(frozen=True)
class AccessDecision:
    """Everything the actor may see and do on one case. The one place to learn who sees what."""

    actor: AnyActor
    case: Case
    visible: bool
    bases: tuple[BasisRef, ...] = ()
    facets: frozenset[str] = frozenset()
    actions: frozenset[Action] = frozenset()
    restricted_named: bool = False
    # Overrides for the actor's own agency are its basis, not another agency's business: it sees those.
    own_agency_id: int | None = None
    # For the lead agency only: which agencies may open the case now (shown beside each involved agency),
    # and how many other agencies see it under an override, or hold her protected details on need-to-know.
    agencies_with_access: frozenset[int] = frozenset()
    overrides_in_force: int = 0
    need_to_know_grants: int = 0

    @property
    def can(self) -> dict[str, bool]:
        """For templates: `{% if can.manage %}`."""
        return {action.value: action in self.actions for action in Action}

    @property
    def shows(self) -> dict[str, bool]:
        """For templates: `{% if shows.needs %}`."""
        return {facet.value: facet.value in self.facets for facet in Facet}

    @property
    def basis(self) -> BasisRef | None:
        return _widest(self.bases)

    @property
    def basis_label(self) -> str:
        """For the access log: "lead", "consent:<id>", "override:<id>", "+restricted-named", "system:…";
        with the rule's version. Empty only for a decision that does not let the actor see the case."""
        if self.actor.is_system:
            return f"system:{self.actor.process}@r{RULE_VERSION}"  # type: ignore[union-attr]
        if self.basis is None and self.bases:
            # A waiting referral's packet, a conference item: "referral:<id>", "conference:<id>".
            return _log_label(self.bases[0], self.case)
        return _log_label(self.basis, self.case)

    @property
    def is_lead(self) -> bool:
        return any(b.kind == Basis.LEAD for b in self.bases)

    def sees(self, facet: str) -> bool:
        return facet in self.facets

    def holds_referral(self, referral_id: int) -> bool:
        """Whether a waiting referral is among the bases: its receiver reads its packet, nothing more."""
        return any(b.kind == Basis.REFERRAL and b.record_id == referral_id for b in self.bases)

    def holds_conference_item(self, conference_referral_id: int) -> bool:
        """Whether this conference referral is among the bases (invited to its meeting, or coordinating it)."""
        return any(b.kind in (Basis.CONFERENCE, Basis.COORDINATION) and b.record_id == conference_referral_id
                   for b in self.bases)

    def may(self, action: Action) -> bool:
        return action in self.actions

    def edit_right(self, record: Authored) -> EditRight:
        """Who edits an incident, a need or a note: the agency that recorded it; the lead agency may
        correct it, with a reason; every other agency adds its own records beside it."""
        if not self.visible or self.actor.is_system:
            return EditRight.NONE
        if record.recorded_for_id == self.own_agency_id:
            return EditRight.AUTHOR
        if self.is_lead:
            return EditRight.LEAD_CORRECTION
        return EditRight.NONE

    def may_edit(self, record: Authored) -> bool:
        return self.edit_right(record) is not EditRight.NONE

    def may_complete(self, task: Owned) -> bool:
        """A task is done by the agency it belongs to; the lead agency may also close it (a task that
        another agency cannot reach must not stay open for ever)."""
        if not self.visible or self.actor.is_system:
            return False
        return task.owner_agency_id == self.own_agency_id or self.is_lead

    def sees_event(self, facet: str, params: dict[str, Any]) -> bool:
        """A timeline event belongs to one facet; an override event is also seen by the agency it is for."""
        if facet in self.facets:
            return True
        return facet == Facet.OVERRIDES and self.visible and params.get("agency_id") == self.own_agency_id


def _invisible(actor: AnyActor, case: Case) -> AccessDecision:
    return AccessDecision(actor=actor, case=case, visible=False)


def _actions(actor: Actor, bases: set[str], facets: frozenset[str], may_correct: bool) -> frozenset[Action]:
    actions = {Action.EXPORT, Action.DECLARE_CONFLICT, Action.RECORD_REFUSAL, Action.ASSIGN_WORKER, Action.REFER}
    if Facet.INCIDENT_NARRATIVES in facets:
        actions.add(Action.RECORD_INCIDENT)
    if Facet.NEEDS in facets:
        actions.add(Action.RECORD_NEED)
    if Facet.RISK_ANSWERS in facets:
        actions.add(Action.RECORD_RISK)
    if Facet.SAFETY_PLAN in facets:
        actions.add(Action.RECORD_SAFETY_PLAN)
    if Facet.PROTECTED in facets:
        actions |= {Action.RECORD_PROTECTED, Action.RECORD_CONTACT_CONSENT}
    if may_correct:
        actions.add(Action.CORRECT_DETAILS)
    if Basis.LEAD in bases:
        actions |= {Action.MANAGE, Action.RECORD_SHARING_CONSENT}
        if actor.is_supervisor:
            actions.add(Action.AUTHORISE_OVERRIDE)
    return frozenset(actions)


def _reads_by_coordination(actor: Actor) -> bool:
    """The coordination basis is the coordinating agency's, for its conference coordinators only."""
    return actor.role == Role.CONFERENCE_COORDINATOR


def _decide(actor: Actor, case: Case, case_rows: list[AgencyAccess], *, conflicted: bool,
            named: bool) -> AccessDecision:
    rows = [row for row in case_rows if row.agency_id == actor.agency.pk
            and (row.basis != Basis.COORDINATION or _reads_by_coordination(actor))]
    if conflicted or (case.is_restricted and not named):
        return _invisible(actor, case)
    if not any(row.basis in VISIBILITY_BASES for row in rows):
        parts = [row for row in rows if row.basis in PART_BASES]
        if not parts:
            return _invisible(actor, case)
        # A referral waiting for this agency's reply (its packet), a case on a conference agenda (its
        # conference item): that part, and not the case.
        return AccessDecision(actor=actor, case=case, visible=False,
                              bases=tuple(sorted((BasisRef(row.basis, row.source_id) for row in parts),
                                                 key=lambda b: (_BASIS_ORDER[b.kind], b.record_id or 0))),
                              facets=frozenset(f for row in parts for f in row.facets), own_agency_id=actor.agency.pk)
    facets: set[str] = set()
    for row in rows:
        facets.update(row.facets)
    if actor.agency.is_perpetrator_facing:
        facets -= NEVER_FOR_PERPETRATOR_FACING  # whatever a row says: never for an agency working with him
    frozen = frozenset(facets)
    bases = {row.basis for row in rows}
    may_correct = any(row.may_correct_details for row in rows if row.basis in VISIBILITY_BASES)
    actions = _actions(actor, bases, frozen, may_correct)
    manages = Action.MANAGE in actions
    with_access = (frozenset(row.agency_id for row in case_rows if row.basis in VISIBILITY_BASES)
                   if manages else frozenset())
    return AccessDecision(
        actor=actor, case=case, visible=True,
        bases=tuple(sorted((BasisRef(row.basis, row.source_id) for row in rows),
                           key=lambda b: (_BASIS_ORDER[b.kind], b.record_id or 0))),
        facets=frozen, actions=actions, restricted_named=case.is_restricted and named,
        own_agency_id=actor.agency.pk, agencies_with_access=with_access,
        overrides_in_force=sum(row.basis == Basis.OVERRIDE for row in case_rows) if manages else 0,
        need_to_know_grants=sum(row.basis == Basis.NEED_TO_KNOW for row in case_rows) if manages else 0,
    )


def _person_flags(user: User, case: str = "pk") -> dict[str, Exists]:
    """Whether this person declared a conflict on the case, and whether they are named on its restriction
    (`case`: the outer query's path to the case's id)."""
    return {
        "_conflicted": Exists(ConflictOfInterest.objects.filter(case=OuterRef(case), user=user)),
        "_named": Exists(RestrictedCaseMember.objects.filter(case=OuterRef(case), user=user,
                                                             removed_at__isnull=True)),
    }


def decide(actor: AnyActor, case: Case, at: datetime.datetime | None = None) -> AccessDecision:
    """The decision for a case already in hand (a service checking before it writes). One query."""
    if actor.is_system:
        return AccessDecision(actor=actor, case=case, visible=True, facets=LEAD_FACETS)
    assert isinstance(actor, Actor)
    if not actor.does_casework or case.area_id != actor.area.pk:
        return _invisible(actor, case)
    rows = list(AgencyAccess.objects.filter(case_id=case.pk).valid_at(at or timezone.now())
                .annotate(**_person_flags(actor.user, case="case_id")))
    if not rows:
        return _invisible(actor, case)
    return _decide(actor, case, rows, conflicted=rows[0]._conflicted,  # type: ignore[attr-defined]
                   named=rows[0]._named)  # type: ignore[attr-defined]


# The decision's one statement for a case page (every page inside a case asks it): the bases in force
# on the case with this reference, each with the case, her record and the lead agency, and the
# actor's restriction and conflict. The same rows as `decide`'s queryset; written once, prepared
# once per connection (concord.statements: the ORM built and PostgreSQL planned it on every page).
# (The tables' names come from the models; every value is a parameter.)
_CONFLICTED = f"EXISTS (SELECT 1 FROM {table(ConflictOfInterest)} k WHERE k.case_id = c.id AND k.user_id = %s)"  # noqa: S608
_NAMED = (f"EXISTS (SELECT 1 FROM {table(RestrictedCaseMember)} r WHERE r.case_id = c.id AND r.user_id = %s"  # noqa: S608
          " AND r.removed_at IS NULL)")
_CASE_ACCESS = Statement(
    [Columns(AgencyAccess, "a"), Columns(Case, "c"), Columns(Person, "s"), Columns(Agency, "l")],
    [_CONFLICTED, _NAMED],
    f"FROM {table(AgencyAccess)} a JOIN {table(Case)} c ON c.id = a.case_id"
    f" JOIN {table(Person)} s ON s.id = c.survivor_id JOIN {table(Agency)} l ON l.id = c.lead_agency_id"
    " WHERE c.area_id = %s AND c.reference = %s AND a.valid_from <= %s AND a.valid_until > %s")


def case_access(actor: Actor, reference: str) -> AccessDecision:
    """The decision for the case with this reference; 404 if there is none or the actor may not see it,
    the same answer for both. One query: the bases in force on the case, each with the case itself and
    the actor's restriction and conflict. A case the actor's agency may open has at least one."""
    if not actor.does_casework:
        raise Http404("No such case.")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = _CASE_ACCESS.rows([actor.user.pk, actor.user.pk, actor.area.pk, reference, now, now])
    if not found:
        raise Http404("No such case.")
    (_row, case, survivor, lead), (conflicted, named) = found[0]
    assert isinstance(case, Case) and isinstance(survivor, Person) and isinstance(lead, Agency)
    case.survivor, case.lead_agency, case.area = survivor, lead, actor.area
    rows: list[AgencyAccess] = []
    for (row, *_rest), _flags in found:
        assert isinstance(row, AgencyAccess)
        row.case = case  # one case object, whichever row it is reached from
        rows.append(row)
    decision = _decide(actor, case, rows, conflicted=bool(conflicted), named=bool(named))
    if not decision.visible:
        raise Http404("No such case.")
    return decision


def get_case(actor: Actor, reference: str) -> Case:
    """The case with this reference if the actor may see it; otherwise 404, as if it did not exist."""
    return case_access(actor, reference).case


# One-question shorthands over the decision, for scripts and tests. Pages, services and the API take the
# decision once and read it, rather than asking again question by question.

def can_view_case(actor: Actor, case: Case) -> bool:
    return decide(actor, case).visible


def can_see_protected(actor: Actor, case: Case) -> bool:
    return decide(actor, case).sees(Facet.PROTECTED)


def access_basis(actor: Actor, case: Case) -> str:
    return decide(actor, case).basis_label


def decide_for_write(actor: Actor, case: Case, action: Action | None = None) -> AccessDecision:
    """For services: the decision for a write, taken before it; 404 if the actor may not see the case at
    all, a refusal if the decision does not offer `action`."""
    access = decide(actor, case)
    if not access.visible:
        raise Http404("No such case.")
    if action is not None:
        require(access, action)
    return access


def require(decision: AccessDecision, action: Action) -> None:
    """For services: a decision that lets the actor see the case but not do this to it is a refusal."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if not decision.may(action):
        raise PermissionDenied(_("Your agency cannot make this change on this case."))


# --- Lists: every queryset of case data is scoped here ---------------------------------------------

def _opening_rows(agency: Agency, at: datetime.datetime) -> QuerySet[AgencyAccess]:
    return AgencyAccess.objects.filter(agency_id=agency.pk).opening().valid_at(at)


def _person_allowed(user: User, *, through_case: bool = False) -> Q:
    """This person may come near the case: it is not restricted or they are named on it, and they have
    not declared a conflict. On a case queryset, or (`through_case`) on rows with a `case` key."""
    flags = _person_flags(user, case="case_id" if through_case else "pk")
    unrestricted = Q(case__is_restricted=False) if through_case else Q(is_restricted=False)
    return (unrestricted | Q(flags["_named"])) & ~Q(flags["_conflicted"])


def cases_visible_to(actor: Actor, at: datetime.datetime | None = None) -> QuerySet[Case]:
    """Every case the actor may open. The single source for case lists, search and lookups."""
    if not actor.does_casework:
        return Case.objects.none()
    rows = _opening_rows(actor.agency, at or timezone.now())
    return Case.objects.filter(pk__in=rows.values("case_id")).filter(_person_allowed(actor.user))


def visible_among(actor: Actor, case_ids: Iterable[int] | QuerySet, at: datetime.datetime | None = None
                  ) -> QuerySet[Case]:
    """Those of these cases the actor may open: the same rule as cases_visible_to, asked case by case
    (one index probe each), for a short list such as the cases of the people a search matched (a list
    of ids, or a subquery of them)."""
    if not actor.does_casework:
        return Case.objects.none()
    opening = _opening_rows(actor.agency, at or timezone.now()).filter(case_id=OuterRef("pk"))
    return Case.objects.filter(pk__in=case_ids).filter(Exists(opening)).filter(_person_allowed(actor.user))


def cases_with_protected_visible_to(actor: Actor) -> QuerySet[Case]:
    """Cases whose protected information the actor may see: visible cases that their agency leads or
    holds a need-to-know grant for; none at all for an agency that works with the person causing harm.
    Phone search matches only within these, so a number cannot be used to probe whose it is."""
    if not actor.does_casework or actor.agency.is_perpetrator_facing:
        return Case.objects.none()
    holding = (AgencyAccess.objects.filter(agency_id=actor.agency.pk, basis__in=[Basis.LEAD, Basis.NEED_TO_KNOW])
               .valid_at(timezone.now()))
    return cases_visible_to(actor).filter(pk__in=holding.values("case_id"))


def listed_bases(actor: Actor, cases: list[Case]) -> dict[int, str]:
    """The access-log basis of each case in a page of results already scoped by this module: one query."""
    bases: dict[int, list[BasisRef]] = {}
    for case_id, kind, source_id in (_opening_rows(actor.agency, timezone.now())
                                     .filter(case_id__in=[case.pk for case in cases])
                                     .values_list("case_id", "basis", "source_id")):
        bases.setdefault(case_id, []).append(BasisRef(kind, source_id))
    return {case.pk: _log_label(_widest(bases.get(case.pk, ())), case) for case in cases}


def sharing_of(access: AccessDecision) -> list[AgencyAccess]:
    """Who may see the case now, and on what basis: every agency's bases in force, for the agency that
    oversees the case (the overrides facet); nothing for anyone else. One query."""
    if not access.sees(Facet.OVERRIDES):
        return []
    return list(AgencyAccess.objects.filter(case_id=access.case.pk).valid_at(timezone.now())
                .select_related("agency").order_by("agency__name", "basis"))


def overrides_visible_to(actor: Actor) -> QuerySet[Override]:
    """Overrides for review: every one on a case the actor's agency leads (and may see), and those
    for the actor's own agency on cases it may see. Newest first."""
    from concord.consent import selectors as consent

    visible = cases_visible_to(actor)
    return (consent.overrides_for_review(actor.area.pk)
            .filter(Q(case__in=visible.filter(lead_agency=actor.agency).values("pk"))
                    | Q(agency=actor.agency, case__in=visible.values("pk"))))


def overrides_actionable_by(actor: Actor, overrides: Iterable[Override]) -> set[int]:
    """Of overrides already scoped by overrides_visible_to, those in force that the actor may end or
    renew from the review: the rule of the case's decision (AUTHORISE_OVERRIDE: a supervisor of the
    agency that leads the case), asked without a decision per case."""
    if not actor.does_casework or not actor.is_supervisor:
        return set()
    return {override.pk for override in overrides
            if override.case.lead_agency_id == actor.agency.pk and override.in_force()}


def incidents_of(decision: AccessDecision) -> QuerySet[Incident]:
    """The incidents of a case whose decision the caller holds (summaries are in the core record)."""
    if not decision.sees(Facet.CORE):
        return Incident.objects.none()
    return Incident.objects.filter(case=decision.case)


def needs_of(decision: AccessDecision) -> QuerySet[Need]:
    if not decision.sees(Facet.NEEDS):
        return Need.objects.none()
    return Need.objects.filter(case=decision.case)


def people_visible_to(actor: Actor) -> QuerySet[Person]:
    """People on a case the actor may see, as survivor or participant. No one else is shown, not even
    at intake's duplicate check: knowing that a name is on another agency's case is itself a leak."""
    visible = cases_visible_to(actor)
    return Person.objects.filter(
        Q(pk__in=visible.values("survivor_id"))
        | Exists(CaseParticipant.objects.filter(person_id=OuterRef("pk"), case__in=visible.values("pk")))
    )


def get_person(actor: Actor, person_id: int) -> Person:
    try:
        return people_visible_to(actor).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def people_on_case(case: Case) -> QuerySet[Person]:
    """The survivor and everyone added to her case. For a case already fetched through case_access."""
    return Person.objects.filter(
        Q(pk=case.survivor_id) | Exists(CaseParticipant.objects.filter(case=case, person_id=OuterRef("pk"))))


def get_person_on_case(decision: AccessDecision, person_id: int) -> Person:
    """A person on this very case, reached through it: anyone else is a 404, even someone the actor
    sees on another case, so a change is always made (and recorded) on a case they are on."""
    try:
        return people_on_case(decision.case).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def agencies_in_area(actor: Actor) -> QuerySet[Agency]:
    return Agency.objects.filter(area_id=actor.agency.area_id)


def can_administer(actor: Actor) -> bool:
    return actor.is_administrator


# --- Referrals -----------------------------------------------------------------------------------------

class ReferralAction(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class ReferralAccess:
    """What the actor may see and do on one referral, from its agency's side of it and its decision on
    the referral's case: the receiver of a waiting referral reads its packet (the referral's basis in
    the decision), never the case, until it accepts."""

    referral: Referral
    decision: AccessDecision
    sends: bool
    receives: bool

    @property
    def sees_packet(self) -> bool:
        if self.decision.visible:
            return self.decision.sees(Facet.REFERRAL_PACKET)
        return self.decision.holds_referral(self.referral.pk)

    @property
    def actions(self) -> frozenset[ReferralAction]:
        actor, status = self.decision.actor, self.referral.status
        if actor.is_system or not actor.does_casework:
            return frozenset()
        actions: set[ReferralAction] = set()
        if self.receives and status == ReferralStatus.SENT and self.decision.holds_referral(self.referral.pk):
            actions |= {ReferralAction.ACCEPT, ReferralAction.DECLINE}
        if self.receives and status == ReferralStatus.ACCEPTED and self.decision.visible:
            actions.add(ReferralAction.COMPLETE)
        if self.sends and status == ReferralStatus.SENT and self.decision.visible:
            actions.add(ReferralAction.WITHDRAW)
        return frozenset(actions)

    @property
    def can(self) -> dict[str, bool]:
        return {action.value: action in self.actions for action in ReferralAction}

    def may(self, action: ReferralAction) -> bool:
        return action in self.actions


def referrals_visible_to(actor: Actor) -> QuerySet[Referral]:
    """The referrals the actor's agency sent or received, on cases whose restriction and conflicts let
    this member of staff near them. Which of their contents show is each referral's ReferralAccess."""
    if not actor.does_casework:
        return Referral.objects.none()
    return (Referral.objects.filter(case__area_id=actor.area.pk)
            .filter(Q(from_agency_id=actor.agency.pk) | Q(to_agency_id=actor.agency.pk))
            .filter(_person_allowed(actor.user, through_case=True)))


def packets_waiting_for(actor: Actor, case_ids: Iterable[int]) -> list[int]:
    """The referrals on these cases whose packets the actor's agency reads now (waiting for its reply):
    the referral basis of the derived table, for a list that cannot take a decision per row."""
    if not actor.does_casework:
        return []
    return list(AgencyAccess.objects.filter(agency_id=actor.agency.pk, basis=Basis.REFERRAL,
                                            case_id__in=list(case_ids)).valid_at(timezone.now())
                .values_list("source_id", flat=True))


def referral_access(actor: Actor, referral_id: int) -> ReferralAccess:
    """The referral with this id as the actor may see it; 404 if its agency is on neither side of it
    (or the case's restriction or a declared conflict keeps this person away), the same answer as none."""
    try:
        referral = (referrals_visible_to(actor).select_related("case__survivor", "case__area", "case__lead_agency",
                                                               "from_agency", "to_agency")
                    .get(pk=referral_id))
    except (ValueError, TypeError, Referral.DoesNotExist):
        raise Http404("No such referral.") from None
    return referral_access_for(actor, referral)


def referral_access_for(actor: Actor, referral: Referral) -> ReferralAccess:
    """For a referral already scoped by referrals_visible_to (a list's row, a service's locked copy)."""
    return ReferralAccess(referral=referral, decision=decide(actor, referral.case),
                          sends=referral.from_agency_id == actor.agency.pk,
                          receives=referral.to_agency_id == actor.agency.pk)



# --- Conferences ---------------------------------------------------------------------------------------

class MeetingAction(enum.StrEnum):
    COORDINATE = "coordinate"  # schedule, invite, build and reorder the agenda, release it
    CHAIR = "chair"  # attendance, the discussion of each case, its actions; close the meeting
    RESEARCH = "research"  # record what the actor's agency holds on each agenda case
    MINUTES = "minutes"  # download the minutes, redacted for the actor's agency


@dataclass(frozen=True)
class MeetingAccess:
    """What the actor may see and do at one meeting. Each agenda case's item is read under that case's
    own decision (`items`): the conference basis for an invited agency from the agenda's release until
    the access ends; the coordination basis for the coordinator; never the whole case by this route."""

    meeting: Meeting
    actor: Actor
    invited: bool
    coordinates: bool
    chairs: bool
    items: dict[int, AccessDecision]  # conference referral id → the decision on its case

    @property
    def actions(self) -> frozenset[MeetingAction]:
        actions: set[MeetingAction] = set()
        if self.coordinates:
            actions.add(MeetingAction.COORDINATE)
        if (self.chairs or self.coordinates) and self.meeting.is_released and not self.meeting.is_closed:
            actions.add(MeetingAction.CHAIR)
        if self.invited and self.meeting.is_released and not self.meeting.is_closed:
            actions.add(MeetingAction.RESEARCH)
        if (self.invited or self.coordinates) and self.meeting.is_closed:
            actions.add(MeetingAction.MINUTES)
        return frozenset(actions)

    @property
    def can(self) -> dict[str, bool]:
        return {action.value: action in self.actions for action in MeetingAction}

    def may(self, action: MeetingAction) -> bool:
        return action in self.actions

    def item(self, conference_referral_id: int) -> AccessDecision | None:
        """The decision on this agenda case if the actor reads its conference item now, else None."""
        decision = self.items.get(conference_referral_id)
        return decision if decision is not None and decision.sees(Facet.CONFERENCE_ITEM) else None


def coordinates(actor: Actor, series: ConferenceSeries) -> bool:
    """Whether the actor coordinates this conference series: a conference coordinator of its coordinating
    agency (of any agency of the area, for a series that names none). The one rule for scheduling,
    agendas, withdrawing a referral and recording an action not done."""
    return (actor.does_casework and actor.role == Role.CONFERENCE_COORDINATOR and actor.area.pk == series.area_id
            and series.coordinating_agency_id in (None, actor.agency.pk))


def meetings_visible_to(actor: Actor) -> QuerySet[Meeting]:
    """The meetings of the actor's area that its agency is invited to, or that the actor coordinates."""
    if not actor.does_casework:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(series__area_id=actor.area.pk)
    coordinated = (Q(series__coordinating_agency__isnull=True) | Q(series__coordinating_agency=actor.agency)
                   if actor.role == Role.CONFERENCE_COORDINATOR else Q(pk__in=[]))
    return meetings.filter(coordinated | Q(invited=actor.agency) | Q(chair=actor.user)).distinct()


def meeting_access(actor: Actor, meeting_id: int) -> MeetingAccess:
    """The meeting as the actor may see it; 404 if it is not the actor's area's, or the actor's agency is
    not invited and the actor neither coordinates nor chairs it."""
    try:
        meeting = (meetings_visible_to(actor).select_related("series__area", "chair", "coordinator")
                   .get(pk=meeting_id))
    except (ValueError, TypeError, Meeting.DoesNotExist):
        raise Http404("No such meeting.") from None
    return meeting_access_for(actor, meeting)


def meeting_access_for(actor: Actor, meeting: Meeting) -> MeetingAccess:
    """For a meeting already scoped by meetings_visible_to. Two queries: whether the agency is invited,
    and every agenda case's bases for the actor's agency (each with the person's restriction and conflict)."""
    invited = meeting.invited.filter(pk=actor.agency.pk).exists()
    agenda = {ref.case_id: ref.pk for ref in ConferenceReferral.objects.filter(meeting=meeting).only("pk", "case_id")}
    return MeetingAccess(meeting=meeting, actor=actor, invited=invited,
                         coordinates=coordinates(actor, meeting.series),
                         chairs=meeting.chair_id == actor.user.pk,
                         items=_decisions_on(actor, agenda))


def _decisions_on(actor: Actor, case_to_item: dict[int, int]) -> dict[int, AccessDecision]:
    """The actor's decision on each of these cases, keyed by the given item id: one query."""
    if not actor.does_casework or not case_to_item:
        return {}
    rows: dict[int, list[AgencyAccess]] = {}
    for row in (AgencyAccess.objects.filter(agency_id=actor.agency.pk, case_id__in=list(case_to_item))
                .valid_at(timezone.now()).select_related("case__survivor", "case__area", "case__lead_agency")
                .annotate(**_person_flags(actor.user, case="case_id"))):
        rows.setdefault(row.case_id, []).append(row)
    decisions = {}
    for case_id, case_rows in rows.items():
        case = case_rows[0].case
        decisions[case_to_item[case_id]] = _decide(
            actor, case, case_rows, conflicted=case_rows[0]._conflicted,  # type: ignore[attr-defined]
            named=case_rows[0]._named)  # type: ignore[attr-defined]
    return decisions


def conference_item_decisions(actor: Actor, referrals: Iterable[ConferenceReferral]) -> dict[int, AccessDecision]:
    """For a list of conference referrals (the coordinator's waiting list): the actor's decision on each
    one's case, by referral id, for those whose conference item it reads now. One query."""
    decisions = _decisions_on(actor, {referral.case_id: referral.pk for referral in referrals})
    return {pk: decision for pk, decision in decisions.items() if decision.sees(Facet.CONFERENCE_ITEM)}


def conference_items_held(actor: Actor, case_ids: Iterable[int]) -> list[int]:
    """Those of these cases whose conference item the actor's agency reads now (for a list such as the
    tasks, which cannot take a decision per row): the conference bases of the derived table. One query."""
    if not actor.does_casework:
        return []
    bases = [Basis.CONFERENCE, *([Basis.COORDINATION] if _reads_by_coordination(actor) else [])]
    return list(AgencyAccess.objects.filter(agency_id=actor.agency.pk, basis__in=bases, case_id__in=list(case_ids))
                .valid_at(timezone.now()).filter(_person_allowed(actor.user, through_case=True))
                .values_list("case_id", flat=True)
                .distinct())


def conference_item_access(actor: Actor, conference_referral_id: int) -> tuple[ConferenceReferral, AccessDecision]:
    """One conference referral and the actor's decision on its case, if the actor reads its item now;
    otherwise 404, the same answer as none (for the coordinator's referral list and the meeting view)."""
    try:
        referral = (ConferenceReferral.objects.select_related("case__survivor", "case__area", "meeting__series")
                    .get(pk=conference_referral_id, case__area_id=actor.area.pk))
    except (ValueError, TypeError, ConferenceReferral.DoesNotExist):
        raise Http404("No such conference item.") from None
    decision = _decisions_on(actor, {referral.case_id: referral.pk}).get(referral.pk)
    if decision is None or not decision.sees(Facet.CONFERENCE_ITEM):
        raise Http404("No such conference item.")
    return referral, decision
