"""What goes in and out of the API.

Inputs are strict (see fields.py for the field types): every choice is an enum, unknown fields are
refused, and ids in a body are resolved through the access rule (references.py).

Outputs are minimal: lists carry only what a list needs, and contact point values (protected,
encrypted) never appear at all. Every field of an output that carries case data names its facet
(`FACETS`); a field whose facet the caller's access decision does not hold is null and listed in
`withheld`. The decision is the operation's (`request.case_access`), the same one the UI reads.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, ClassVar, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StringConstraints, ValidationInfo, model_validator

from concord.access.facets import Facet
from concord.accounts.models import Sector
from concord.cases import vocabularies as v
from concord.cases.models import Case, CaseAgency, Incident, Need
from concord.conferences.models import RESEARCH_TEXTS
from concord.consent.vocabularies import LegalBasis
from concord.contact.vocabularies import ContactChannel
from concord.people import vocabularies as pv
from concord.people.models import Person
from concord.referrals import vocabularies as referral_v
from concord.risk import vocabularies as rv
from concord.risk.models import Assessment, Task
from concord.risk.selectors import RiskPicture, assessment_on_page
from concord.safety import vocabularies as safety_v

from .fields import (
    Alias,
    AwareDateTime,
    Code,
    HerWords,
    Id,
    InHerWords,
    JudgementReasonText,
    Language,
    LocalTime,
    LocalTimeOut,
    Name,
    Narrative,
    Note,
    PastDate,
    RecordNoteText,
    RequiredName,
    SafetyStepText,
    ShortText,
    TaskOutcome,
    Version,
)


class In(Schema):
    # Choices arrive as plain strings for the services; unknown fields are refused, not ignored,
    # so a misspelt field name is an error rather than a silent no-op.
    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class Out(Schema):
    model_config = ConfigDict(use_enum_values=True)


C = Facet.CORE


def _access_of(info: ValidationInfo) -> Any:
    request = (info.context or {}).get("request")
    return getattr(request, "case_access", None)


class FacetedOut(Out):
    """An output carrying case data: each field belongs to a facet. Fields of the core record need no
    more than the policy's scoping that found the record; any other is shown only if the operation's
    access decision holds its facet (and is withheld when there is no decision: fail closed)."""

    FACETS: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _withhold(self, info: ValidationInfo) -> Any:
        access = _access_of(info)
        for name, facet in self.FACETS.items():
            if facet != C and (access is None or not access.sees(facet)):
                setattr(self, name, None)
                if "withheld" in type(self).model_fields:
                    self.withheld.append(name)  # type: ignore[attr-defined]
        return self


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

class PersonSummary(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = {"id": C, "full_name": C, "age_band": C}

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


class AliasOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = {"name": C, "kind": C}

    name: str
    kind: pv.AliasKind


PERSON_FIELDS = ("given_name", "family_name", "known_as", "date_of_birth", "estimated_age", "gender",
                 "gender_self_description", "pronouns", "ethnicity", "disability", "sexual_orientation",
                 "gender_identity", "immigration_status", "first_language", "interpreter_needed", "income_band",
                 "aliases", "updated_at", "version")


class PersonOut(PersonSummary):
    FACETS: ClassVar[dict[str, str]] = PersonSummary.FACETS | dict.fromkeys(PERSON_FIELDS, C)

    given_name: str
    family_name: str
    known_as: str
    date_of_birth: datetime.date | None
    estimated_age: int | None
    gender: pv.Gender | Literal[""]
    gender_self_description: str
    pronouns: pv.Pronouns | Literal[""]
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
    # Left out: the words about the person follow the gender, or are neutral.
    pronouns: pv.Pronouns | None = None
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
    pronouns: pv.Pronouns | Literal[""] = Field(None)
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

class IncidentOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = {
        "id": C, "case_reference": C, "occurred_on": C, "occurred_at_time": C, "place_type": C,
        "violence_types": C, "persons_causing_harm": C, "injuries": C, "weapon_used": C, "strangulation": C,
        "children_present": C, "police_attended": C, "arrest_made": C, "order_breached": C, "reporting_agency": C,
        "recorded_for": C,
        "recorded_at": C, "version": C, "may_edit": C, "narrative": Facet.INCIDENT_NARRATIVES, "withheld": C,
    }

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
    arrest_made: v.YesNoUnknown
    order_breached: v.YesNoUnknown = Field(..., description="A court order or bail condition breached.")
    reporting_agency: AgencyRef | None
    narrative: str | None = Field(..., description="Null when your agency's access does not include it.")
    recorded_for: AgencyRef
    recorded_at: datetime.datetime
    version: int
    may_edit: str = Field(..., description='"author" (your agency recorded it), "lead_correction" (the lead '
                                           'agency may correct it, with a reason) or "none".')
    withheld: list[str] = Field([], description="Fields your agency's access does not include (null above).")

    @staticmethod
    def resolve_case_reference(incident: Incident) -> str:
        return incident.case.reference

    @staticmethod
    def resolve_may_edit(incident: Incident, context: dict[str, Any]) -> str:
        access = getattr(context["request"], "case_access", None)
        return access.edit_right(incident).value if access is not None else "none"

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
    arrest_made: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    order_breached: v.YesNoUnknown = Field(v.YesNoUnknown.UNKNOWN,
                                           description="A court order or bail condition breached.")
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
    arrest_made: v.YesNoUnknown = Field(None)
    order_breached: v.YesNoUnknown = Field(None)
    reporting_agency: Id | None = None
    narrative: Narrative = Field(None)
    persons_causing_harm: list[Id] = Field(None, max_length=50)
    correction_reason: Note = Field("", description="Required when the lead agency corrects another agency's "
                                                    "incident.")


# --- Needs ----------------------------------------------------------------------------------------

class NeedOut(FacetedOut):
    # Only ever listed to an agency that holds her needs (the operations refuse the rest).
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "case_reference", "in_her_words", "category", "priority", "status", "recorded_for", "recorded_at",
         "updated_at", "version", "may_edit"), Facet.NEEDS)

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
    may_edit: str = Field(..., description='"author", "lead_correction" or "none".')

    @staticmethod
    def resolve_case_reference(need: Need) -> str:
        return need.case.reference

    @staticmethod
    def resolve_may_edit(need: Need, context: dict[str, Any]) -> str:
        access = getattr(context["request"], "case_access", None)
        return access.edit_right(need).value if access is not None else "none"


class NeedIn(In):
    in_her_words: InHerWords
    category: v.NeedCategory
    priority: v.NeedPriority = v.NeedPriority.MEDIUM


class NeedPatch(In):
    version: Version
    correction_reason: Note = Field("", description="Required when the lead agency corrects another agency's need.")
    in_her_words: InHerWords = Field(None)
    category: v.NeedCategory = Field(None)
    priority: v.NeedPriority = Field(None)
    status: v.NeedStatus = Field(None)


# --- Cases ----------------------------------------------------------------------------------------

class CaseListItem(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("reference", "status", "lead_agency", "survivor_name", "updated_at", "risk_level"), C)

    reference: str
    status: v.CaseStatus
    lead_agency: AgencyRef
    survivor_name: str
    updated_at: datetime.datetime
    risk_level: rv.RiskLevel | Literal[""] = Field(..., description='The risk level now ("" while not assessed): '
                                                                    "GET …/risk gives its reasons.")

    @staticmethod
    def resolve_survivor_name(case: Case) -> str:
        return case.survivor.full_name

    @staticmethod
    def resolve_risk_level(case: Case) -> str:
        risk = getattr(case, "risk", None)  # a case not yet reconsidered has no row
        return risk.level if risk is not None else ""


class ParticipantOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = {"person": C, "role": C, "relationship": C}

    person: PersonSummary
    role: v.ParticipantRole
    relationship: v.Relationship


class InvolvementOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "agency", "reason", "added_at", "ended_at", "may_correct_details"), C)

    id: int
    agency: AgencyRef
    reason: str
    added_at: datetime.datetime
    ended_at: datetime.datetime | None
    may_correct_details: bool


class CaseOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("reference", "status", "closure_reason", "closure_note", "opened_at", "closed_at", "updated_at", "version",
         "lead_agency", "survivor", "participants", "agencies", "incident_count", "basis", "facets", "actions",
         "can_manage", "withheld"), C) | {"need_count": Facet.NEEDS}

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
    need_count: int | None = Field(..., description="Null when your agency's access does not include her needs.")
    basis: str = Field(..., description="Why your agency may see the case: lead, consent or override.")
    facets: list[str] = Field(..., description="The parts of the case your agency may read.")
    actions: list[str] = Field(..., description="What your agency may do on the case.")
    can_manage: bool = Field(..., description="Whether your agency may close, reopen and involve agencies.")
    withheld: list[str] = Field([], description="Fields your agency's access does not include (null above).")

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
    def resolve_basis(case: Case, context: dict[str, Any]) -> str:
        access = context["request"].case_access
        return access.basis.kind if access.basis else ""

    @staticmethod
    def resolve_facets(case: Case, context: dict[str, Any]) -> list[str]:
        return sorted(context["request"].case_access.facets)

    @staticmethod
    def resolve_actions(case: Case, context: dict[str, Any]) -> list[str]:
        return sorted(context["request"].case_access.actions)

    @staticmethod
    def resolve_can_manage(case: Case, context: dict[str, Any]) -> bool:
        return bool(context["request"].case_access.may("manage"))


class CaseFilters(Out):
    status: v.CaseStatus | None = None
    lead: Literal["mine", "others"] | None = Field(None, description="Whose lead: your agency's or another's.")
    updated_within_days: int | None = Field(None, ge=1, le=3650)
    risk: rv.RiskLevel | Literal["none"] | None = Field(None, description='A risk level, or "none": not assessed.')
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
    may_correct_details: bool = Field(False, description="Whether they may correct her details and the people on "
                                                         "the case.")


# --- Notes beside records -------------------------------------------------------------------------

class IncidentNoteOut(FacetedOut):
    """A note beside an incident: read with the incident narratives facet (the operations refuse the rest)."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "case_reference", "text", "recorded_for", "recorded_by", "recorded_at"), Facet.INCIDENT_NARRATIVES)

    id: int
    case_reference: str
    text: str | None
    recorded_for: AgencyRef
    recorded_by: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_case_reference(note: Any) -> str:
        return note.case.reference

    @staticmethod
    def resolve_recorded_by(note: Any) -> str:
        return str(note.recorded_by)


class NeedNoteOut(IncidentNoteOut):
    """A note beside a need: read with the needs facet (the operations refuse the rest)."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(IncidentNoteOut.FACETS, Facet.NEEDS)


class NoteIn(In):
    text: RecordNoteText = Field(..., description="Your agency's word beside the record.")


# --- Risk: the instruments (reference data: no case data) ------------------------------------------

# An answer to a scored item (concord.risk.catalogue.ANSWERS); only "yes" counts towards a score.
RiskAnswer = Literal["yes", "no", "dont_know", "not_answered"]


class InstrumentItemOut(Out):
    id: str
    number: int
    text: str
    group: str
    free_text: bool = Field(..., description="Answered in her own words (send them as `her_words`); never scored.")
    weight: int | None = Field(..., description="What a “yes” adds to the score (weighted instruments only).")


class InstrumentLevelOut(Out):
    id: str
    label: str
    scale_level: rv.RiskLevel = Field(..., description="The level on Concord's scale.")
    at_least: int | None = Field(..., description="The lowest score of the band (null: a screen's outcome).")
    at_most: int | None = Field(..., description="The highest score of the band (null: no upper end, or a "
                                                  "screen's outcome).")
    note: str


class InstrumentScoringOut(Out):
    kind: Literal["count_yes", "weighted", "informs_judgement", "screen_in"]
    first_items: int = Field(..., description='screen_in: a "yes" to any of the first this many items screens her '
                                              'in (0 otherwise).')
    rest_at_least: int = Field(..., description='screen_in: or this many "yes" among the rest (0 otherwise).')
    asks_spoke_to_advocacy: bool = Field(..., description="Once she is screened in, `spoke_to_advocacy` is "
                                                          "required.")


class InstrumentConditionOut(Out):
    instrument: str
    item: str
    answer: str


class InstrumentOut(Out):
    """One version of an instrument: an assessment is scored, and kept, with the version it names."""

    id: str
    version: int
    title: str
    source: str
    answers: list[RiskAnswer] = Field(..., description="The answers its scored items take.")
    scoring: InstrumentScoringOut
    highest_score: int
    levels: list[InstrumentLevelOut] = Field(..., description="Lowest first; none for an instrument that informs "
                                                              "judgement.")
    items: list[InstrumentItemOut]
    offered_when: list[InstrumentConditionOut] = Field(..., description="Offered when any of these answers was "
                                                                        "given (empty: always).")


# --- Risk: a case's assessments and its level ------------------------------------------------------

# How she was asked, what she answered and said: the risk-answers facet, which an agency working with
# the person causing harm never holds (concord.access.facets.NEVER_FOR_PERPETRATOR_FACING).
RISK_ANSWER_FIELDS = ("safe_to_talk", "channel", "interpreter_used", "interpreter_language", "her_view", "her_words",
                      "answers", "practitioner_believes_high", "spoke_to_advocacy")
_IF_HELD = "Null when your agency's access does not include her risk answers."


class AssessmentOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "case_reference", "instrument", "instrument_version", "assessed_on", "recorded_at", "recorded_for",
         "score", "highest", "level", "scale_level", "result", "withheld"), C) | dict.fromkeys(
        RISK_ANSWER_FIELDS, Facet.RISK_ANSWERS)

    id: int
    case_reference: str
    instrument: str
    instrument_version: int = Field(..., description="The version it was scored with; a later one never rescores it.")
    assessed_on: datetime.date
    recorded_at: datetime.datetime
    recorded_for: AgencyRef
    score: int
    highest: int | None = Field(..., description="The highest score the instrument allows.")
    level: str = Field(..., description="The instrument's own level id (empty for one that informs judgement).")
    scale_level: rv.RiskLevel | Literal[""] = Field(..., description="That level on Concord's scale.")
    result: str = Field(..., description="The result in words, e.g. “Risk identification checklist (version 1): "
                                         "14 of 23 “yes””.")
    safe_to_talk: rv.SafeToTalk | None = Field(..., description=_IF_HELD)
    channel: rv.AssessmentChannel | None = Field(..., description=_IF_HELD)
    interpreter_used: bool | None = Field(..., description=_IF_HELD)
    interpreter_language: str | None = Field(..., description=_IF_HELD)
    her_view: rv.HerViewOfRisk | None = Field(..., description="Her own view of her risk. " + _IF_HELD)
    her_words: str | None = Field(..., description="What she fears, in her words. " + _IF_HELD)
    answers: dict[str, str] | None = Field(..., description="Item id → answer (her words for a free-text item). "
                                                            + _IF_HELD)
    practitioner_believes_high: bool | None = Field(..., description=_IF_HELD)
    spoke_to_advocacy: Literal["yes", "no", "not_answered", ""] | None = Field(..., description=_IF_HELD)
    withheld: list[str] = Field([], description="Fields your agency's access does not include (null above).")

    @staticmethod
    def resolve_case_reference(assessment: Assessment) -> str:
        return assessment.case.reference

    @staticmethod
    def resolve_highest(assessment: Assessment) -> int | None:
        return assessment.result.get("highest")

    @staticmethod
    def resolve_result(assessment: Assessment, context: dict[str, Any]) -> str:
        return assessment_on_page(assessment, context["request"].case_access).result


class AssessmentIn(In):
    """Ask the questions before the instrument's: if it is not safe for her to talk, stop (a 422, and
    nothing is saved). Items left out of `answers` are not answered."""

    instrument: Code
    version: StrictInt | None = Field(None, ge=1, le=2**31 - 1, description="The instrument's version; its latest "
                                                                            "if left out.")
    safe_to_talk: rv.SafeToTalk
    channel: rv.AssessmentChannel
    interpreter_used: StrictBool = False
    interpreter_language: Language = Field("", description="Required when an interpreter is used.")
    her_view: rv.HerViewOfRisk = Field(..., description="Her own view of her risk (`not_said` if she did not say).")
    her_words: HerWords = Field("", description="What she fears, in her words: the instrument's free-text item.")
    # additionalProperties false: the schema says what validation does, an id that is not a code is refused.
    answers: dict[Code, RiskAnswer] = Field(..., max_length=100, description="Scored item id → answer.",
                                            json_schema_extra={"additionalProperties": False})
    practitioner_believes_high: StrictBool = Field(False, description="Screens only; record professional judgement "
                                                                      "separately.")
    spoke_to_advocacy: Literal["yes", "no", "not_answered"] | None = Field(
        None, description="Screens that ask it: required once she is screened in.")
    assessed_on: PastDate | None = Field(None, description="Today if left out.")


class JudgementIn(In):
    """Raise the case's level on professional judgement: above what the instruments give (a 422
    otherwise: judgement never lowers a level or keeps it), with the reason in your own words."""

    level: Literal["medium", "high"]
    reason_kind: rv.JudgementReason
    reason: JudgementReasonText


class SeparationIn(In):
    """She has separated from the person causing harm (or tried to), on this date."""

    separated_on: PastDate


class TaskCloseIn(In):
    """Close a task of your agency (or, as the lead agency, any task on the case)."""

    status: Literal["done", "cancelled"]
    outcome: TaskOutcome = Field("", description="What was done; required when it is no longer needed.")


class RiskReasonOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("source", "source_code", "rule", "level", "level_label", "text"), C)

    source: str = Field(..., description="Where the reason comes from, in words.")
    source_code: rv.ReasonSource
    rule: str = Field(..., description="The instrument, the escalation rule or the kind of judgement.")
    level: rv.RiskLevel
    level_label: str
    text: str


class TaskOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "kind", "kind_label", "owner_agency", "worker", "due_at", "status"), C)

    id: int
    kind: rv.TaskKind
    kind_label: str
    owner_agency: AgencyRef
    worker: str | None = Field(..., description="The named worker, if the agency has one on the case.")
    due_at: datetime.datetime
    status: rv.TaskStatus

    @staticmethod
    def resolve_kind_label(task: Task) -> str:
        return str(task.get_kind_display())

    @staticmethod
    def resolve_worker(task: Task) -> str | None:
        return str(task.worker) if task.worker else None


class RiskOut(FacetedOut):
    """The case's level now: the highest of its instruments', professional judgement's and the history's,
    with every reason. Only each rule and its conclusion: never an answer, her words or a judgement's
    written reason."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("level", "level_label", "is_repeat", "reassess_due", "reasons", "tasks"), C)

    level: rv.RiskLevel | Literal[""] = Field(..., description='"" while nothing gives the case a level.')
    level_label: str
    is_repeat: bool
    reassess_due: datetime.date | None
    reasons: list[RiskReasonOut] = Field(..., description="Every reason for the level, highest first.")
    tasks: list[TaskOut] = Field(..., description="Open tasks, soonest deadline first.")

    @staticmethod
    def resolve_tasks(picture: RiskPicture) -> list[Task]:
        return [task for task in picture.tasks if task.is_open]


# --- Referrals ------------------------------------------------------------------------------------

P = Facet.REFERRAL_PACKET
ReferralVersion = Annotated[StrictInt, Field(ge=1, le=2**31 - 1, description=(
    "The referral's version you read; if it changed since (the other side answered), 422 on `version`."))]


class ReferralIn(In):
    """Send a referral. It goes through on her consent to be referred to that agency (the consent
    ledger's `refer` decision in force); without it, only a supervisor of the lead agency may send it,
    naming `legal_basis` and `override_reason` (422 on `consent` otherwise)."""

    to_agency: Id
    reason: InHerWords = Field(..., description="Why you are referring her.")
    urgency: referral_v.Urgency = referral_v.Urgency.ROUTINE
    needs: list[Id] = Field(default_factory=list, max_length=50, description="The needs it answers (ids).")
    incidents: list[Id] = Field(default_factory=list, max_length=50,
                                description="Incidents whose summaries the receiver may read (ids).")
    packet_note: Note = Field("", description="Anything else the receiver needs before answering; never where she "
                                              "is or how to reach her.")
    packet_risk_level: StrictBool = True
    legal_basis: LegalBasis | None = None
    override_reason: Note = ""


class ReferralFilters(Out):
    direction: Literal["incoming", "outgoing"] = "incoming"
    status: referral_v.ReferralStatus | None = Field(None, description='"sent": waiting for a reply.')


class ReferralAnswerIn(In):
    version: ReferralVersion


class ReferralDeclineIn(ReferralAnswerIn):
    reason: referral_v.DeclineReason
    note: Note = Field("", description="Required when the reason is `other`.")


class ReferralCompleteIn(ReferralAnswerIn):
    outcome: referral_v.Outcome
    note: Note = ""


class ReferralWithdrawIn(ReferralAnswerIn):
    reason: Note = Field(..., min_length=1)


class PacketNeedOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(("category", "in_her_words", "priority"), P)

    category: v.NeedCategory | None
    in_her_words: str | None
    priority: v.NeedPriority | None


class PacketIncidentOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(("occurred_on", "violence_types"), P)

    occurred_on: datetime.date | None
    violence_types: list[str] | None

    @staticmethod
    def resolve_violence_types(incident: Incident) -> list[str]:
        return incident.violence_type_codes


class PacketOut(FacetedOut):
    """What the receiver reads before it answers: never where she is or how to reach her."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("name", "age", "reason", "needs", "incidents", "risk_level", "risk_reasons", "note"), P)

    name: str | None
    age: int | None
    reason: str | None
    needs: list[PacketNeedOut] | None
    incidents: list[PacketIncidentOut] | None
    risk_level: str | None = Field(None, description="The case's risk level, if the sender chose to include it.")
    risk_reasons: list[str] | None

    note: str | None

    @staticmethod
    def resolve_risk_reasons(packet: Any) -> list[str]:
        return [reason["text"] for reason in packet.risk_reasons]


class ReferralOut(FacetedOut):
    """A referral as either side sees it. `packet` only on GET /referrals/{id}, to a reader who holds
    it (the receiver of a waiting referral; an agency that sees the case with the packet facet)."""

    FACETS: ClassVar[dict[str, str]] = {
        **dict.fromkeys(("id", "from_agency", "to_agency", "status", "urgency", "sent_at", "respond_by", "overdue",
                         "consent_basis", "legal_basis", "responded_at", "decline_reason", "decline_note", "outcome",
                         "outcome_note", "closed_at", "withdraw_reason", "version", "withheld"), C),
        "packet": P,
    }

    id: int
    from_agency: AgencyRef
    to_agency: AgencyRef
    status: referral_v.ReferralStatus
    urgency: referral_v.Urgency
    sent_at: datetime.datetime
    respond_by: datetime.datetime
    overdue: bool
    consent_basis: referral_v.ConsentBasis
    legal_basis: str
    responded_at: datetime.datetime | None
    decline_reason: str
    decline_note: str
    outcome: str
    outcome_note: str
    closed_at: datetime.datetime | None
    withdraw_reason: str
    version: int
    packet: PacketOut | None = None
    withheld: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_overdue(referral: Any) -> bool:
        return referral.is_overdue

    @staticmethod
    def resolve_packet(referral: Any) -> Any:
        return getattr(referral, "packet", None)


# --- Tasks (issue 16) --------------------------------------------------------------------------------

class TaskFilters(Out):
    which: Literal["agency", "mine", "escalated"] = Field(
        "agency", description="Your agency's open tasks, yours (you are the named worker), or those escalated.")


class AgencyTaskOut(FacetedOut):
    """An open task of your agency. It names the case only if you may open it; a task to answer a
    referral names the referral instead (GET /referrals/{id} has its packet)."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("id", "kind", "kind_label", "owner_agency", "worker", "due_at", "overdue", "protocol", "escalated_at",
         "escalated_to", "case_reference", "referral_id"), C)

    id: int
    kind: rv.TaskKind
    kind_label: str
    owner_agency: AgencyRef
    worker: str | None = Field(..., description="The named worker, if the agency has one on the case.")
    due_at: datetime.datetime
    overdue: bool
    protocol: str | None = Field(..., description="The protocol and version that opened it, if one did.")
    escalated_at: datetime.datetime | None
    escalated_to: str | None = Field(..., description="The supervisor it went to past its deadline.")
    case_reference: str | None = Field(..., description="The case, if you may open it.")
    referral_id: int | None = Field(..., description="The referral it is about, if you answer it from the packet.")

    @staticmethod
    def resolve_id(row) -> int:
        return row.task.pk

    @staticmethod
    def resolve_kind(row) -> str:
        return row.task.kind

    @staticmethod
    def resolve_kind_label(row) -> str:
        return str(row.task.get_kind_display())

    @staticmethod
    def resolve_owner_agency(row):
        return row.task.owner_agency

    @staticmethod
    def resolve_worker(row) -> str | None:
        return str(row.task.worker) if row.task.worker else None

    @staticmethod
    def resolve_due_at(row) -> datetime.datetime:
        return row.task.due_at

    @staticmethod
    def resolve_overdue(row) -> bool:
        return row.task.is_overdue

    @staticmethod
    def resolve_protocol(row) -> str | None:
        return str(row.task.protocol_version) if row.task.protocol_version_id else None

    @staticmethod
    def resolve_escalated_at(row) -> datetime.datetime | None:
        return row.task.escalated_at

    @staticmethod
    def resolve_escalated_to(row) -> str | None:
        return str(row.task.escalated_to) if row.task.escalated_to else None

    @staticmethod
    def resolve_case_reference(row) -> str | None:
        return row.task.case.reference if row.opens_case else None

    @staticmethod
    def resolve_referral_id(row) -> int | None:
        return row.task.referral_id if row.reads_packet else None


# --- Safety plan ----------------------------------------------------------------------------------

# Her plan, every part of it: the safety-plan facet, which an agency working with the person causing
# harm never holds (the operations refuse the rest with 403).
S = Facet.SAFETY_PLAN


class SafetyStepIn(In):
    what: SafetyStepText = Field(..., description="The step, in her words where she gives them.")
    in_her_words: StrictBool = False
    owner: safety_v.StepOwner = safety_v.StepOwner.HER
    owner_agency: Id | None = Field(None, description="The agency that does it, when `owner` is `agency`.")
    owner_name: ShortText = Field("", description="Who she names, when `owner` is `someone`.")
    status: safety_v.StepStatus = safety_v.StepStatus.AGREED


class SafetyPlanIn(In):
    """The plan as a whole: its steps in order (replacing those saved) and the next review date."""

    version: StrictInt = Field(..., ge=0, le=2**31 - 1, description=(
        "The plan's version you read (0: there was no plan); if anyone saved it since, 422 on `version`."))
    next_review_on: datetime.date
    steps: list[SafetyStepIn] = Field(..., max_length=40)


class SafetyStepOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("what", "in_her_words", "owner", "owner_agency", "owner_name", "status"), S)

    what: str
    in_her_words: bool
    owner: safety_v.StepOwner
    owner_agency: AgencyRef | None
    owner_name: str
    status: safety_v.StepStatus


class SafetyVersionStepOut(FacetedOut):
    """A step as a version keeps it (the agency by its id and the name it had then)."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("what", "in_her_words", "owner", "owner_agency_id", "owner_agency", "owner_name", "status"), S)

    what: str
    in_her_words: bool
    owner: str
    owner_agency_id: int | None
    owner_agency: str
    owner_name: str
    status: str


class SafetyPlanVersionOut(FacetedOut):
    """A version as its save left it."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("version", "saved_at", "agency", "next_review_on", "review_reason", "steps"), S)

    version: int
    saved_at: datetime.datetime
    agency: AgencyRef
    next_review_on: datetime.date
    review_reason: str = Field(..., description="The review this save answered, if one was due.")
    steps: list[SafetyVersionStepOut]


class SafetyPlanOut(FacetedOut):
    """Her plan now, and every version kept, newest first. `version` 0 and no steps: no plan yet."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("version", "next_review_on", "review_due", "updated_at", "agency", "steps", "versions"), S)

    version: int
    next_review_on: datetime.date | None
    review_due: str = Field(..., description="Why a review is due now (scheduled, new_incident, "
                                             "risk_level_changed), or empty.")
    updated_at: datetime.datetime | None
    agency: AgencyRef | None
    steps: list[SafetyStepOut]
    versions: list[SafetyPlanVersionOut]


# --- Her contact rules ----------------------------------------------------------------------------

K = Facet.CONTACT_CHANNELS
HourMinute = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Weekday = Annotated[StrictInt, Field(ge=0, le=6)]


class SafeTimeIn(In):
    days: list[Weekday] = Field(..., min_length=1, max_length=7, description="Monday 0 … Sunday 6.")
    start: HourMinute = Field(..., description="HH:MM in the area's local time, inclusive.")
    end: HourMinute = Field(..., description="HH:MM, after `start` on the same day (exclusive).")


class ContactRulesIn(In):
    """All her rules at once (what is left out takes its safest value: no channel, no voicemail, the
    agency not named, no post to her home address)."""

    version: StrictInt | None = Field(..., ge=1, le=2**31 - 1, description=(
        "The version you read (null: she had none). If they changed since, 422 on `version`, and nothing is saved."))
    safe_channels: list[ContactChannel] = Field(default_factory=list, max_length=len(ContactChannel))
    safe_times: list[SafeTimeIn] = Field(default_factory=list, max_length=20,
                                         description="When contact is safe; empty: at any time.")
    voicemail_ok: StrictBool = False
    may_name_agency: StrictBool = False
    never_post_home: StrictBool = True
    third_party: ShortText = Field("", description="A named person who may pass on messages.")
    code_word: Name = ""


class SafeTimeOut(FacetedOut):
    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(("days", "start", "end"), K)

    days: list[int]
    start: str
    end: str


class ContactRulesOut(FacetedOut):
    """Her rules, one set across all her cases. Only for an agency holding how she may be contacted on
    the case it reads them through (the operations refuse the rest)."""

    FACETS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("recorded", "summary", "safe_channels", "safe_times", "voicemail_ok", "may_name_agency", "never_post_home",
         "third_party", "code_word", "version", "updated_at"), K)

    recorded: bool = Field(..., description="False until someone records them: then nothing is sent to her.")
    summary: str = Field(..., description="Her rules in one sentence, for whoever is about to contact her.")
    safe_channels: list[ContactChannel]
    safe_times: list[SafeTimeOut]
    voicemail_ok: bool
    may_name_agency: bool
    never_post_home: bool
    third_party: str
    code_word: str
    version: int | None = Field(..., description="Send it back with a change (null: none recorded yet).")
    updated_at: datetime.datetime | None


# --- Conferences (issue 17) ------------------------------------------------------------------------

# An agenda case's conference item: read under that case's own decision, which each row carries
# (`decision`, from concord.conferences.selectors), since one meeting's rows are about many cases.
CI = Facet.CONFERENCE_ITEM


class MeetingOut(Out):
    """A meeting of the area's conference series: no case data (its agenda is /agenda)."""

    id: int
    series: str
    held_at: datetime.datetime
    chair: str | None
    coordinator: str | None
    invited: list[AgencyRef]
    agenda_released_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    access_ends_at: datetime.datetime = Field(..., description="When the invited agencies stop reading its cases.")
    version: int

    @staticmethod
    def resolve_series(meeting: Any) -> str:
        return meeting.series.name

    @staticmethod
    def resolve_chair(meeting: Any) -> str | None:
        return str(meeting.chair) if meeting.chair_id else None

    @staticmethod
    def resolve_coordinator(meeting: Any) -> str | None:
        return str(meeting.coordinator) if meeting.coordinator_id else None

    @staticmethod
    def resolve_invited(meeting: Any) -> list[Any]:
        return list(meeting.invited.all())


class AttendanceOut(Out):
    agency: AgencyRef
    status: Literal["present", "apologies", "absent"]
    names: str


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]
    you_may: list[Literal["coordinate", "chair", "research", "minutes"]] = Field(
        ..., description="What you may do at this meeting now.")

    @staticmethod
    def resolve_attendance(meeting: Any) -> list[Any]:
        return list(meeting.attendance.select_related("agency"))


class ConferenceItemOut(FacetedOut):
    """A row about one agenda case: its fields of the conference item are shown only if the row's own
    decision (`decision` on the row) holds the item; otherwise null and named in `withheld`."""

    @model_validator(mode="wrap")
    @classmethod
    def _withhold(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:  # replaces FacetedOut's
        decision = value.get("decision") if isinstance(value, dict) else getattr(value, "decision", None)
        shown = handler(value)
        for name, facet in cls.FACETS.items():
            if facet != C and (decision is None or not decision.sees(facet)):
                setattr(shown, name, None)
                if "withheld" in cls.model_fields and name not in shown.withheld:
                    shown.withheld.append(name)
        return shown


class AgendaItemOut(ConferenceItemOut):
    """One case on the agenda, in order: who she is only if you read its item now; else its position."""

    FACETS: ClassVar[dict[str, str]] = {
        # Where it stands on the agenda and whether you read it say nothing of the case.
        "position": C, "held": C, "withheld": C,
        **dict.fromkeys(("referral_id", "reference", "name", "risk_level", "status"), CI)}

    position: int | None
    held: bool = Field(..., description="Whether you read this case's conference item now.")
    referral_id: int | None = Field(..., description="The item, for POST /research and /actions.")
    reference: str | None
    name: str | None
    risk_level: rv.RiskLevel | Literal[""] | None
    status: Literal["listed", "discussed"] | None
    withheld: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_held(referral: Any) -> bool:
        return referral.decision is not None

    @staticmethod
    def resolve_referral_id(referral: Any) -> int:
        return referral.pk

    @staticmethod
    def resolve_reference(referral: Any) -> str:
        return referral.case.reference

    @staticmethod
    def resolve_name(referral: Any) -> str:
        return referral.case.survivor.full_name


class ResearchOut(ConferenceItemOut):
    """What one invited agency holds on one agenda case. `her_views` is never shown to an agency that
    works with the person causing harm (null, and named in `withheld`)."""

    FACETS: ClassVar[dict[str, str]] = {
        "withheld": C, **dict.fromkeys(("id", "referral_id", "agency", *RESEARCH_TEXTS, "nothing_held",
                                        "recorded_at", "version"), CI)}

    id: int | None
    referral_id: int | None
    agency: AgencyRef | None
    involvement: str | None
    incidents: str | None
    risks: str | None
    children: str | None
    her_views: str | None
    nothing_held: bool | None
    recorded_at: datetime.datetime | None
    version: int | None = Field(..., description="Send it back with a change (stale: 422 on `version`).")
    withheld: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_withheld(research: Any) -> list[str]:
        return ["her_views"] if research.her_views is None else []


class ResearchIn(In):
    """Your agency's research on one case of the agenda: what it holds, or `nothing_held`."""

    referral_id: Id = Field(..., description="The agenda item (GET /agenda).")
    version: StrictInt = Field(..., ge=0, le=2**31 - 1,
                               description="0 for your first research on it; else the version you read.")
    involvement: Narrative = ""
    incidents: Narrative = ""
    risks: Narrative = ""
    children: Narrative = ""
    her_views: Narrative = Field("", description="Her views and wishes, as her advocate brings them.")
    nothing_held: StrictBool = False


class ConferenceActionOut(ConferenceItemOut):
    """An action agreed at the meeting. What happened (`status_reason`) only to its owner agency and
    the meeting's coordinator and chair: it may say where she has gone."""

    FACETS: ClassVar[dict[str, str]] = {
        "withheld": C, **dict.fromkeys(("id", "referral_id", "owner_agency", "worker", "description", "due_at",
                                        "status", "status_reason", "agreed_at", "closed_at", "version"), CI)}

    id: int | None
    referral_id: int | None
    owner_agency: AgencyRef | None
    worker: str | None
    description: str | None
    due_at: datetime.datetime | None
    status: Literal["open", "done", "blocked", "not_done"] | None
    status_reason: str | None
    agreed_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    version: int | None
    withheld: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_worker(action: Any) -> str | None:
        return str(action.worker) if action.worker_id else None

    @staticmethod
    def resolve_status_reason(action: Any) -> str | None:
        return action.status_reason if getattr(action, "reads_reason", False) else None

    @staticmethod
    def resolve_withheld(action: Any) -> list[str]:
        return [] if getattr(action, "reads_reason", False) else ["status_reason"]


class ConferenceActionIn(In):
    """An action agreed at the meeting (the chair, or the coordinator, while the meeting is open)."""

    referral_id: Id = Field(..., description="The agenda item (GET /agenda).")
    owner_agency: Id = Field(..., description="The agency responsible: one invited to the meeting.")
    description: Note = Field(..., min_length=1)
    due_at: AwareDateTime
    worker: Id | None = Field(None, description="A named worker of the agency responsible (a user id).")
