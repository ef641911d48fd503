"""Every field of every API output that carries case data belongs to a facet, so the access decision,
not the schema, says whether it is shown."""

from __future__ import annotations

import datetime
import inspect
import types
import typing

from concord.access.facets import Facet
from concord.accounts.models import Agency
from concord.api import schemas
from concord.cases.models import Case
from concord.risk.models import Assessment

# Outputs that carry no case data: the partnership's own structure, and the risk instruments.
NOT_CASE_DATA = {"Out", "AreaOut", "AgencyRef", "AgencyOut", "CaseFilters", "PossibleMatchQuery", "FacetedOut",
                 "InstrumentOut", "InstrumentItemOut", "InstrumentLevelOut", "InstrumentScoringOut",
                 "InstrumentConditionOut", "ReferralFilters", "TaskFilters",
                 # A meeting: its date, series, chair, invited agencies and who came; never a case on it.
                 "MeetingOut", "MeetingDetailOut", "AttendanceOut"}


def _outputs():
    return [cls for _name, cls in inspect.getmembers(schemas, inspect.isclass)
            if issubclass(cls, schemas.Out) and cls.__module__ == schemas.__name__]


def test_every_output_with_case_data_names_a_facet_for_each_field():
    untied = []
    for cls in _outputs():
        if cls.__name__ in NOT_CASE_DATA:
            continue
        if not issubclass(cls, schemas.FacetedOut):
            untied.append(f"{cls.__name__}: not a FacetedOut")
            continue
        untied += [f"{cls.__name__}.{name}" for name in cls.model_fields if name not in cls.FACETS]
        untied += [f"{cls.__name__}.{name}: unknown facet {facet!r}" for name, facet in cls.FACETS.items()
                   if facet not in Facet.values]
    assert not untied, "output fields with no facet: " + ", ".join(untied)


def test_a_field_of_a_facet_not_held_is_null_and_named():
    class Probe(schemas.FacetedOut):
        FACETS = {"summary": Facet.CORE, "narrative": Facet.INCIDENT_NARRATIVES, "withheld": Facet.CORE}
        summary: str
        narrative: str | None
        withheld: list[str] = []

    class Decision:
        def sees(self, facet):
            return facet == Facet.CORE

    class Request:
        case_access = Decision()

    shown = Probe.model_validate({"summary": "s", "narrative": "n"}, context={"request": Request()})
    assert (shown.summary, shown.narrative, shown.withheld) == ("s", None, ["narrative"])
    # No decision at all: everything beyond the core record is withheld (fail closed).
    closed = Probe.model_validate({"summary": "s", "narrative": "n"}, context={})
    assert closed.narrative is None


def test_a_field_withheld_from_a_partly_shown_output_is_nullable_in_the_schema():
    # An output that names what it withholds (`withheld`) sets those fields to null: the schema must say
    # they may be, or the response would not conform to it.
    not_nullable = [f"{cls.__name__}.{name}" for cls in _outputs() if issubclass(cls, schemas.FacetedOut)
                    and "withheld" in cls.model_fields for name, facet in cls.FACETS.items()
                    if facet != Facet.CORE and types.NoneType not in typing.get_args(cls.model_fields[name].annotation)]
    assert not not_nullable, "withheld but not nullable: " + ", ".join(not_nullable)


def test_her_risk_answers_are_the_risk_answers_facet_wherever_they_appear():
    risk_answers = {name for name, facet in schemas.AssessmentOut.FACETS.items() if facet == Facet.RISK_ANSWERS}
    assert risk_answers == set(schemas.RISK_ANSWER_FIELDS)
    # The level, its reasons and the tasks are core (every agency on the case reads them): none of them
    # may carry an answer, her words or a judgement's written reason.
    for cls in (schemas.RiskOut, schemas.RiskReasonOut, schemas.TaskOut):
        assert set(cls.FACETS.values()) == {Facet.CORE}, cls.__name__
        assert not set(cls.model_fields) & (risk_answers | {"reason"}), cls.__name__
    elsewhere = [f"{cls.__name__}.{name}" for cls in _outputs() if issubclass(cls, schemas.FacetedOut)
                 for name in set(cls.model_fields) & risk_answers if cls.FACETS.get(name) != Facet.RISK_ANSWERS]
    assert not elsewhere


def _assessment():
    case = Case(reference="NTH-2026-00042")
    agency = Agency(pk=7, name="Northshire IDVA Service", sector="specialist_advocacy")
    return Assessment(pk=3, case=case, instrument="checklist", instrument_version=1, safe_to_talk="yes",
                      channel="phone", interpreter_used=True, interpreter_language="Urdu", her_view="very",
                      her_words="That he will find me", answers={"injury": "yes", "what_she_fears": "That he "
                                                                 "will find me"},
                      practitioner_believes_high=False, spoke_to_advocacy="", score=1, level="standard",
                      scale_level="standard", result={"highest": 23}, assessed_on=datetime.date(2026, 11, 30),
                      recorded_for=agency, recorded_at=datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC))


class _Holding:
    def __init__(self, *facets):
        self.facets = {Facet.CORE, *facets}

    def sees(self, facet):
        return facet in self.facets


class _Request:
    def __init__(self, decision):
        self.case_access = decision


def test_an_assessment_read_without_the_risk_answers_facet_holds_none_of_them():
    withheld = schemas.AssessmentOut.model_validate(_assessment(), context={"request": _Request(_Holding())})
    body = withheld.model_dump_json()
    assert all(getattr(withheld, name) is None for name in schemas.RISK_ANSWER_FIELDS)
    assert withheld.withheld == list(schemas.RISK_ANSWER_FIELDS)
    assert "find me" not in body and "Urdu" not in body and "injury" not in body
    # The result stays: every agency on the case knows an assessment was done and what it gave.
    assert (withheld.score, withheld.scale_level, withheld.result) == (
        1, "standard", "Risk identification checklist (version 1): 1 of 23 “yes”")
    shown = schemas.AssessmentOut.model_validate(_assessment(),
                                                 context={"request": _Request(_Holding(Facet.RISK_ANSWERS))})
    assert (shown.her_words, shown.answers["injury"], shown.withheld) == ("That he will find me", "yes", [])
