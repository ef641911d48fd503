"""Ids in a request body turned into rows, through the access rule.

An id that does not resolve is a 422 on that field with the same message whether the row does not
exist or belongs to someone else, so a body can no more probe for records than a URL can.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Agency, User
from concord.people.models import Person
from concord.policy import Actor


def area_agency(actor: Actor, agency_id: int, *, field: str) -> Agency:
    agency = policy.agencies_in_area(actor).filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError({field: _("Choose an agency of your area.")})
    return agency


def visible_person(actor: Actor, person_id: int, *, field: str) -> Person:
    person = policy.people_visible_to(actor).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({field: _("No such person.")})
    return person


def visible_people(actor: Actor, person_ids: Iterable[int], *, field: str) -> list[Person]:
    """People named on a record; the service then checks they are on this very case."""
    wanted = set(person_ids)
    people = list(policy.people_visible_to(actor).filter(pk__in=wanted))
    if len(people) != len(wanted):
        raise ValidationError({field: _("Add the person to the case before naming them here.")})
    return people


def area_worker(actor: Actor, user_id: int, *, field: str) -> User:
    """A member of staff of an agency of the caller's area (the service checks which agency)."""
    worker = User.objects.filter(pk=user_id, memberships__agency__area_id=actor.area.pk).distinct().first()
    if worker is None:
        raise ValidationError({field: _("Choose a member of staff of your area.")})
    return worker
