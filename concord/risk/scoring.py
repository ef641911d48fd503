"""Scoring an instrument's answers, by the rule its file names.

The rules, as published for the instruments these are modelled on:

- count_yes (DASH-style checklist, DA-5-style screen): the score is the number of "yes"; the level
  is the band the score falls in (the checklist: 14 or more is visible high risk).
- weighted: the score is the sum of the weights of the items answered "yes"; levels by bands.
- informs_judgement (S-DASH-style stalking screen): the number of "yes" is recorded and informs the
  practitioner's judgement; there is no cut-off, so no level.
- screen_in (LAP-style lethality screen): screened in by a "yes" to any of the first items, or by
  enough "yes" among the rest, or by the practitioner's belief; the result records which.

"Don't know" and "not answered" never count as "yes"; an item missing from the answers is not
answered. Items answered in her own words are kept but never scored.

Professional judgement is a later layer, outside this module: it may raise a case's level, and
nothing lowers a level below the one scored here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .catalogue import BANDED_KINDS, NOT_SCREENED_IN, SCREENED_IN, Instrument, Level, bands

# How a screen screened her in (all that apply are recorded, in this order).
FIRST_ITEMS = "first_three"
REST_OF_ITEMS = "four_of_rest"
PRACTITIONER_BELIEF = "practitioner_belief"

ADVOCACY_ANSWERS = ("yes", "no", "not_answered")


class InvalidAnswers(ValueError):
    """Answers that cannot be scored; `messages` maps each item id (or argument) to what is wrong."""

    def __init__(self, messages: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in messages.items()))
        self.messages = dict(messages)


@dataclass(frozen=True, kw_only=True)
class Result:
    instrument: str
    version: int
    score: int
    level: Level | None  # None: the instrument informs judgement and has no level
    scale_level: str | None
    yes: tuple[str, ...]  # ids of the items answered "yes", in item order
    dont_know: int
    not_answered: int  # scored items answered "not answered" or left out
    screened_in: bool | None = None  # screens only
    how: tuple[str, ...] = ()
    spoke_to_advocacy: str | None = None
    area_bands: bool = False  # the level came from the area's own bands


def score(
    instrument: Instrument,
    answers: Mapping[str, str],
    *,
    practitioner_believes_high: bool = False,
    spoke_to_advocacy: str | None = None,
    area_bands: Sequence[Mapping[str, Any]] | None = None,
) -> Result:
    """Score `answers` (item id → answer; her words for a free-text item) by the instrument's rule."""
    _check(instrument, answers, practitioner_believes_high, spoke_to_advocacy, area_bands)
    scored = instrument.scored_items
    given = [answers.get(item.id, "not_answered") for item in scored]
    tally = Result(
        instrument=instrument.id,
        version=instrument.version,
        score=given.count("yes"),
        level=None,
        scale_level=None,
        yes=tuple(item.id for item, answer in zip(scored, given, strict=True) if answer == "yes"),
        dont_know=given.count("dont_know"),
        not_answered=given.count("not_answered"),
    )
    kind = instrument.scoring.kind
    if kind == "informs_judgement":
        return tally
    if kind == "screen_in":
        return _screen(instrument, tally, practitioner_believes_high, spoke_to_advocacy)
    total = tally.score
    if kind == "weighted":
        total = sum(item.weight or 0 for item in scored if item.id in tally.yes)
    levels = bands(instrument, area_bands) if area_bands is not None else instrument.levels
    level = next(level for level in levels if level.covers(total))
    return replace(tally, score=total, level=level, scale_level=level.scale_level, area_bands=area_bands is not None)


def offered(instrument: Instrument, answered: Mapping[str, Mapping[str, str]]) -> bool:
    """Whether to offer the instrument, given other instruments' answers (instrument id → answers)."""
    if not instrument.offered_when:
        return True
    return any(
        answered.get(condition.instrument, {}).get(condition.item) == condition.answer
        for condition in instrument.offered_when
    )


def _screen(
    instrument: Instrument, tally: Result, practitioner_believes_high: bool, spoke_to_advocacy: str | None
) -> Result:
    rule = instrument.scoring
    first = {item.id for item in instrument.scored_items[: rule.first_items]}
    yes = set(tally.yes)
    how = []
    if first & yes:
        how.append(FIRST_ITEMS)
    if len(yes - first) >= rule.rest_at_least:
        how.append(REST_OF_ITEMS)
    if practitioner_believes_high:
        how.append(PRACTITIONER_BELIEF)
    screened_in = bool(how)
    if screened_in and rule.asks_spoke_to_advocacy and spoke_to_advocacy is None:
        # The form asks this of every woman screened in; a record without it is incomplete.
        raise InvalidAnswers({"spoke_to_advocacy": "screened in: record whether she spoke to the advocacy service"})
    level = next(level for level in instrument.levels if level.id == (SCREENED_IN if screened_in else NOT_SCREENED_IN))
    return replace(
        tally,
        level=level,
        scale_level=level.scale_level,
        screened_in=screened_in,
        how=tuple(how),
        spoke_to_advocacy=spoke_to_advocacy,
    )


def _check(
    instrument: Instrument,
    answers: Mapping[str, str],
    practitioner_believes_high: bool,
    spoke_to_advocacy: str | None,
    area_bands: Sequence[Mapping[str, Any]] | None,
) -> None:
    messages: dict[str, str] = {}
    for item_id, answer in answers.items():
        item = instrument.item(item_id)
        if item is None:
            messages[item_id] = f"not an item of {instrument.id} version {instrument.version}"
        elif item.free_text:
            if not isinstance(answer, str):
                messages[item_id] = "expected her words, as text"
        elif answer not in instrument.answers:
            messages[item_id] = f"{answer!r} is not an answer here (one of: {', '.join(instrument.answers)})"
    kind = instrument.scoring.kind
    # Refused rather than ignored, so no caller believes a flag counted where it cannot.
    if practitioner_believes_high and kind != "screen_in":
        messages["practitioner_believes_high"] = (
            f"{instrument.id} has no practitioner-belief rule; record professional judgement separately"
        )
    if spoke_to_advocacy is not None:
        if not (kind == "screen_in" and instrument.scoring.asks_spoke_to_advocacy):
            messages["spoke_to_advocacy"] = f"{instrument.id} does not ask this"
        elif spoke_to_advocacy not in ADVOCACY_ANSWERS:
            messages["spoke_to_advocacy"] = f"one of: {', '.join(ADVOCACY_ANSWERS)}"
    if area_bands is not None and kind not in BANDED_KINDS:
        messages["area_bands"] = f"{instrument.id} is not scored in bands"
    if messages:
        raise InvalidAnswers(messages)
