"""Writes about people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import Area

if TYPE_CHECKING:
    from concord.cases.models import Case

from .details import ContactDetails, PersonDetails
from .models import ContactPoint, Person, PersonAlias, name_key
from .vocabularies import AliasKind


@transaction.atomic
def person_create(*, area: Area, details: PersonDetails, aliases: Iterable[str] = (),
                  previous_names: Iterable[str] = ()) -> Person:
    person = Person(area=area, **details.person_fields())
    person.full_clean(exclude=["name_key"])
    person.save()
    for kind, names in ((AliasKind.ALIAS, aliases), (AliasKind.PREVIOUS_NAME, previous_names)):
        for name in names:
            if name and name.strip():
                PersonAlias.objects.create(person=person, name=name.strip(), kind=kind)
    return person


def alias_create(*, person: Person, name: str, kind: str) -> PersonAlias:
    """Another name she is or was known by; searchable like her own. The caller checks policy."""
    alias = PersonAlias(person=person, name=name.strip(), kind=kind)
    alias.full_clean(exclude=["person", "name_key"])
    if person.aliases.filter(name_key=name_key(alias.name)).exists():
        raise ValidationError({"name": _("This name is already recorded for this person.")})
    alias.save()
    return alias


def contact_point_create(*, person: Person, case: Case, details: ContactDetails) -> ContactPoint:
    """A way to reach her, recorded on one case (need-to-know is per case). The caller checks that
    the actor may hold her protected information on that case."""
    point = ContactPoint(person=person, case=case, kind=details.kind, value=details.value,
                         safe_to_use=details.safe_to_use, note=details.note)
    point.full_clean(exclude=["person", "case", "search_index"])
    point.save()
    return point
