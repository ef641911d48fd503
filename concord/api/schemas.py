"""What goes in and out of the API.

Inputs are strict (see fields.py for the field types): every choice is an enum, unknown fields are
refused, and ids in a body are resolved through the access rule (references.py).

Outputs are minimal: lists carry only what a list needs, and contact point values (protected,
encrypted) never appear at all; only their kind and whether she says they are safe to use.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt, model_validator

from concord import policy
from concord.accounts.models import Sector
from concord.cases import vocabularies as v
from concord.cases.models import Case, CaseAgency, Incident, Need
from concord.people import vocabularies as pv
from concord.people.models import Person

from .fields import (
    Alias,
    Id,
    InHerWords,
    Language,
    LocalTime,
    LocalTimeOut,
    Name,
    Narrative,
    Note,
    PastDate,
    RequiredName,
    ShortText,
    Version,
)


class In(Schema):
    # Choices arrive as plain strings for the services; unknown fields are refused, not ignored,
    # so a misspelt field name is an error rather than a silent no-op.
    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class Out(Schema):
    model_config = ConfigDict(use_enum_values=True)


# --- The partnership ------------------------------------------------------------------------------

class AreaOut(Out):
    id: int
    name: str
    code: str
    jurisdiction: str
    time_zone: str


class AgencyRef(Out):
    id: int
    name: str
    sector: Sector


class AgencyOut(AgencyRef):
    area_id: int
    is_active: bool


# --- People ---------------------------------------------------------------------------------------

class PersonSummary(Out):
    id: int
    full_name: str
    age_band: str

    @staticmethod
    def resolve_age_band(person: Person) -> str:
        try:
            return person.age_band
        except StopIteration:
            # Person.age_band has no band above 200 years; an implausible date must not be a 500.
            return "Not known"


class AliasOut(Out):
    name: str
    kind: pv.AliasKind


class PersonOut(PersonSummary):
    given_name: str
    family_name: str
    known_as: str
    date_of_birth: datetime.date | None
    estimated_age: int | None
    gender: pv.Gender | Literal[""]
    gender_self_description: str
    ethnicity: pv.Ethnicity | Literal[""]
    disability: pv.YesNoPreferNot | Literal[""]
    sexual_orientation: pv.SexualOrientation | Literal[""]
    gender_identity: pv.GenderIdentity | Literal[""]
    immigration_status: pv.ImmigrationStatus | Literal[""]
    first_language: str
    interpreter_needed: pv.InterpreterNeeded | Literal[""]
    income_band: pv.IncomeBand | Literal[""]
    # No contact points: they are protected details recorded per case, and even their kinds tell an
    # agency that must not know them how she can be reached.
    aliases: list[AliasOut]
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_aliases(person: Person) -> list[Any]:
        return list(person.aliases.all())


class PersonIn(In):
    """The survivor at intake. Demographics are voluntary: leave out what was not asked."""

    given_name: RequiredName
    family_name: Name = ""
    known_as: Name = ""
    date_of_birth: PastDate | None = None
    estimated_age: StrictInt | None = Field(None, ge=0, le=120)
    gender: pv.Gender | None = None
    gender_self_description: Name = ""
    ethnicity: pv.Ethnicity | None = None
    disability: pv.YesNoPreferNot | None = None
    sexual_orientation: pv.SexualOrientation | None = None
    gender_identity: pv.GenderIdentity | None = None
    immigration_status: pv.ImmigrationStatus | None = None
    first_language: Language = ""
    interpreter_needed: pv.InterpreterNeeded | None = None
    income_band: pv.IncomeBand | None = None


class PersonPatch(In):
    """Send `version` and only the fields that change. `""` clears a voluntary answer and null a date
    of birth or an estimated age; a date of birth and an estimate cannot both be held (send
    `estimated_age: null` with a newly known date of birth). `first_language: "prefer_not_to_say"`
    records that she was asked and prefers not to say."""

    version: Version
    # `= Field(None)` without `| None`: leaving a field out is allowed, sending null is a 422.
    given_name: RequiredName = Field(None)
    family_name: Name = Field(None)
    known_as: Name = Field(None)
    date_of_birth: PastDate | None = None
    estimated_age: StrictInt | None = Field(None, ge=0, le=120)
    gender: pv.Gender | Literal[""] = Field(None)
    gender_self_description: Name = Field(None)
    ethnicity: pv.Ethnicity | Literal[""] = Field(None)
    disability: pv.YesNoPreferNot | Literal[""] = Field(None)
    sexual_orientation: pv.SexualOrientation | Literal[""] = Field(None)
    gender_identity: pv.GenderIdentity | Literal[""] = Field(None)
    immigration_status: pv.ImmigrationStatus | Literal[""] = Field(None)
    first_language: Language = Field(None)
    interpreter_needed: pv.InterpreterNeeded | Literal[""] = Field(None)
    income_band: pv.IncomeBand | Literal[""] = Field(None)


class PersonCausingHarmIn(In):
    given_name: RequiredName
    family_name: Name = ""
    date_of_birth: PastDate | None = None
    relationship: v.Relationship = v.Relationship.UNKNOWN


# --- Incidents ------------------------------------------------------------------------------------

class IncidentOut(Out):
    id: int
    case_reference: str
    occurred_on: datetime.date
    occurred_at_time: LocalTimeOut | None
    place_type: v.PlaceType
    violence_types: list[v.ViolenceType]
    persons_causing_harm: list[PersonSummary]
    injuries: v.Injuries
    weapon_used: v.YesNoUnknown
    strangulation: v.YesNoUnknown
    children_present: v.YesNoUnknown
    police_attended: v.YesNoUnknown
    reporting_agency: AgencyRef | None
    narrative: str
    recorded_for: AgencyRef
    recorded_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_case_reference(incident: Incident) -> str:
        return incident.case.reference

    @staticmethod
    def resolve_violence_types(incident: Incident) -> list[str]:
        return incident.violence_type_codes

    @staticmethod
    def resolve_persons_causing_harm(incident: Incident) -> list[Any]:
        return list(incident.persons_causing_harm.all())


ViolenceTypes = Annotated[list[v.ViolenceType], Field(min_length=1, max_length=len(v.ViolenceType))]


class IntakeIncidentIn(In):
    """The first incident at intake: every person causing harm named at intake is linked to it."""

    occurred_on: PastDate
    occurred_at_time: LocalTime | None = None
    place_type: v.PlaceType = v.PlaceType.UNKNOWN
    violence_types: ViolenceTypes
    injuries: v.Injuries = v.Injuries.UNKNOWN
    weapon_used: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    strangulation: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    children_present: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    police_attended: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    reporting_agency: Id | None = Field(None, description="An agency of your area.")
    narrative: Narrative = ""


class IncidentIn(IntakeIncidentIn):
    persons_causing_harm: list[Id] = Field([], max_length=50,
                                           description="People already on the case as person causing harm.")


class IncidentPatch(In):
    """Send `version` and only the fields that change. Fields that cannot be empty may not be null."""

    version: Version
    # `= Field(None)` without `| None`: leaving a field out is allowed, sending null is a 422.
    occurred_on: PastDate = Field(None)
    occurred_at_time: LocalTime | None = None
    place_type: v.PlaceType = Field(None)
    violence_types: ViolenceTypes = Field(None)
    injuries: v.Injuries = Field(None)
    weapon_used: v.YesNoUnknown = Field(None)
    strangulation: v.YesNoUnknown = Field(None)
    children_present: v.YesNoUnknown = Field(None)
    police_attended: v.YesNoUnknown = Field(None)
    reporting_agency: Id | None = None
    narrative: Narrative = Field(None)
    persons_causing_harm: list[Id] = Field(None, max_length=50)


# --- Needs ----------------------------------------------------------------------------------------

class NeedOut(Out):
    id: int
    case_reference: str
    in_her_words: str
    category: v.NeedCategory
    priority: v.NeedPriority
    status: v.NeedStatus
    recorded_for: AgencyRef
    recorded_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_case_reference(need: Need) -> str:
        return need.case.reference


class NeedIn(In):
    in_her_words: InHerWords
    category: v.NeedCategory
    priority: v.NeedPriority = v.NeedPriority.MEDIUM


class NeedPatch(In):
    version: Version
    in_her_words: InHerWords = Field(None)
    category: v.NeedCategory = Field(None)
    priority: v.NeedPriority = Field(None)
    status: v.NeedStatus = Field(None)


# --- Cases ----------------------------------------------------------------------------------------

class CaseListItem(Out):
    reference: str
    status: v.CaseStatus
    lead_agency: AgencyRef
    survivor_name: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_survivor_name(case: Case) -> str:
        return case.survivor.full_name


class ParticipantOut(Out):
    person: PersonSummary
    role: v.ParticipantRole
    relationship: v.Relationship


class InvolvementOut(Out):
    id: int
    agency: AgencyRef
    reason: str
    added_at: datetime.datetime
    ended_at: datetime.datetime | None


class CaseOut(Out):
    reference: str
    status: v.CaseStatus
    closure_reason: v.ClosureReason | Literal[""]
    closure_note: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    updated_at: datetime.datetime
    version: int
    lead_agency: AgencyRef
    survivor: PersonSummary
    participants: list[ParticipantOut]
    agencies: list[InvolvementOut] = Field(..., description="Agencies currently involved, besides the lead.")
    incident_count: int
    need_count: int
    can_manage: bool = Field(..., description="Whether your agency may close, reopen and involve agencies.")

    @staticmethod
    def resolve_participants(case: Case) -> list[Any]:
        return list(case.participants.select_related("person").prefetch_related("person__aliases"))

    @staticmethod
    def resolve_agencies(case: Case) -> list[CaseAgency]:
        return list(case.involvements.filter(ended_at__isnull=True).select_related("agency"))

    @staticmethod
    def resolve_incident_count(case: Case) -> int:
        return case.incidents.count()

    @staticmethod
    def resolve_need_count(case: Case) -> int:
        return case.needs.count()

    @staticmethod
    def resolve_can_manage(case: Case, context: dict[str, Any]) -> bool:
        return policy.can_manage(context["request"].auth, case)


class CaseFilters(Out):
    status: v.CaseStatus | None = None
    lead: Literal["mine", "others"] | None = Field(None, description="Whose lead: your agency's or another's.")
    updated_within_days: int | None = Field(None, ge=1, le=3650)
    q: ShortText = Field("", description="Name, alias, date of birth, phone number or case reference.")


class PossibleMatchQuery(Out):
    """Intake's duplicate check: ask before sending a new survivor."""

    given_name: Name = ""
    family_name: Name = ""
    date_of_birth: PastDate | None = None


class CaseIntakeIn(In):
    """Intake: a new survivor (`survivor`) or one already on a case you can see (`survivor_id`)."""

    survivor: PersonIn | None = None
    survivor_id: Id | None = None
    aliases: list[Alias] = Field([], max_length=20, description="Other or previous names of the survivor.")
    first_incident: IntakeIncidentIn | None = None
    needs: list[NeedIn] = Field([], max_length=20)
    persons_causing_harm: list[PersonCausingHarmIn] = Field([], max_length=10)

    @model_validator(mode="after")
    def one_survivor(self) -> CaseIntakeIn:
        if (self.survivor is None) == (self.survivor_id is None):
            raise ValueError("Give either `survivor` (a new person) or `survivor_id`, not both.")
        if self.survivor_id is not None and self.aliases:
            raise ValueError("Aliases can only be given with a new survivor.")
        return self


class CasePatch(In):
    """Close (`status: closed` with a reason) or reopen (`status: open`) a case: the lead agency only."""

    version: Version
    status: v.CaseStatus
    closure_reason: v.ClosureReason | None = None
    closure_note: Note = ""


class InvolveIn(In):
    agency: Id = Field(..., description="An active agency of your area.")
    reason: ShortText = ""
