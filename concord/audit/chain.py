"""The hash chain: how an entry is hashed, and how the whole log is checked.

entry_hash = SHA-256 of the sorted-key JSON of the entry's own fields and the previous entry's hash.
Changing any field of any entry, removing an entry or swapping two entries' sequence numbers breaks
the chain at that point; removing entries from the end is found by comparing with AuditChainHead.

What this does not do on its own: someone able to rewrite the table *and* recompute every later hash
(the database owner) leaves a valid chain. Keeping a copy of the head (printed by audit_verify)
outside the database and checking it later with `audit_verify --anchor SEQ:HASH` closes that gap.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .models import GENESIS_HASH, AccessLogEntry, AuditChainHead

# Every stored field except id and entry_hash. Adding a field here changes every hash: a later field
# must be left out of the hash, or the hash versioned, or old entries stop verifying.
HASHED_FIELDS = (
    "sequence", "occurred_at", "user_id", "user_label", "agency_id", "agency_name", "area_id", "action",
    "object_type", "object_id", "case_id", "case_reference", "fields", "ip_address", "basis", "prev_hash",
)


def _canonical(name: str, value: Any) -> Any:
    if name == "occurred_at":
        # Both databases keep microseconds; UTC so the text does not depend on the reader's zone.
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name == "fields":
        return [str(item) for item in value or []]
    if name == "ip_address":
        return None if value is None else str(value)
    return value


def entry_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 hex of an entry's hashed fields (a mapping holding every name in HASHED_FIELDS)."""
    payload = {name: _canonical(name, values[name]) for name in HASHED_FIELDS}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    last_sequence: int
    last_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entries_up_to(last: int, batch_size: int) -> Iterator[dict[str, Any]]:
    """Entries 1..last in sequence order, a batch at a time (keyset pagination on the unique
    sequence index: constant memory and no long-held cursor, however long the log). No upper bound
    in the query: with one, PostgreSQL may scan the whole remaining range before the LIMIT."""
    after = 0
    columns = (*HASHED_FIELDS, "entry_hash")
    while True:
        rows = list(AccessLogEntry.objects.filter(sequence__gt=after).order_by("sequence")
                    .values(*columns)[:batch_size])
        for row in rows:
            if row["sequence"] > last:
                return
            yield row
        if len(rows) < batch_size:
            return
        after = rows[-1]["sequence"]


def _check(row: Mapping[str, Any], expected: int, prev: str) -> str | None:
    if row["sequence"] != expected:
        missing = f"{expected}" if row["sequence"] == expected + 1 else f"{expected}–{row['sequence'] - 1}"
        return f"entry {missing} is missing (the next entry is {row['sequence']})"
    if entry_hash(row) != row["entry_hash"]:
        return "this entry was changed after it was written (its content or sequence does not match its hash)"
    if row["prev_hash"] != prev:
        return "this entry does not follow the one before it (previous hash does not match)"
    return None


def chain_verify(*, batch_size: int = 5000, anchor: tuple[int, str] | None = None,
                 on_progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the log in sequence order and report the first broken link, if any.

    Only entries up to the head as read at the start are checked, so writers may keep appending.
    `anchor` is a (sequence, entry_hash) pair recorded earlier outside the database.
    """
    head = AuditChainHead.objects.filter(pk=1).values("last_sequence", "last_hash").first()
    if head is None:
        # No head row (an empty or flushed log): check whatever is there.
        tail = AccessLogEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        head = {"last_sequence": tail["sequence"], "last_hash": tail["entry_hash"]} if tail else {
            "last_sequence": 0, "last_hash": GENESIS_HASH}
    last = head["last_sequence"]
    expected, prev, checked = 1, GENESIS_HASH, 0

    def report(broken: ChainBreak | None) -> ChainReport:
        return ChainReport(checked=checked, last_sequence=expected - 1, last_hash=prev, broken=broken)

    for row in _entries_up_to(last, batch_size):
        reason = _check(row, expected, prev)
        if reason is None and anchor and anchor[0] == expected and anchor[1] != row["entry_hash"]:
            reason = "this entry's hash differs from the anchor recorded earlier"
        if reason:
            return report(ChainBreak(sequence=expected, reason=reason))
        prev, expected, checked = row["entry_hash"], expected + 1, checked + 1
        if on_progress and checked % batch_size == 0:
            on_progress(batch_size)
    if on_progress:
        on_progress(checked % batch_size)
    if expected - 1 != last:
        span = f"{expected}" if expected == last else f"{expected}–{last}"
        return report(ChainBreak(sequence=expected, reason=f"entry {span} is missing (removed from the end)"))
    if prev != head["last_hash"]:
        return report(ChainBreak(sequence=last, reason="the last entry does not match the chain head"))
    if anchor and anchor[0] > last:
        return report(ChainBreak(sequence=anchor[0], reason="the anchored entry is beyond the end of the log"))
    return report(None)
