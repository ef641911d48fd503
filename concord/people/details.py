"""What a service is told about a person or a way to reach her: the writable fields, typed, with the
model's defaults. Frozen and keyword-only, so a misspelt field is a TypeError where it is built (and
an error in mypy) instead of a key nobody reads; a partial change is
`dataclasses.replace(PersonDetails.of(person), **changes)`, which refuses an unknown name too."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any, Self

from .models import Person


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    given_name: str
    family_name: str = ""
    known_as: str = ""
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = None
    gender: str = ""
    gender_self_description: str = ""
    pronouns: str = ""
    # Voluntary demographics: blank = not asked yet.
    ethnicity: str = ""
    disability: str = ""
    sexual_orientation: str = ""
    gender_identity: str = ""
    immigration_status: str = ""
    first_language: str = ""
    interpreter_needed: str = ""
    income_band: str = ""

    @classmethod
    def of(cls, person: Person) -> Self:
        return cls(**{name: getattr(person, name) for name in PERSON_FIELDS})

    def person_fields(self) -> dict[str, Any]:
        """The person's own fields, without what a subclass adds (a relationship to her)."""
        return {name: getattr(self, name) for name in PERSON_FIELDS}


PERSON_FIELDS = tuple(field.name for field in dataclasses.fields(PersonDetails))


@dataclass(frozen=True, kw_only=True)
class ContactDetails:
    kind: str
    value: str
    safe_to_use: bool | None = None  # None: she has not been asked yet
    note: str = ""
