"""Her contact rules, as plain data, and the one decision over them: may this message go?

No database here, so every combination can be tried (tests/test_rules_properties.py). The gate
(gate.py) builds these from her records and asks `refusals`; nothing is sent unless it answers none.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .vocabularies import ContactChannel, Refusal

C = ContactChannel


@dataclass(frozen=True)
class SafeTime:
    """A window in her local time on the given weekdays (Monday 0 … Sunday 6), start inclusive, end exclusive."""

    days: frozenset[int]
    start: datetime.time
    end: datetime.time

    def covers(self, local: datetime.datetime) -> bool:
        return local.weekday() in self.days and self.start <= local.time() < self.end


@dataclass(frozen=True)
class Rules:
    safe_channels: frozenset[str] = frozenset()
    # Empty: she set no times, so any time is safe for the channels she allowed.
    safe_times: tuple[SafeTime, ...] = ()
    voicemail_ok: bool = False
    may_name_agency: bool = False
    never_post_home: bool = True
    # Normalised numbers and addresses (contact_search_index) she said are safe, and not safe, on any case.
    safe_addresses: frozenset[str] = frozenset()
    unsafe_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Message:
    channel: str
    to: str  # normalised, as in Rules.safe_addresses
    at: datetime.datetime  # aware
    names_agency: bool = False
    to_home_address: bool = False
    leaves_voicemail: bool = False


# Channels Concord itself can send by; the others are for staff contacting her by hand.
SENDABLE = frozenset({C.TEXT_MESSAGE, C.EMAIL})


def refusals(rules: Rules | None, message: Message, time_zone: datetime.tzinfo) -> list[str]:
    """Every reason this message may not go (none: it may). All are listed, not only the first, so a
    refusal recorded says everything that stood in its way."""
    if rules is None:
        return [Refusal.NO_RULES]
    found: list[str] = []
    if message.channel not in rules.safe_channels:
        found.append(Refusal.CHANNEL_NOT_SAFE)
    if message.to in rules.unsafe_addresses:
        found.append(Refusal.ADDRESS_NOT_SAFE)
    elif message.channel != C.LETTER and message.to not in rules.safe_addresses:
        found.append(Refusal.NO_SAFE_ADDRESS)
    if rules.safe_times and not any(window.covers(message.at.astimezone(time_zone)) for window in rules.safe_times):
        found.append(Refusal.OUTSIDE_SAFE_TIMES)
    if message.names_agency and not rules.may_name_agency:
        found.append(Refusal.NAMES_AGENCY)
    if message.leaves_voicemail and not rules.voicemail_ok:
        found.append(Refusal.VOICEMAIL)
    if message.channel == C.LETTER and message.to_home_address and rules.never_post_home:
        found.append(Refusal.POST_TO_HOME)
    if message.channel not in SENDABLE:
        found.append(Refusal.NO_TRANSPORT)
    return found


def safe_times_from(data: Iterable[dict]) -> tuple[SafeTime, ...]:
    """The stored form ({"days": [0, 1], "start": "09:00", "end": "17:00"}) as windows."""
    return tuple(SafeTime(frozenset(int(d) for d in item["days"]), datetime.time.fromisoformat(item["start"]),
                          datetime.time.fromisoformat(item["end"])) for item in data)
