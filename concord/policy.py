"""The access rule. Every question "may this user, acting for this agency, see or change this?"
is answered here, and every queryset of case data is scoped here. Views and API operations never
filter case data by hand.

A case is visible to staff in a casework role (practitioner, supervisor, conference coordinator):
- of the lead agency, always;
- of an involved agency, while the survivor's consent in force covers sharing with it;
- of any agency while a supervisor's override for it is in force (legal basis, reason, expiry);
and in every case only if the case is not restricted or the user is named on it, and the user has not
declared a conflict of interest. Everything is computed per request from the records: withdrawal or
expiry takes effect on the very next request, and nothing is cached.

Protected information (locations, contact details) is seen only by the lead agency and agencies
granted it on need-to-know, and never by perpetrator-facing agencies, whatever else is granted.

A case the actor may not see does not exist for them: callers turn "no" into a 404, never a 403,
so that probing a reference tells nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from concord.accounts.models import Agency, Area, Membership, Role, User
from concord.cases.models import (
    Case,
    CaseAgency,
    CaseParticipant,
    ConflictOfInterest,
    Incident,
    Need,
    RestrictedCaseMember,
)
from concord.consent import selectors as consent
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant
from concord.consent.vocabularies import Scope
from concord.people.models import Person


@dataclass(frozen=True)
class Actor:
    """A staff user acting for one of their agencies (the session's active membership)."""

    user: User
    membership: Membership

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


def _involved_here(agency: Agency) -> Q:
    return Q(Exists(CaseAgency.objects.filter(case=OuterRef("pk"), agency=agency, ended_at__isnull=True)))


def _person_allowed(user: User) -> Q:
    named = Exists(RestrictedCaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_at__isnull=True))
    conflicted = Exists(ConflictOfInterest.objects.filter(case=OuterRef("pk"), user=user))
    return (Q(is_restricted=False) | Q(named)) & ~Q(conflicted)


def _cases_agency_may_see(agency: Agency, at: datetime.datetime) -> QuerySet[Case]:
    """The agency-level half of the rule: lead, involved with her consent, or an override."""
    cases = consent.with_sharing_consent(Case.objects.filter(area_id=agency.area_id), agency, at)
    return cases.filter(
        Q(lead_agency=agency)
        | (_involved_here(agency) & consent.sharing_consented_q(at))
        | consent.override_in_force_q(agency, at)
    )


def cases_visible_to(actor: Actor, at: datetime.datetime | None = None) -> QuerySet[Case]:
    """Every case the actor may open. The single source for case lists, search and lookups."""
    if not actor.does_casework:
        return Case.objects.none()
    return _cases_agency_may_see(actor.agency, at or timezone.now()).filter(_person_allowed(actor.user))


def agency_has_access(case: Case, agency: Agency) -> bool:
    """Whether the agency's casework staff may see the case now (before any person-level restriction):
    shown to the lead agency beside each involved agency, so a missing consent is visible."""
    return _cases_agency_may_see(agency, timezone.now()).filter(pk=case.pk).exists()


def get_case(actor: Actor, reference: str) -> Case:
    """The case with this reference if the actor may see it; otherwise 404, as if it did not exist."""
    try:
        return cases_visible_to(actor).select_related("survivor", "lead_agency", "area").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def can_view_case(actor: Actor, case: Case) -> bool:
    return cases_visible_to(actor).filter(pk=case.pk).exists()


def can_contribute(actor: Actor, case: Case) -> bool:
    """Record incidents, needs and consent, and edit them: any agency that may see the case."""
    return can_view_case(actor, case)


def can_manage(actor: Actor, case: Case) -> bool:
    """Change who is involved, the lead agency, open/closed, restriction and protected-information
    grants: casework staff of the lead agency who may see the case."""
    return case.lead_agency_id == actor.agency.pk and can_view_case(actor, case)


def can_correct_survivor(actor: Actor, case: Case) -> bool:
    """Her own details and names: anyone who may contribute, except an agency working with the person
    causing harm, which has no reason to, and whose change could hide her record from those who
    protect her. (Other people on the case: can_contribute.)"""
    return not actor.agency.is_perpetrator_facing and can_contribute(actor, case)


def can_authorise_override(actor: Actor, case: Case) -> bool:
    """Supervisors of the lead agency: the agency accountable for the case answers for the exception."""
    return actor.is_supervisor and can_manage(actor, case)


def cases_with_protected_visible_to(actor: Actor) -> QuerySet[Case]:
    """Cases whose protected information (locations, contact details recorded on that case) the actor
    may see: visible cases that their agency leads or holds a need-to-know grant for; none at all for
    an agency that works with the person causing harm. Phone search matches only within these, so a
    number cannot be used to probe whose it is."""
    if actor.agency.is_perpetrator_facing:
        return Case.objects.none()
    granted = Exists(ProtectedInfoGrant.objects.filter(case=OuterRef("pk"), agency=actor.agency,
                                                       ended_at__isnull=True))
    return cases_visible_to(actor).filter(Q(lead_agency=actor.agency) | Q(granted))


def can_see_protected(actor: Actor, case: Case) -> bool:
    """Locations and contact details: lead agency, or an explicit need-to-know grant; never an agency
    that works with the person causing harm."""
    return cases_with_protected_visible_to(actor).filter(pk=case.pk).exists()


def access_basis(actor: Actor, case: Case, at: datetime.datetime | None = None) -> str:
    """Why the actor may see this case, for the audit trail: "lead", "consent:<id>", "override:<id>"
    (the record that allowed it). Empty when the actor may not see it."""
    at = at or timezone.now()
    if not can_view_case(actor, case):
        return ""
    return basis_of_visible_case(actor, case, at)


def basis_of_visible_case(actor: Actor, case: Case, at: datetime.datetime | None = None) -> str:
    """access_basis for a case just fetched through this module's scoped querysets (a page of search
    results), without asking again whether the actor may see it: the costly part of the question."""
    at = at or timezone.now()
    if case.lead_agency_id == actor.agency.pk:
        basis = "lead"
    else:
        basis = ""
        if case.involvements.filter(agency=actor.agency, ended_at__isnull=True).exists():
            consent_record = _sharing_consent_in_force(case, actor.agency, at)
            if consent_record is not None:
                basis = f"consent:{consent_record.pk}"
        if not basis:
            override = (Override.objects.filter(case=case, agency=actor.agency, ended_at__isnull=True,
                                                starts_at__lte=at, expires_at__gt=at).order_by("-starts_at").first())
            basis = f"override:{override.pk}" if override else ""
    return f"{basis}+restricted-named" if case.is_restricted else basis


def _sharing_consent_in_force(case: Case, agency: Agency, at: datetime.datetime) -> ConsentDecision | None:
    decisions = ConsentDecision.objects.filter(case=case, decided_at__lte=at).order_by("-decided_at", "-id")
    return consent.sharing_decision_in_force(
        decisions.filter(scope=Scope.SHARE_WITH_AGENCY, agency=agency).first(),
        decisions.filter(scope=Scope.SHARE_WITH_SECTOR, sector=agency.sector).first(), at)


def overrides_visible_to(actor: Actor) -> QuerySet[Override]:
    """Overrides for review: every one on a case the actor's agency leads (and may see), and those
    for the actor's own agency on cases it may see. Newest first."""
    visible = cases_visible_to(actor)
    return (consent.overrides_for_review(actor.area.pk)
            .filter(Q(case__in=visible.filter(lead_agency=actor.agency).values("pk"))
                    | Q(agency=actor.agency, case__in=visible.values("pk"))))


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    return Incident.objects.filter(case__in=cases_visible_to(actor).values("pk"))


def needs_visible_to(actor: Actor) -> QuerySet[Need]:
    return Need.objects.filter(case__in=cases_visible_to(actor).values("pk"))


def people_visible_to(actor: Actor) -> QuerySet[Person]:
    """People on a case the actor may see, as survivor or participant. No one else is shown, not even
    at intake's duplicate check: knowing that a name is on another agency's case is itself a leak."""
    visible = cases_visible_to(actor)
    return Person.objects.filter(
        Exists(visible.filter(survivor_id=OuterRef("pk")))
        | Exists(CaseParticipant.objects.filter(person_id=OuterRef("pk"), case__in=visible.values("pk")))
    )


def get_person(actor: Actor, person_id: int) -> Person:
    try:
        return people_visible_to(actor).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def people_on_case(case: Case) -> QuerySet[Person]:
    """The survivor and everyone added to her case. For a case already fetched through get_case."""
    return Person.objects.filter(
        Q(pk=case.survivor_id) | Exists(CaseParticipant.objects.filter(case=case, person_id=OuterRef("pk"))))


def get_person_on_case(actor: Actor, case: Case, person_id: int) -> Person:
    """A person on this very case, reached through it: anyone else is a 404, even someone the actor
    sees on another case, so a change is always made (and recorded) on a case they are on."""
    try:
        return people_on_case(case).filter(pk__in=people_visible_to(actor).values("pk")).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def agencies_in_area(actor: Actor) -> QuerySet[Agency]:
    return Agency.objects.filter(area_id=actor.agency.area_id)


def can_administer(actor: Actor) -> bool:
    return actor.is_administrator
