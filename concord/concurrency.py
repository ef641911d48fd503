"""Optimistic concurrency: an edit made from a stale form is refused, never silently applied.

Every editable record carries a `version`. A form sends back the version it was drawn from; the
service locks the row, compares, and either saves with version + 1 or raises StaleEdit listing
what someone else changed in the meantime, read from the record's change history (fields and
tracked many-to-many fields; a list of codes such as an incident's violence types is shown as labels).
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


def display_value(instance: Any, field: models.Field, code_lists: dict, names: dict | None = None) -> str:
    """A field's value as a reader reads it: choices as labels, code lists as labels, ids as names."""
    value = getattr(instance, field.attname)
    if names is not None and field.is_relation:
        return "" if value is None else names.get(value, str(value))
    if field.name in code_lists:
        return _choice_labels([code for code in (value or "").split(",") if code], dict(code_lists[field.name].choices))
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def changes_since(current: models.Model, version: int) -> tuple[list[FieldChange], str]:
    """What differs between the record at `version` (from its history) and now: its fields and the
    many-to-many fields its history tracks."""
    history = current.history  # type: ignore[attr-defined]
    then = history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = history.order_by("-history_date", "-history_id").first()
    changed_by = str(latest.history_user) if latest and latest.history_user else str(_("another user"))
    changes = []
    if then is not None:
        changes += _field_changes(then, current) + _many_to_many_changes(then, current)
    return changes, changed_by


def _field_changes(then: Any, current: models.Model) -> list[FieldChange]:
    code_lists = getattr(type(current), "code_lists", {})
    changes = []
    for field in current._meta.concrete_fields:
        if field.name in {"version", "updated_at", "id"} or not hasattr(then, field.attname):
            continue
        before, after = display_value(then, field, code_lists), display_value(current, field, code_lists)
        if before != after:
            changes.append(FieldChange(field.name, str(field.verbose_name).capitalize(), before, after))
    return changes


def _many_to_many_changes(then: Any, current: models.Model) -> list[FieldChange]:
    """Many-to-many fields the history tracks (`m2m_fields`), e.g. an incident's persons causing harm."""
    changes = []
    for field in getattr(then, "_history_m2m_fields", ()):
        before = set(getattr(then, field.name).values_list(field.m2m_reverse_field_name(), flat=True))
        after = set(getattr(current, field.name).values_list("pk", flat=True))
        if before != after:
            names = {row.pk: str(row) for row in field.related_model._default_manager.filter(pk__in=before | after)}
            changes.append(FieldChange(field.name, str(field.verbose_name).capitalize(),
                                       ", ".join(sorted(names.get(pk, "?") for pk in before)),
                                       ", ".join(sorted(names.get(pk, "?") for pk in after))))
    return changes


def _choice_labels(codes: list[str], choices: dict) -> str:
    """In the vocabulary's order, as the form lists them."""
    order = {code: index for index, code in enumerate(choices)}
    return ", ".join(str(choices.get(code, code)) for code in sorted(codes, key=lambda c: order.get(c, len(order))))


def lock_current(model: type[models.Model], pk: int, expected_version: int | None) -> Any:
    """Lock the row for this transaction and make sure nobody saved it since `expected_version`."""
    current: Any = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        changes, changed_by = changes_since(current, expected_version)
        raise StaleEdit(instance=current, changes=changes, changed_by=changed_by)
    return current
