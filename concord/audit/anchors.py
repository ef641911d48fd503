"""Anchors: each chain's head as seen at a time, written outside the database.

A MAC stops anyone without the key from writing an entry that verifies; it does not stop the
database's owner from putting a chain back to an earlier state of itself (deleting its last entries
and the head with them). An anchor kept where the database's users cannot rewrite it does: an
anchored entry that is gone, changed or beyond the end of its chain is reported by audit_verify.

settings.AUDIT_ANCHORS is a directory (the default, var/audit-anchors/) or a file ending in .jsonl.
In a directory each run writes a new file, created exclusively and made read-only, never rewritten;
a file is only appended to. One JSON object per line: chain, sequence, mac, at (UTC). Point it at
storage the application's database role and its owner cannot rewrite (another machine's mount, a
write-once bucket synchronised from it), and keep a copy elsewhere.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from .chain import Anchor


class AnchorFileError(Exception):
    """An anchor file that cannot be read: itself a finding (anchors are never rewritten)."""


def anchors_path() -> Path:
    return Path(settings.AUDIT_ANCHORS)


def _is_file(path: Path) -> bool:
    return path.suffix == ".jsonl" or path.is_file()


def anchors_read(path: Path | None = None) -> list[Anchor]:
    path = path or anchors_path()
    if _is_file(path):
        files = [path] if path.exists() else []
    else:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else []
    anchors = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                anchors.append(Anchor(chain=int(item["chain"]), sequence=int(item["sequence"]), mac=str(item["mac"]),
                                      at=str(item.get("at", "")), source=f"in {file.name}:{number}"))
            except (ValueError, KeyError, TypeError) as error:
                raise AnchorFileError(f"{file}:{number} is not an anchor ({error})") from None
    return anchors


def anchors_write(heads: Iterable[tuple[int, int, str]], path: Path | None = None,
                  now: datetime.datetime | None = None) -> Path | None:
    """Append (chain, sequence, mac) heads as anchors; returns the file written, None if none were."""
    path = path or anchors_path()
    at = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    lines = [json.dumps({"chain": chain, "sequence": sequence, "mac": mac,
                         "at": at.isoformat(timespec="seconds").replace("+00:00", "Z")}) + "\n"
             for chain, sequence, mac in heads if sequence > 0]
    if not lines:
        return None
    if _is_file(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.writelines(lines)
            file.flush()
            os.fsync(file.fileno())
        return path
    path.mkdir(parents=True, exist_ok=True)
    name = f"anchors-{at.strftime('%Y%m%dT%H%M%S.%fZ')}.jsonl"
    target = path / name
    with target.open("x", encoding="utf-8") as file:  # "x": an existing file is never rewritten
        file.writelines(lines)
        file.flush()
        os.fsync(file.fileno())
    target.chmod(0o444)
    return target
