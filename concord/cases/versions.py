"""Every edit of an incident or a need keeps its version (django-simple-history); this reads them back
as "edited by … for … on …" with what was before and after, for those who may see the facet."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from concord.concurrency import FieldChange, display_value

from .models import CaseEvent

# Bookkeeping, not content.
_NOT_SHOWN = {"id", "version", "updated_at", "recorded_at", "recorded_by", "recorded_for", "case"}


@dataclass(frozen=True)
class Edit:
    version: int
    when: datetime.datetime
    by: str
    agency: str
    correction_reason: str
    changes: list[FieldChange]


def edits_of(model: type[models.Model], records: Iterable[Any], *, events: Iterable[CaseEvent], edit_kind: str,
             hidden: Iterable[str] = (), names: dict[str, dict[Any, str]] | None = None) -> dict[int, list[Edit]]:
    """The edits of these records, oldest first, by record id. One query, for records edited at least once.

    `events` are the case's timeline events (already read for the timeline): each edit event says which
    agency made the edit. `hidden` fields are left out (an incident's narrative for a reader without
    the narratives facet); `names` shows ids as names (an agency's)."""
    edited = [record.pk for record in records if record.version > 1]
    if not edited:
        return {}
    hidden = set(hidden) | _NOT_SHOWN
    fields = [f for f in model._meta.concrete_fields if f.name not in hidden]
    agencies = {(event.params.get("incident_id") or event.params.get("need_id"), event.params.get("version")):
                event for event in events if event.kind == edit_kind}
    rows: dict[int, list[Any]] = defaultdict(list)
    history = model.history.filter(id__in=edited).select_related("history_user").order_by("id", "version",  # type: ignore[attr-defined]
                                                                                             "history_date")
    for row in history:
        rows[row.id].append(row)
    names = names or {}
    code_lists = getattr(model, "code_lists", {})
    result: dict[int, list[Edit]] = {}
    for record_id, versions in rows.items():
        edits = []
        for before, after in zip(versions, versions[1:], strict=False):
            changes = []
            for field in fields:
                old = display_value(before, field, code_lists, names.get(field.name))
                new = display_value(after, field, code_lists, names.get(field.name))
                if old != new:
                    changes.append(FieldChange(field.name, str(field.verbose_name).capitalize(), old, new))
            event = agencies.get((record_id, after.version))
            edits.append(Edit(version=after.version, when=after.history_date,
                              by=str(after.history_user) if after.history_user else "",
                              agency=event.agency.name if event is not None and event.agency else "",
                              correction_reason=after.history_change_reason or "", changes=changes))
        result[record_id] = edits
    return result
