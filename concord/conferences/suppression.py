"""Small-number suppression for the conference's published figures (issue 17, section 5): pure
functions over counts, no database.

The rule, as statistical disclosure control usually writes it:

- **Primary**: a count from 1 to `threshold - 1` is suppressed. A zero is shown: it names nobody,
  and suppressing zeros would make every empty group look like a small one.
- **Secondary**: where published cells add up to a published total (a `Sum`), an equation with exactly
  one suppressed member gives that member away by subtraction (or, when the total is the one
  suppressed, by addition). The smallest shown non-zero part is suppressed too (a shown zero would
  hide nothing: everyone knows what a suppressed zero would add); with no such part, the total. This
  repeats until no equation has exactly one suppressed member, since a total suppressed in one sum
  may be a part of another.
- **Derived**: a share, rate, mean or median is suppressed when any count it is computed from is.

A suppressed cell is shown as "suppressed" everywhere (never "<5": a cell suppressed by the secondary
rule may be far above the threshold), and which rule suppressed it is not said: that too would narrow
the range a reader could work out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Sum:
    """Published counts `parts` that add up to the published count `total`."""

    total: str
    parts: tuple[str, ...]


def primary(counts: Mapping[str, int], threshold: int) -> set[str]:
    """The counts from 1 to threshold - 1."""
    return {key for key, count in counts.items() if 0 < count < threshold}


def _one_more(counts: Mapping[str, int], hidden: set[str], equation: Sum) -> str | None:
    """The cell to suppress so that this equation does not give its one suppressed member away (None
    when it has none, or two or more, suppressed already)."""
    members = (*equation.parts, equation.total)
    if sum(member in hidden for member in members) != 1:
        return None
    shown_parts = [part for part in equation.parts if part not in hidden and counts[part] > 0]
    if shown_parts:
        # The smallest first; among equals, the first listed, so the choice never varies between runs.
        return min(shown_parts, key=lambda part: (counts[part], equation.parts.index(part)))
    if equation.total not in hidden and counts[equation.total] > 0:
        return equation.total
    return None


def suppressed_cells(counts: Mapping[str, int], threshold: int, sums: Iterable[Sum] = ()) -> frozenset[str]:
    """The counts not to publish: the primary rule, then the secondary one to a fixed point."""
    hidden = primary(counts, threshold)
    sums = list(sums)
    changed = True
    while changed:
        changed = False
        for equation in sums:
            extra = _one_more(counts, hidden, equation)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return frozenset(hidden)


def suppressed_derived(derived_from: Mapping[str, Iterable[str]], hidden: Iterable[str]) -> frozenset[str]:
    """The derived figures (shares, rates, averages) computed from at least one suppressed count."""
    hidden = set(hidden)
    return frozenset(key for key, sources in derived_from.items() if hidden.intersection(sources))
