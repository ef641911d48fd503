"""The chains: how an entry is MAC'd, and how the whole log is checked, chain by chain.

Each area has its own chain, and entries without an area have one more (NO_AREA_CHAIN). Within a
chain, entry_hash = HMAC-SHA256, under settings.AUDIT_MAC_KEY, of the sorted-key JSON of the entry's
own fields and the previous entry's MAC. Changing any field of any entry, removing an entry or
swapping two entries' sequence numbers breaks the chain at that point; removing entries from the end,
or moving the head back, is found by comparing the chain with its AuditChainHead. Without the key
(which the database does not hold) nobody who can write the table can append an entry that verifies.

Entries written before migration 0003 carry an unkeyed SHA-256 (mac_version 1). They stay in the
no-area chain, where they were, and are accepted there only before its first keyed entry: an unkeyed
entry after it, or in an area's chain, is a forgery.

What a MAC does not stop on its own: the database owner rewriting a chain's tail back to an earlier
state (deleting the last entries and the head with them). The anchors (concord.audit.anchors), kept
outside the database, close that gap: an anchored entry that is gone or changed is reported.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Min, OuterRef, Subquery

from .models import GENESIS_HASH, NO_AREA_CHAIN, AccessLogEntry, AuditChainHead, MacVersion

# The fields of the unkeyed scheme (mac_version 1): every stored field then, except id and entry_hash.
HASHED_FIELDS = (
    "sequence", "occurred_at", "user_id", "user_label", "agency_id", "agency_name", "area_id", "action",
    "object_type", "object_id", "case_id", "case_reference", "fields", "ip_address", "basis", "prev_hash",
)
# The keyed scheme (mac_version 2) also covers the chain and the version itself. Adding a field here
# changes every MAC: a later field must be left out, or the scheme versioned again.
MAC_FIELDS = (*HASHED_FIELDS, "chain", "mac_version")


def _canonical(name: str, value: Any) -> Any:
    if name == "occurred_at":
        # Both databases keep microseconds; UTC so the text does not depend on the reader's zone.
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name == "fields":
        return [str(item) for item in value or []]
    if name == "ip_address":
        return None if value is None else str(value)
    return value


def _payload(values: Mapping[str, Any], names: tuple[str, ...]) -> bytes:
    payload = {name: _canonical(name, values[name]) for name in names}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(values: Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 of the old scheme (mac_version 1): read only to verify old entries."""
    return hashlib.sha256(_payload(values, HASHED_FIELDS)).hexdigest()


def entry_mac(values: Mapping[str, Any], *, key: str | None = None) -> str:
    """HMAC-SHA256 hex of an entry (a mapping holding every name in MAC_FIELDS)."""
    secret = (key if key is not None else settings.AUDIT_MAC_KEY).encode("utf-8")
    return hmac.new(secret, _payload(values, MAC_FIELDS), hashlib.sha256).hexdigest()


def entry_seal(values: Mapping[str, Any]) -> str:
    """What entry_hash must hold for this entry, by its own mac_version."""
    if values["mac_version"] == MacVersion.UNKEYED:
        return entry_hash(values)
    return entry_mac(values)


@dataclass(frozen=True)
class Anchor:
    """A chain's head as seen at a time, kept outside the database (concord.audit.anchors)."""

    chain: int
    sequence: int
    mac: str
    at: str = ""
    source: str = ""


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    chain: int
    checked: int
    last_sequence: int
    last_hash: str
    broken: ChainBreak | None
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class LogReport:
    """Every chain's report, in chain order."""

    chains: list[ChainReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.chains)

    @property
    def checked(self) -> int:
        return sum(report.checked for report in self.chains)

    @property
    def broken(self) -> ChainBreak | None:
        """The first chain's break (most logs in tests have one chain)."""
        return next((report.broken for report in self.chains if report.broken), None)

    def chain(self, chain: int) -> ChainReport:
        return next(report for report in self.chains if report.chain == chain)


def chains_in_log(extra: Iterable[int] = ()) -> list[int]:
    """Every chain with a head or an entry (plus `extra`, the anchored ones). The entries' chains are
    found one index probe at a time (a loose index scan), not by reading the table."""
    chains = set(AuditChainHead.objects.values_list("chain", flat=True)) | set(extra)
    after: int | None = None
    while True:
        entries = AccessLogEntry.objects.all() if after is None else AccessLogEntry.objects.filter(chain__gt=after)
        after = entries.aggregate(next=Min("chain"))["next"]
        if after is None:
            return sorted(chains)
        chains.add(after)


def _head_and_tail(chain: int) -> tuple[int | None, str, int]:
    """The head's sequence and MAC and the chain's last sequence, in one statement (one snapshot):
    an insert moves the head in its own transaction, so outside tampering they are equal."""
    tail = Subquery(AccessLogEntry.objects.filter(chain=OuterRef("chain")).order_by("-sequence")
                    .values("sequence")[:1])
    head = (AuditChainHead.objects.filter(chain=chain).annotate(tail=tail)
            .values("last_sequence", "last_hash", "tail").first())
    if head is not None:
        return head["last_sequence"], head["last_hash"], head["tail"] or 0
    last = AccessLogEntry.objects.filter(chain=chain).order_by("-sequence").values_list("sequence", flat=True).first()
    return None, GENESIS_HASH, last or 0


def _entries(chain: int, last: int, batch_size: int) -> Iterator[dict[str, Any]]:
    """A chain's entries 1..last in sequence order, a batch at a time (keyset pagination on the
    unique (chain, sequence) index: constant memory and no long-held cursor, however long the log).
    No upper bound in the query: with one, PostgreSQL may scan the whole remaining range first."""
    after = 0
    columns = (*MAC_FIELDS, "entry_hash")
    while True:
        rows = list(AccessLogEntry.objects.filter(chain=chain, sequence__gt=after).order_by("sequence")
                    .values(*columns)[:batch_size])
        for row in rows:
            if row["sequence"] > last:
                return
            yield row
        if len(rows) < batch_size:
            return
        after = rows[-1]["sequence"]


def _check(row: Mapping[str, Any], expected: int, prev: str, keyed_seen: bool) -> str | None:
    if row["sequence"] != expected:
        missing = f"{expected}" if row["sequence"] == expected + 1 else f"{expected}–{row['sequence'] - 1}"
        return f"entry {missing} is missing (the next entry is {row['sequence']})"
    if row["mac_version"] == MacVersion.UNKEYED and (keyed_seen or row["chain"] != NO_AREA_CHAIN):
        return ("this entry carries the old unkeyed hash where only keyed entries may be: forged "
                "(unkeyed entries are accepted only before the first keyed entry of the no-area chain)")
    if row["mac_version"] not in MacVersion.values:
        return f"this entry has an unknown MAC scheme ({row['mac_version']}): forged"
    if not hmac.compare_digest(entry_seal(row), row["entry_hash"]):
        return ("this entry's MAC does not match its content: changed after it was written, or written "
                "without the key")
    if row["prev_hash"] != prev:
        return "this entry does not follow the one before it (previous MAC does not match)"
    return None


def chain_check(chain: int, *, batch_size: int = 5000, anchors: Iterable[Anchor] = (),
                on_progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk one chain in sequence order and report its first broken link, if any.

    Only entries up to the head as read at the start are checked, so writers may keep appending.
    Entries beyond the head (the head was moved back) and anchors that no longer match are reported.
    """
    head_sequence, head_hash, tail = _head_and_tail(chain)
    last = tail if head_sequence is None else head_sequence
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        if anchor.chain == chain:
            anchored.setdefault(anchor.sequence, []).append(anchor)
    expected, prev, checked, anchors_checked, keyed_seen = 1, GENESIS_HASH, 0, 0, False

    def report(broken: ChainBreak | None) -> ChainReport:
        return ChainReport(chain=chain, checked=checked, last_sequence=expected - 1, last_hash=prev,
                           broken=broken, anchors_checked=anchors_checked)

    for row in _entries(chain, last, batch_size):
        reason = _check(row, expected, prev, keyed_seen)
        for anchor in anchored.get(expected, ()) if reason is None else ():
            anchors_checked += 1
            if not hmac.compare_digest(anchor.mac, row["entry_hash"]):
                reason = f"this entry's MAC differs from the anchor recorded {anchor.at or 'earlier'} {anchor.source}"
                break
        if reason:
            return report(ChainBreak(sequence=expected, reason=reason.strip()))
        keyed_seen = keyed_seen or row["mac_version"] == MacVersion.KEYED
        prev, expected, checked = row["entry_hash"], expected + 1, checked + 1
        if on_progress and checked % batch_size == 0:
            on_progress(batch_size)
    if on_progress:
        on_progress(checked % batch_size)
    if expected - 1 != last:
        span = f"{expected}" if expected == last else f"{expected}–{last}"
        return report(ChainBreak(sequence=expected, reason=f"entry {span} is missing (removed from the end)"))
    if head_sequence is not None and prev != head_hash:
        return report(ChainBreak(sequence=last, reason="the last entry does not match the chain head"))
    if tail > last:
        span = f"{last + 1}" if tail == last + 1 else f"{last + 1}–{tail}"
        return report(ChainBreak(sequence=last + 1, reason=f"entry {span} lies beyond the chain head "
                                                           f"(the head was moved back to {last})"))
    beyond = sorted(sequence for sequence in anchored if sequence > last)
    if beyond:
        anchor = anchored[beyond[0]][0]
        return report(ChainBreak(sequence=anchor.sequence, reason=(
            f"the anchored entry (recorded {anchor.at or 'earlier'} {anchor.source}) is beyond the end of the chain"
        ).replace("  ", " ")))
    return report(None)


def chain_verify(*, batch_size: int = 5000, anchors: Iterable[Anchor] = (),
                 on_progress: Callable[[int], None] | None = None) -> LogReport:
    """Every chain of the log, each checked whole (chain_check); a break in one does not stop the others."""
    anchors = list(anchors)
    chains = chains_in_log(anchor.chain for anchor in anchors)
    return LogReport([chain_check(chain, batch_size=batch_size, anchors=anchors, on_progress=on_progress)
                      for chain in chains])
