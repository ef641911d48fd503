"""Writes about people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from concord.accounts.models import Area

from .models import ContactPoint, Person, PersonAlias

PERSON_FIELDS = (
    "given_name", "family_name", "known_as", "date_of_birth", "estimated_age", "gender",
    "gender_self_description", "ethnicity", "disability", "sexual_orientation", "gender_identity",
    "immigration_status", "first_language", "interpreter_needed", "income_band",
)


@transaction.atomic
def person_create(*, area: Area, details: Mapping[str, Any], aliases: Iterable[str] = (),
                  contact_points: Iterable[Mapping[str, Any]] = ()) -> Person:
    person = Person(area=area, **{k: val for k, val in details.items() if k in PERSON_FIELDS and val is not None})
    person.full_clean(exclude=["name_key"])
    person.save()
    for alias in aliases:
        if alias and alias.strip():
            PersonAlias.objects.create(person=person, name=alias.strip())
    for contact in contact_points:
        if contact.get("value"):
            point = ContactPoint(person=person, **{k: contact[k] for k in ("kind", "value", "safe_to_use", "note")
                                                   if k in contact})
            point.full_clean(exclude=["person", "search_index"])
            point.save()
    return person
