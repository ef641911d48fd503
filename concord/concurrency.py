"""Optimistic concurrency: an edit made from a stale form is refused, never silently applied.

Every editable record carries a `version`. A form sends back the version it was drawn from; the
service locks the row, compares, and either saves with version + 1 or raises StaleEdit listing
what someone else changed in the meantime: its fields from the record's change history, and details
held in other tables (an incident's violence types) from what was put aside at each version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

# Details of a record held as rows of another table, which its change history does not keep (an
# incident's violence types): model → (relation, column holding a choice, label).
RELATED_CHOICES: dict[str, list[tuple[str, str, Any]]] = {
    "cases.incident": [("violence_types", "violence_type", _("violence types"))],
}
# How long those details are kept for each version: longer than a session (12 hours at most) can
# hold a form open, so any stale form from the browser finds the version it was drawn from.
RELATED_SNAPSHOT_SECONDS = 24 * 60 * 60


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
    """What differs between the record at `version` and now: its fields and many-to-many fields
    from its history, and its related details from what was put aside at that version."""
    history = current.history  # type: ignore[attr-defined]
    then = history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = history.order_by("-history_date", "-history_id").first()
    changed_by = str(latest.history_user) if latest and latest.history_user else str(_("another user"))
    changes = []
    if then is not None:
        changes += _field_changes(then, current) + _many_to_many_changes(then, current)
    changes += _related_choice_changes(current, version)
    return changes, changed_by


def _field_changes(then: Any, current: models.Model) -> list[FieldChange]:
    changes = []
    for field in current._meta.concrete_fields:
        if field.name in {"version", "updated_at", "id"} or not hasattr(then, field.attname):
            continue
        before, after = _display(then, field), _display(current, field)
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


def _snapshot_key(instance: models.Model, version: int) -> str:
    return f"concurrency:{instance._meta.label_lower}:{instance.pk}:v{version}"


def _related_codes(instance: models.Model) -> dict[str, list[str]]:
    return {relation: sorted(getattr(instance, relation).values_list(column, flat=True))
            for relation, column, _label in RELATED_CHOICES.get(instance._meta.label_lower, [])}


def _remember_related(instance: Any) -> None:
    """Put aside the related details as they stand at this version. Called once the row is locked
    with the version a service expects, i.e. just before an edit that moves it on: a later edit
    from a form drawn at this version will find them. They are language-neutral codes."""
    codes = _related_codes(instance)
    if codes:
        cache.add(_snapshot_key(instance, instance.version), codes, RELATED_SNAPSHOT_SECONDS)


def _related_choice_changes(current: models.Model, version: int) -> list[FieldChange]:
    then = cache.get(_snapshot_key(current, version))
    if then is None:  # nothing put aside (an edit from before this was kept, or expired): say less
        return []
    now = _related_codes(current)
    changes = []
    for relation, column, label in RELATED_CHOICES.get(current._meta.label_lower, []):
        if relation in then and sorted(then[relation]) != now[relation]:
            choices = dict(getattr(current, relation).model._meta.get_field(column).flatchoices)
            changes.append(FieldChange(relation, str(label).capitalize(),
                                       _choice_labels(then[relation], choices), _choice_labels(now[relation], choices)))
    return changes


def _choice_labels(codes: list[str], choices: dict) -> str:
    """In the vocabulary's order, as the form lists them."""
    order = {code: index for index, code in enumerate(choices)}
    return ", ".join(str(choices.get(code, code)) for code in sorted(codes, key=lambda c: order.get(c, len(order))))


def lock_current(model: type[models.Model], pk: int, expected_version: int | None) -> Any:
    """Lock the row for this transaction and make sure nobody saved it since `expected_version`."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        changes, changed_by = changes_since(current, expected_version)
        raise StaleEdit(instance=current, changes=changes, changed_by=changed_by)
    _remember_related(current)
    return current
