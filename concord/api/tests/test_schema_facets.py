"""Every field of every API output that carries case data belongs to a facet, so the access decision,
not the schema, says whether it is shown."""

from __future__ import annotations

import inspect

from concord.access.facets import Facet
from concord.api import schemas

# Outputs that carry no case data: the partnership's own structure.
NOT_CASE_DATA = {"Out", "AreaOut", "AgencyRef", "AgencyOut", "CaseFilters", "PossibleMatchQuery", "FacetedOut"}


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
