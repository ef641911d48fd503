"""Writes about people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from concord.accounts.models import Area

if TYPE_CHECKING:
    from concord.cases.models import Case

from .models import ContactPoint, Person, PersonAlias

PERSON_FIELDS = (
    "given_name", "family_name", "known_as", "date_of_birth", "estimated_age", "gender",
    "gender_self_description", "ethnicity", "disability", "sexual_orientation", "gender_identity",
    "immigration_status", "first_language", "interpreter_needed", "income_band",
)
CONTACT_FIELDS = ("kind", "value", "safe_to_use", "note")


@transaction.atomic
def person_create(*, area: Area, details: Mapping[str, Any], aliases: Iterable[str] = ()) -> Person:
    person = Person(area=area, **{k: val for k, val in details.items() if k in PERSON_FIELDS and val is not None})
    person.full_clean(exclude=["name_key"])
    person.save()
    for alias in aliases:
        if alias and alias.strip():
            PersonAlias.objects.create(person=person, name=alias.strip())
    return person


def contact_point_create(*, person: Person, case: Case, details: Mapping[str, Any]) -> ContactPoint:
    """A way to reach her, recorded on one case (need-to-know is per case). The caller checks that
    the actor may hold her protected information on that case."""
    point = ContactPoint(person=person, case=case, **{k: details[k] for k in CONTACT_FIELDS if k in details})
    point.full_clean(exclude=["person", "case", "search_index"])
    point.save()
    return point
