"""People on cases the actor may see. New people arrive through case intake, not here."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from concord import policy
from concord.audit.models import ObjectType
from concord.people.models import Person

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import PersonId
from .reads import log_read
from .schemas import PersonOut, PersonSummary

router = Router(tags=["people"])


@router.get("", response=responses({200: list[PersonSummary]}, 401, 422),
            summary="People on cases your agency may see")
@paginate(Pages)
def list_people(request: HttpRequest) -> QuerySet[Person]:
    return policy.people_visible_to(actor_of(request)).order_by("family_name", "given_name", "pk")


@router.get("/{person_id}", response=responses({200: PersonOut}, 401, 404, 422), summary="A person")
def get_person(request: HttpRequest, person_id: PersonId) -> Person:
    actor = actor_of(request)
    person = policy.get_person(actor, person_id)
    # A person may be on several cases: the read is logged on each the actor may see.
    for case in policy.cases_visible_to(actor).filter(Q(survivor=person) | Q(participants__person=person)).distinct():
        log_read(actor, case, ObjectType.PERSON, person.pk, PersonOut.model_fields)
    return person
