"""The risk instruments Concord ships, as versioned data.

Each file in `instruments/` is one version of one instrument. The field changes instruments (a new
checklist version, an area's bands), so they are data; the scoring rules they name are code
(`scoring.py`). Every file is read and checked on first use: a mistake in a shipped file stops the
catalogue loading, naming the file, instead of mis-scoring an assessment later.

An assessment keeps the version it was scored with, so old versions stay in the catalogue.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).parent / "instruments"

# Concord's own risk scale, lowest first: every instrument level names one, so results of different
# instruments (and a case's level) can be compared.
SCALE = ("standard", "medium", "high")

# "Don't know" and "not answered" are answers in their own right, kept in the record; only "yes"
# ever counts towards a score.
ANSWERS = ("yes", "no", "dont_know", "not_answered")
REQUIRED_ANSWERS = ("yes", "no", "not_answered")

KINDS = ("count_yes", "weighted", "informs_judgement", "screen_in")
BANDED_KINDS = ("count_yes", "weighted")

# The two outcomes of a screen, as level ids.
SCREENED_IN = "screened_in"
NOT_SCREENED_IN = "not_screened_in"


class InstrumentError(ValueError):
    """An instrument definition (or an area's bands) that cannot be scored with."""


class InstrumentFileError(InstrumentError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path.name}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, kw_only=True)
class Item:
    id: str
    number: int
    text: str
    group: str
    free_text: bool = False  # answered in her own words; never scored
    weight: int | None = None  # weighted instruments only


@dataclass(frozen=True, kw_only=True)
class Level:
    id: str
    label: str
    scale_level: str
    # Banded kinds: the scores this level covers; at_most None is open-ended ("14 or more").
    at_least: int | None = None
    at_most: int | None = None
    note: str = ""

    def covers(self, score: int) -> bool:
        if self.at_least is None or score < self.at_least:
            return False
        return self.at_most is None or score <= self.at_most


@dataclass(frozen=True, kw_only=True)
class Scoring:
    kind: str
    # screen_in: "yes" to any of the first `first_items` screens her in, or `rest_at_least` "yes"
    # among the rest; `asks_spoke_to_advocacy` makes that answer required once she is screened in.
    first_items: int = 0
    rest_at_least: int = 0
    asks_spoke_to_advocacy: bool = False


@dataclass(frozen=True, kw_only=True)
class Condition:
    """One answer of another instrument: {"instrument": ..., "item": ..., "answer": ...}."""

    instrument: str
    item: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class Instrument:
    id: str
    version: int
    title: str
    source: str
    answers: tuple[str, ...]
    items: tuple[Item, ...]
    scoring: Scoring
    levels: tuple[Level, ...]
    # When the instrument is offered: any of these answers (empty: always).
    offered_when: tuple[Condition, ...] = ()

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.free_text)

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def highest_score(self) -> int:
        if self.scoring.kind == "weighted":
            return sum(item.weight or 0 for item in self.scored_items)
        return len(self.scored_items)


@dataclass(frozen=True)
class Catalogue:
    by_version: Mapping[tuple[str, int], Instrument]


def load(directory: Path = SHIPPED) -> Catalogue:
    """Read and check every `*.json` in `directory`; uncached (`instrument()` caches the shipped one)."""
    found: dict[tuple[str, int], tuple[Path, Instrument]] = {}
    for path in sorted(directory.glob("*.json")):
        parsed = _read(path)
        key = (parsed.id, parsed.version)
        if key in found:
            raise InstrumentFileError(
                path, f"{parsed.id} version {parsed.version} is already defined in {found[key][0].name}"
            )
        found[key] = (path, parsed)
    for path, parsed in found.values():
        _check_conditions(path, parsed, {key: instrument for key, (_, instrument) in found.items()})
    return Catalogue({key: instrument for key, (_, instrument) in found.items()})


@functools.cache
def _shipped() -> Catalogue:
    return load(SHIPPED)


def instrument(instrument_id: str, version: int | None = None, *, catalogue: Catalogue | None = None) -> Instrument:
    """The given version of an instrument, or its latest; KeyError if there is none."""
    by_version = (catalogue or _shipped()).by_version
    if version is None:
        versions = [v for (i, v) in by_version if i == instrument_id]
        if not versions:
            raise KeyError(f"no risk instrument {instrument_id!r}")
        version = max(versions)
    try:
        return by_version[(instrument_id, version)]
    except KeyError:
        raise KeyError(f"no version {version} of risk instrument {instrument_id!r}") from None


def instruments(*, catalogue: Catalogue | None = None) -> tuple[Instrument, ...]:
    """Every version of every instrument, by id then version."""
    by_version = (catalogue or _shipped()).by_version
    return tuple(by_version[key] for key in sorted(by_version))


def bands(instrument: Instrument, raw: Sequence[Mapping[str, Any]]) -> tuple[Level, ...]:
    """An area's own bands for a banded instrument, checked as the file's are.

    An area may be stricter than the instrument, never laxer: no score may fall on a lower step of
    the scale than the instrument's own bands put it ("14 or more" stays high everywhere).
    """
    if instrument.scoring.kind not in BANDED_KINDS:
        raise InstrumentError(f"area bands: {instrument.id} is not scored in bands")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InstrumentError("area bands: expected a list of levels")
    levels = tuple(_level(entry, f"area band {n}") for n, entry in enumerate(raw, start=1))
    try:
        _check_bands(levels, instrument.highest_score)
    except InstrumentError as problem:
        raise InstrumentError(f"area bands: {problem}") from None
    for score in range(instrument.highest_score + 1):
        own = next(level for level in instrument.levels if level.covers(score))
        area = next(level for level in levels if level.covers(score))
        if SCALE.index(area.scale_level) < SCALE.index(own.scale_level):
            raise InstrumentError(
                f"area bands: a score of {score} would be {area.scale_level}, below the instrument's {own.scale_level}"
            )
    return levels


# Reading a file. Unknown keys are refused, so a misspelt "free_txt" is an error, not a scored item.


def _read(path: Path) -> Instrument:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise InstrumentFileError(path, f"not readable JSON ({problem})") from None
    try:
        return _instrument(raw)
    except InstrumentError as problem:
        raise InstrumentFileError(path, str(problem)) from None


def _instrument(raw: Any) -> Instrument:
    fields = _object(
        raw,
        "the instrument",
        required={"id", "version", "title", "source", "answers", "items", "scoring"},
        optional={"levels", "offered_when"},
    )
    answers = tuple(_list(fields["answers"], "answers"))
    for answer in answers:
        if answer not in ANSWERS:
            raise InstrumentError(f"unknown answer {answer!r} (known: {', '.join(ANSWERS)})")
    missing = [answer for answer in REQUIRED_ANSWERS if answer not in answers]
    if missing or len(set(answers)) != len(answers):
        raise InstrumentError(f"answers must list each of {', '.join(REQUIRED_ANSWERS)} once (dont_know optional)")
    scoring = _scoring(fields["scoring"])
    items = tuple(_item(entry, n, scoring.kind) for n, entry in enumerate(_list(fields["items"], "items"), start=1))
    found = Instrument(
        id=_slug(fields["id"], "id"),
        version=_int(fields["version"], "version", least=1),
        title=_text(fields["title"], "title"),
        source=_text(fields["source"], "source"),
        answers=answers,
        items=items,
        scoring=scoring,
        levels=tuple(
            _level(entry, f"level {n}") for n, entry in enumerate(_list(fields.get("levels", []), "levels"), 1)
        ),
        offered_when=tuple(_condition(entry) for entry in _list(fields.get("offered_when", []), "offered_when")),
    )
    _check_items(found)
    _check_levels(found)
    return found


def _scoring(raw: Any) -> Scoring:
    fields = _object(
        raw, "scoring", required={"kind"}, optional={"first_items", "rest_at_least", "asks_spoke_to_advocacy"}
    )
    kind = fields["kind"]
    if kind not in KINDS:
        raise InstrumentError(f"unknown scoring kind {kind!r} (known: {', '.join(KINDS)})")
    if kind != "screen_in":
        if len(fields) > 1:
            raise InstrumentError(f"scoring kind {kind} takes no {', '.join(sorted(set(fields) - {'kind'}))}")
        return Scoring(kind=kind)
    advocacy = fields.get("asks_spoke_to_advocacy", False)
    if not isinstance(advocacy, bool):
        raise InstrumentError("scoring.asks_spoke_to_advocacy must be true or false")
    return Scoring(
        kind=kind,
        first_items=_int(fields.get("first_items"), "scoring.first_items", least=1),
        rest_at_least=_int(fields.get("rest_at_least"), "scoring.rest_at_least", least=1),
        asks_spoke_to_advocacy=advocacy,
    )


def _item(raw: Any, n: int, kind: str) -> Item:
    where = f"item {n}"
    fields = _object(raw, where, required={"id", "number", "text", "group"}, optional={"free_text", "weight"})
    free_text = fields.get("free_text", False)
    if not isinstance(free_text, bool):
        raise InstrumentError(f"{where}: free_text must be true or false")
    weight = None
    if "weight" in fields:
        if kind != "weighted" or free_text:
            raise InstrumentError(f"{where}: only scored items of a weighted instrument have a weight")
        weight = _int(fields["weight"], f"{where} weight", least=1)
    elif kind == "weighted" and not free_text:
        raise InstrumentError(f"{where}: every scored item of a weighted instrument needs a weight")
    return Item(
        id=_slug(fields["id"], f"{where} id"),
        number=_int(fields["number"], f"{where} number", least=1),
        text=_text(fields["text"], f"{where} text"),
        group=_slug(fields["group"], f"{where} group"),
        free_text=free_text,
        weight=weight,
    )


def _level(raw: Any, where: str) -> Level:
    fields = _object(raw, where, required={"id", "label", "scale_level"}, optional={"at_least", "at_most", "note"})
    if fields["scale_level"] not in SCALE:
        raise InstrumentError(f"{where}: scale_level must be one of {', '.join(SCALE)}")
    note = fields.get("note", "")
    if not isinstance(note, str):
        raise InstrumentError(f"{where}: note must be text")
    at_most = fields.get("at_most")
    return Level(
        id=_slug(fields["id"], f"{where} id"),
        label=_text(fields["label"], f"{where} label"),
        scale_level=fields["scale_level"],
        at_least=_int(fields["at_least"], f"{where} at_least", least=0) if "at_least" in fields else None,
        at_most=None if at_most is None else _int(at_most, f"{where} at_most", least=0),
        note=note,
    )


def _condition(raw: Any) -> Condition:
    fields = _object(raw, "offered_when", required={"instrument", "item", "answer"}, optional=set())
    return Condition(
        instrument=_slug(fields["instrument"], "offered_when instrument"),
        item=_slug(fields["item"], "offered_when item"),
        answer=_slug(fields["answer"], "offered_when answer"),
    )


# Checks across a file.


def _check_items(found: Instrument) -> None:
    if not found.scored_items:
        raise InstrumentError("no scored items")
    seen: set[str] = set()
    for item in found.items:
        if item.id in seen:
            raise InstrumentError(f"duplicate item id {item.id!r}")
        seen.add(item.id)
    numbers = [item.number for item in found.items]
    if numbers != list(range(1, len(numbers) + 1)):
        raise InstrumentError(f"items must be numbered 1 to {len(numbers)} in order (found {numbers})")
    scoring = found.scoring
    if scoring.kind == "screen_in" and scoring.first_items >= len(found.scored_items):
        raise InstrumentError("scoring.first_items leaves no other items")


def _check_levels(found: Instrument) -> None:
    kind = found.scoring.kind
    if kind == "informs_judgement":
        if found.levels:
            raise InstrumentError("an instrument that informs judgement has no levels")
        return
    if kind == "screen_in":
        ids = sorted(level.id for level in found.levels)
        if ids != sorted([SCREENED_IN, NOT_SCREENED_IN]):
            raise InstrumentError(f"a screen has exactly two levels, {SCREENED_IN} and {NOT_SCREENED_IN}")
        if any(level.at_least is not None or level.at_most is not None for level in found.levels):
            raise InstrumentError("a screen's levels have no bands")
        return
    _check_bands(found.levels, found.highest_score)


def _check_bands(levels: tuple[Level, ...], highest: int) -> None:
    """Bands must cover every score from 0 to the highest possible, once each, lowest first."""
    if not levels:
        raise InstrumentError("no levels")
    if len({level.id for level in levels}) != len(levels):
        raise InstrumentError("duplicate level id")
    expected = 0
    for n, level in enumerate(levels):
        if level.at_least is None:
            raise InstrumentError(f"level {level.id!r} has no at_least")
        if level.at_most is not None and level.at_most < level.at_least:
            raise InstrumentError(f"level {level.id!r}: at_most is below at_least")
        if level.at_least < expected:
            raise InstrumentError(f"level {level.id!r} overlaps the level before it (starts at {level.at_least})")
        if level.at_least > expected:
            raise InstrumentError(f"a gap: no level covers {expected} to {level.at_least - 1}")
        if level.at_most is None:
            if n != len(levels) - 1:
                raise InstrumentError(f"level {level.id!r} is open-ended but is not the last")
            return
        expected = level.at_most + 1
    if expected <= highest:
        raise InstrumentError(f"a gap: no level covers {expected} to {highest}")


def _check_conditions(path: Path, found: Instrument, by_version: Mapping[tuple[str, int], Instrument]) -> None:
    # A condition names another instrument's item by id, so it holds for any version that has it.
    for condition in found.offered_when:
        versions = [other for (i, _), other in by_version.items() if i == condition.instrument]
        if not versions:
            raise InstrumentFileError(path, f"offered_when names unknown instrument {condition.instrument!r}")
        other = max(versions, key=lambda candidate: candidate.version)
        item = other.item(condition.item)
        if item is None or item.free_text:
            raise InstrumentFileError(path, f"offered_when names no scored item {condition.item!r} of {other.id}")
        if condition.answer not in other.answers:
            raise InstrumentFileError(path, f"offered_when: {condition.answer!r} is not an answer of {other.id}")


# Small typed readers.


def _object(raw: Any, where: str, *, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InstrumentError(f"{where}: expected an object")
    missing = required - raw.keys()
    if missing:
        raise InstrumentError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = raw.keys() - required - optional
    if unknown:
        raise InstrumentError(f"{where}: unknown {', '.join(sorted(unknown))}")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise InstrumentError(f"{where}: expected a list")
    return raw


def _int(raw: Any, where: str, *, least: int) -> int:
    # bool is an int in Python; true is not a number of items.
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < least:
        raise InstrumentError(f"{where}: expected a whole number of at least {least}")
    return raw


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InstrumentError(f"{where}: expected text")
    return raw


def _slug(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw or not all(c.islower() or c.isdigit() or c == "_" for c in raw):
        raise InstrumentError(f"{where}: expected a slug of lower-case letters, digits and _ (found {raw!r})")
    return raw
