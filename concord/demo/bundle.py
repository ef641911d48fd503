"""The unsaved rows of one demo case, and the state its builder keeps while writing its history."""

from __future__ import annotations

import datetime
import functools
import random
from dataclasses import dataclass, field

from django.db import models

from concord.accounts.models import Agency, User
from concord.cases import vocabularies as v
from concord.cases.events import kind_of
from concord.cases.models import (
    Case,
    CaseAgency,
    CaseEvent,
    CaseParticipant,
    CaseWorker,
    Incident,
    IncidentViolence,
    Need,
)
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant
from concord.people.models import ContactPoint, Person, PersonAlias, ProtectedLocation
from concord.risk.models import Assessment

from .people import Someone
from .stories import Pattern

MINUTE = datetime.timedelta(minutes=1)
HarmLink = Incident.persons_causing_harm.through


@functools.cache
def label(choices: type[models.TextChoices], value: str) -> str:
    """The label get_FOO_display() would give, worked out once per value: calling get_FOO_display()
    for every row took a fifth of the whole run."""
    return str(choices(value).label)


@dataclass
class CaseBundle:
    """One case and every row that hangs off it, unsaved."""

    case: Case
    people: list[Person] = field(default_factory=list)
    aliases: list[PersonAlias] = field(default_factory=list)
    contacts: list[ContactPoint] = field(default_factory=list)
    locations: list[ProtectedLocation] = field(default_factory=list)
    participants: list[CaseParticipant] = field(default_factory=list)
    involvements: list[CaseAgency] = field(default_factory=list)
    workers: list[CaseWorker] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    violence: list[IncidentViolence] = field(default_factory=list)
    harm_links: list = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    consents: list[ConsentDecision] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    grants: list[ProtectedInfoGrant] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)

    def event(self, kind: str, params: dict, when: datetime.datetime, actor: User, agency: Agency) -> None:
        """A timeline event as record_event would write it (its facet and object type from its kind)."""
        event_kind = kind_of(kind)
        self.events.append(CaseEvent(case=self.case, kind=kind, object_type=event_kind.object_type,
                                     facet=event_kind.facet_for(params), params=params, occurred_at=when,
                                     actor=actor, agency=agency))

    def participant(self, person: Person, role: str, relationship: str, when: datetime.datetime,
                    actor: User, agency: Agency) -> None:
        self.participants.append(CaseParticipant(case=self.case, person=person, role=role,
                                                 relationship=relationship, added_at=when))
        self.event(v.CaseEventKind.PARTICIPANT_ADDED, {"role": role, "name": person.full_name}, when, actor, agency)


@dataclass
class Story:
    """What one case's builder keeps track of while it writes the case's history in order."""

    rng: random.Random
    bundle: CaseBundle
    pattern: Pattern
    her: Someone
    harmers: list[Person]
    lead_key: str
    lead: Agency
    worker: User
    clock: datetime.datetime
    until: datetime.datetime
    children: list[Person] = field(default_factory=list)
    # Involved agencies that may see the case, and from when until when (her consent, an override).
    involved: list[tuple[str, datetime.datetime, datetime.datetime]] = field(default_factory=list)
    later_needs: list[str] = field(default_factory=list)
    later_incidents: int = 0
    index: int = 0  # the case's number in the run: seeds what must not disturb the rest of its story
    showcase: bool = False  # the case the demo is tried on (concord.demo.showcase)

    def tick(self) -> datetime.datetime:
        self.clock += MINUTE
        return self.clock
