"""The access rule. Every question "may this user, acting for this agency, see or change this?"
is answered here, and every queryset of case data is scoped here. Views and API operations never
filter case data by hand.

Today's rule (issue 2): a case is visible to staff in a casework role whose acting agency is the
lead agency or a currently involved agency. Consent, overrides, restriction and protected fields
(issue 3) extend these same functions, so callers do not change.

A case the actor may not see does not exist for them: callers turn "no" into a 404, never a 403,
so that probing a reference tells nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from concord.accounts.models import Agency, Area, Membership, Role, User
from concord.cases.models import Case, CaseAgency, CaseParticipant, Incident, Need
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
    def is_administrator(self) -> bool:
        return self.membership.is_active and self.role == Role.ADMINISTRATOR


def _involved_here(agency: Agency) -> Exists:
    return Exists(CaseAgency.objects.filter(case=OuterRef("pk"), agency=agency, ended_at__isnull=True))


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    """Every case the actor may open. The single source for case lists, search and lookups."""
    if not actor.does_casework:
        return Case.objects.none()
    agency = actor.agency
    return Case.objects.filter(area_id=agency.area_id).filter(Q(lead_agency=agency) | _involved_here(agency))


def get_case(actor: Actor, reference: str) -> Case:
    """The case with this reference if the actor may see it; otherwise 404, as if it did not exist."""
    try:
        return cases_visible_to(actor).select_related("survivor", "lead_agency", "area").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def can_view_case(actor: Actor, case: Case) -> bool:
    return cases_visible_to(actor).filter(pk=case.pk).exists()


def can_contribute(actor: Actor, case: Case) -> bool:
    """Record incidents and needs, and edit them: any agency that may see the case."""
    return can_view_case(actor, case)


def can_manage(actor: Actor, case: Case) -> bool:
    """Change who is involved, the lead agency, and open/closed: the lead agency only."""
    return actor.does_casework and case.lead_agency_id == actor.agency.pk


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    return Incident.objects.filter(case__in=cases_visible_to(actor))


def needs_visible_to(actor: Actor) -> QuerySet[Need]:
    return Need.objects.filter(case__in=cases_visible_to(actor))


def people_visible_to(actor: Actor) -> QuerySet[Person]:
    """People on a case the actor may see, as survivor or participant. No one else is shown, not even
    at intake's duplicate check: knowing that a name is on another agency's case is itself a leak."""
    visible = cases_visible_to(actor)
    return Person.objects.filter(
        Exists(visible.filter(survivor_id=OuterRef("pk")))
        | Exists(CaseParticipant.objects.filter(person_id=OuterRef("pk"), case__in=visible))
    )


def get_person(actor: Actor, person_id: int) -> Person:
    try:
        return people_visible_to(actor).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def agencies_in_area(actor: Actor) -> QuerySet[Agency]:
    return Agency.objects.filter(area_id=actor.agency.area_id)


def can_administer(actor: Actor) -> bool:
    return actor.is_administrator
