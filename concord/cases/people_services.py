"""Correcting what the case record says about a person on it: her details, other names she is or was
known by, and how to reach her safely.

A person may be on several cases, but each change is made through one case: the actor's right to
make it comes from that case (need-to-know is granted per case), and its timeline and access log
say who made it. Like every case service, each checks the access rule, runs in one transaction and
writes its timeline event itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from concord import policy
from concord.concurrency import lock_current
from concord.people.models import ContactPoint, Person, PersonAlias
from concord.people.services import PERSON_FIELDS, alias_create, contact_point_create
from concord.policy import Actor

from . import vocabularies as v
from .models import Case
from .services import _require, record_event


def _require_on_case(case: Case, person: Person) -> None:
    if not policy.people_on_case(case).filter(pk=person.pk).exists():
        raise Http404("No such person.")


def _require_may_correct(actor: Actor, case: Case, person: Person) -> None:
    """Any agency that may contribute to the case corrects the people on it, except that an agency
    working with the person causing harm never changes her own details or names: it has no reason to,
    and a changed name or date of birth can hide her record from the workers who protect her."""
    _require(policy.can_contribute(actor, case))
    _require_on_case(case, person)
    if person.pk == case.survivor_id and not policy.can_correct_survivor(actor, case):
        raise PermissionDenied(_("Agencies working with the person causing harm cannot change her details."))


def _require_protected(actor: Actor, case: Case) -> None:
    if not policy.can_see_protected(actor, case):
        raise PermissionDenied(_("Your agency does not hold her protected information."))


def _changed_fields(person: Person, details: Mapping[str, Any]) -> list[str]:
    return [name for name in PERSON_FIELDS if name in details and getattr(person, name) != details[name]]


@transaction.atomic
def person_update(*, actor: Actor, case: Case, person: Person, expected_version: int,
                  details: Mapping[str, Any]) -> Person:
    """Correct a person's own details (names, age, gender, demographics, language), for anyone who
    may contribute to the case. Refuses (StaleEdit) if the person was saved since `expected_version`.
    Saving nothing new writes nothing."""
    _require_may_correct(actor, case, person)
    current = lock_current(Person, person.pk, expected_version)
    changed = _changed_fields(current, details)
    if not changed:
        return current
    for name in changed:
        setattr(current, name, details[name])
    if "estimated_age" in changed:
        current.estimated_age_on = None  # a new estimate is made today (Person.save dates it)
    current.full_clean(exclude=["name_key"])
    current.version += 1
    current.save()
    labels = ", ".join(str(Person._meta.get_field(name).verbose_name) for name in changed)
    # Which fields, never their values: the timeline is read by every agency on the case.
    record_event(actor=actor, case=case, kind=v.CaseEventKind.PERSON_UPDATED,
                 summary=_("%(person)s: %(fields)s") % {"person": current.full_name, "fields": labels},
                 object_id=current.pk, fields=changed)
    return current


@transaction.atomic
def alias_add(*, actor: Actor, case: Case, person: Person, name: str, kind: str) -> PersonAlias:
    """Another name she is known by, or a previous name (she may have changed it to be safe): found
    by search like her own name."""
    _require_may_correct(actor, case, person)
    alias = alias_create(person=person, name=name, kind=kind)
    # Not the name itself: a previous name can be the one the person causing harm knows her by.
    record_event(actor=actor, case=case, kind=v.CaseEventKind.PERSON_UPDATED,
                 summary=_("%(person)s: another name added (%(kind)s)")
                 % {"person": person.full_name, "kind": alias.get_kind_display()}, object_id=person.pk,
                 fields=["aliases"])
    return alias


@transaction.atomic
def contact_point_add(*, actor: Actor, case: Case, person: Person, details: Mapping[str, Any]) -> ContactPoint:
    """A number or e-mail address to reach a person on this case, recorded on this case: only for
    an agency that holds her protected information here (concord.policy.can_see_protected)."""
    _require_protected(actor, case)
    _require_on_case(case, person)
    point = contact_point_create(person=person, case=case, details=details)
    # Neither the value nor its kind: "a mobile was added" already tells a reader something.
    record_event(actor=actor, case=case, kind=v.CaseEventKind.CONTACT_RECORDED,
                 summary=_("Contact details updated"), object_id=point.pk,
                 fields=["kind", "value", "safe_to_use", "note"])
    return point


@transaction.atomic
def contact_point_mark(*, actor: Actor, case: Case, contact_point: ContactPoint, safe_to_use: bool,
                       note: str = "") -> ContactPoint:
    """Record whether she says a channel is safe to contact her on ("NOT safe: he has access to this
    phone"). The note says why and replaces the one before, which was about the earlier answer."""
    _require_protected(actor, case)
    if contact_point.case_id != case.pk:
        raise Http404("No such contact point.")
    current = ContactPoint.objects.select_for_update().get(pk=contact_point.pk)
    current.safe_to_use, current.note = safe_to_use, note.strip()
    current.full_clean(exclude=["person", "case", "search_index"])
    current.save()
    record_event(actor=actor, case=case, kind=v.CaseEventKind.CONTACT_UPDATED,
                 summary=_("Contact details updated"), object_id=current.pk, fields=["safe_to_use", "note"])
    return current
