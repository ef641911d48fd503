"""Optimistic concurrency: an edit made from a stale form is refused, never silently applied.

Every editable record carries a `version`. A form sends back the version it was drawn from; the
service locks the row, compares, and either saves with version + 1 or raises StaleEdit listing
what someone else changed in the meantime (read from the record's change history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


class StaleEdit(Exception):
    """Someone saved this record after the form was opened."""

    def __init__(self, *, instance: models.Model, changes: list[FieldChange], changed_by: str):
        self.instance = instance
        self.changes = changes
        self.changed_by = changed_by
        super().__init__(str(_("This record was changed by someone else after you opened it.")))


def _display(instance: Any, field: models.Field) -> str:
    value = getattr(instance, field.attname)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def changes_since(current: models.Model, version: int) -> tuple[list[FieldChange], str]:
    """Fields that differ between the record at `version` (from its history) and now."""
    history = current.history  # type: ignore[attr-defined]
    then = history.filter(version=version).order_by("-history_date").first()
    latest = history.order_by("-history_date").first()
    changed_by = str(latest.history_user) if latest and latest.history_user else str(_("another user"))
    if then is None:
        return [], changed_by
    changes = []
    for field in current._meta.concrete_fields:
        if field.name in {"version", "updated_at", "id"} or not hasattr(then, field.attname):
            continue
        before, after = _display(then, field), _display(current, field)
        if before != after:
            changes.append(FieldChange(field.name, str(field.verbose_name).capitalize(), before, after))
    return changes, changed_by


def lock_current(model: type[models.Model], pk: int, expected_version: int | None) -> Any:
    """Lock the row for this transaction and make sure nobody saved it since `expected_version`."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        changes, changed_by = changes_since(current, expected_version)
        raise StaleEdit(instance=current, changes=changes, changed_by=changed_by)
    return current
