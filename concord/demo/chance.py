"""Small helpers for seeded, weighted choices. Every draw takes the caller's `random.Random`, so
the same seed always gives the same partnership."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterable


class Weighted[T]:
    """A fixed weighted choice, with cumulative weights computed once (it is drawn from millions of times)."""

    def __init__(self, pairs: Iterable[tuple[T, float]]):
        pairs = list(pairs)
        self.values = [value for value, _ in pairs]
        self.weights = [weight for _, weight in pairs]
        self.cumulative = list(itertools.accumulate(self.weights))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]

    def sample(self, rng: random.Random, k: int, *, exclude: Iterable[T] = ()) -> list[T]:
        """Up to k distinct values, each drawn by weight from those not yet drawn."""
        excluded = set(exclude)
        pool = [(value, weight) for value, weight in zip(self.values, self.weights, strict=True)
                if value not in excluded and weight > 0]
        chosen: list[T] = []
        while pool and len(chosen) < k:
            index = rng.choices(range(len(pool)), weights=[weight for _, weight in pool])[0]
            chosen.append(pool.pop(index)[0])
        return chosen


def recorded(rng: random.Random, value: str, *, blank: float = 0.15, prefer_not: float = 0.07) -> str:
    """A voluntary answer as it ends up on the record: not asked yet (blank), "prefer not to say",
    or her answer."""
    draw = rng.random()
    if draw < blank:
        return ""
    if draw < blank + prefer_not:
        return "prefer_not_to_say"
    return value


def between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    """A moment in working hours (09:00–17:59) on a day between start and end, never outside them."""
    if end <= start:
        return start
    moment = start + (end - start) * rng.random()
    at_work = moment.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
    return min(max(at_work, start), end)


def days_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))
