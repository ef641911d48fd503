"""People on cases the actor may see. New people arrive through case intake; their details are
corrected through a case they are on (`PATCH /cases/{reference}/people/{person_id}`), because the
right to change them, and the record of who did, belong to a case."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
import dataclasses

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from concord import policy
from concord.audit.models import ObjectType
from concord.audit.services import access_log_listed, access_log_people_shown
from concord.cases import people_services
from concord.cases.selectors import possible_existing_people
from concord.people.details import PersonDetails
from concord.people.models import Person

from .auth import actor_of
from .errors import responses
from .pagination import LoggedPeoplePages
from .params import PersonId, Reference
from .reads import case_access
from .schemas import PersonOut, PersonPatch, PersonSummary, PossibleMatchQuery

router = Router(tags=["people"])
# Mounted under /cases: a person is changed through a case the caller may contribute to.
on_case = Router(tags=["people"])


@router.get("", response=responses({200: list[PersonSummary]}, 401, 422),
            summary="People on cases your agency may see")
@paginate(LoggedPeoplePages)
def list_people(request: HttpRequest) -> QuerySet[Person]:
    return policy.people_visible_to(actor_of(request)).order_by("family_name", "given_name", "pk")


@router.get("/possible-matches", response=responses({200: list[PersonSummary]}, 401, 422),
            summary="Before intake: people your agency already sees with this name or date of birth")
def possible_matches(request: HttpRequest, query: Query[PossibleMatchQuery]) -> list[Person]:
    """The same check as the intake page: open her case with `survivor_id` instead of creating her
    twice. Only people on cases your agency may see, never a person recorded as causing harm."""
    actor = actor_of(request)
    found = list(possible_existing_people(actor, given_name=query.given_name, family_name=query.family_name,
                                          date_of_birth=query.date_of_birth))
    access_log_people_shown(actor=actor, people=found, where="api:possible-matches")
    return found


@router.get("/{person_id}", response=responses({200: PersonOut}, 401, 404, 422), summary="A person")
def get_person(request: HttpRequest, person_id: PersonId) -> Person:
    actor = actor_of(request)
    person = policy.get_person(actor, person_id)
    # A person may be on several cases: the read is logged on each the actor may see.
    cases = list(policy.cases_visible_to(actor).filter(Q(survivor=person) | Q(participants__person=person))
                 .distinct())
    access_log_listed(actor=actor, cases=cases, fields=list(PersonOut.model_fields), object_type=ObjectType.PERSON,
                      object_id=person.pk)
    return person


@on_case.patch("/{reference}/people/{person_id}",
               response=responses({200: PersonOut}, 400, 401, 403, 404, 409, 422),
               summary="Correct the details of a person on a case: send `version` and the fields that change "
                       "(the lead agency, or an agency it lets correct them; recorded on its timeline)")
def edit_person(request: HttpRequest, reference: Reference, person_id: PersonId, payload: PersonPatch) -> Person:
    actor = actor_of(request)
    access = case_access(request, reference)
    person = policy.get_person_on_case(access, person_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    people_services.person_update(actor=actor, case=access.case, person=person, expected_version=payload.version,
                                  details=dataclasses.replace(PersonDetails.of(person), **changes))
    return Person.objects.prefetch_related("aliases").get(pk=person.pk)
