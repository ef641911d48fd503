"""What the case services are told about an incident, a need or a person causing harm: the writable
fields, typed, with the model's defaults. Frozen and keyword-only, so a misspelt field is a TypeError
where it is built (and an error in mypy) instead of a key nobody reads.

Create services take these; update services take the full new details, and a caller changing only
some fields builds them as `dataclasses.replace(IncidentDetails.of(incident), **changes)`, which
refuses an unknown name too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Self

from concord.accounts.models import Agency
from concord.people.details import PersonDetails

from . import vocabularies as v
from .models import Incident, Need


@dataclass(frozen=True, kw_only=True)
class IncidentDetails:
    occurred_on: datetime.date
    violence_types: tuple[str, ...]  # codes of v.ViolenceType, at least one
    occurred_at_time: datetime.time | None = None
    place_type: str = v.PlaceType.UNKNOWN
    injuries: str = v.Injuries.UNKNOWN
    weapon_used: str = v.YesNoUnknown.UNKNOWN
    strangulation: str = v.YesNoUnknown.UNKNOWN
    children_present: str = v.YesNoUnknown.UNKNOWN
    police_attended: str = v.YesNoUnknown.UNKNOWN
    arrest_made: str = v.YesNoUnknown.UNKNOWN
    order_breached: str = v.YesNoUnknown.UNKNOWN
    reporting_agency: Agency | None = None
    narrative: str = ""

    @classmethod
    def of(cls, incident: Incident) -> Self:
        return cls(
            occurred_on=incident.occurred_on, violence_types=tuple(incident.violence_type_codes),
            occurred_at_time=incident.occurred_at_time, place_type=incident.place_type, injuries=incident.injuries,
            weapon_used=incident.weapon_used, strangulation=incident.strangulation,
            children_present=incident.children_present, police_attended=incident.police_attended,
            arrest_made=incident.arrest_made, order_breached=incident.order_breached,
            reporting_agency=incident.reporting_agency, narrative=incident.narrative,
        )


@dataclass(frozen=True, kw_only=True)
class NeedDetails:
    in_her_words: str
    category: str
    priority: str = v.NeedPriority.MEDIUM
    status: str = v.NeedStatus.OPEN

    @classmethod
    def of(cls, need: Need) -> Self:
        return cls(in_her_words=need.in_her_words, category=need.category, priority=need.priority,
                   status=need.status)


@dataclass(frozen=True, kw_only=True)
class PersonCausingHarm(PersonDetails):
    """A person causing harm named at intake: their details, and who they are to her."""

    relationship: str = v.Relationship.UNKNOWN
