"""Correcting what the case record says about a person on it: her details, other names she is or was
known by, and how to reach her safely.

A person may be on several cases, but each change is made through one case: the actor's right to
make it comes from that case (need-to-know is granted per case), and its timeline and access log
say who made it. Her details and the people on the case are corrected by the lead agency and the
agencies it allows to (an involvement's `may_correct_details`); her contact details by those who hold
her protected information. Like every case service, each takes the access decision before it writes,
checks it, runs in one transaction and writes its timeline event itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from concord import policy
from concord.concurrency import lock_current
from concord.people.details import PERSON_FIELDS, ContactDetails, PersonDetails
from concord.people.models import ContactPoint, Person, PersonAlias
from concord.people.services import alias_create, contact_point_create
from concord.policy import AccessDecision, Action, Actor

from . import vocabularies as v
from .events import record_event
from .models import Case
from .services import _decided


def _require_on_case(case: Case, person: Person) -> None:
    if not policy.people_on_case(case).filter(pk=person.pk).exists():
        raise Http404("No such person.")


def _require_may_correct(actor: Actor, case: Case, person: Person) -> AccessDecision:
    """The lead agency, and agencies it allows to, correct the people on the case; an agency working
    with the person causing harm never changes her own details or names: it has no reason to, and a
    changed name or date of birth can hide her record from the workers who protect her."""
    access = _decided(actor, case)
    _require_on_case(case, person)
    if person.pk == case.survivor_id and actor.agency.is_perpetrator_facing:
        raise PermissionDenied(_("Agencies working with the person causing harm cannot change her details."))
    policy.require(access, Action.CORRECT_DETAILS)
    return access


def _require_protected(actor: Actor, case: Case) -> AccessDecision:
    access = _decided(actor, case)
    if not access.may(Action.RECORD_PROTECTED):
        raise PermissionDenied(_("Your agency does not hold her protected information."))
    return access


def _changed_fields(person: Person, details: PersonDetails) -> list[str]:
    return [name for name in PERSON_FIELDS if getattr(person, name) != getattr(details, name)]


@transaction.atomic
def person_update(*, actor: Actor, case: Case, person: Person, expected_version: int,
                  details: PersonDetails) -> Person:
    """Correct a person's own details (names, age, gender, demographics, language), for anyone who
    may contribute to the case: `details` are the person's full new details (to change a few, the
    caller builds them with `dataclasses.replace(PersonDetails.of(person), ...)`). Refuses
    (StaleEdit) if the person was saved since `expected_version`. Saving nothing new writes nothing."""
    access = _require_may_correct(actor, case, person)
    current = lock_current(Person, person.pk, expected_version)
    changed = _changed_fields(current, details)
    if not changed:
        return current
    for name in changed:
        setattr(current, name, getattr(details, name))
    if "estimated_age" in changed:
        current.estimated_age_on = None  # a new estimate is made today (Person.save dates it)
    current.full_clean(exclude=["name_key"])
    current.version += 1
    current.save()
    # Which fields, never their values: the timeline is read by every agency on the case.
    record_event(access=access, kind=v.CaseEventKind.PERSON_UPDATED, object_id=current.pk,
                 params={"person": current.full_name, "person_id": current.pk, "fields": changed}, fields=changed)
    return current


@transaction.atomic
def alias_add(*, actor: Actor, case: Case, person: Person, name: str, kind: str) -> PersonAlias:
    """Another name she is known by, or a previous name (she may have changed it to be safe): found
    by search like her own name."""
    access = _require_may_correct(actor, case, person)
    alias = alias_create(person=person, name=name, kind=kind)
    # Not the name itself: a previous name can be the one the person causing harm knows her by.
    record_event(access=access, kind=v.CaseEventKind.PERSON_UPDATED, object_id=person.pk,
                 params={"person": person.full_name, "person_id": person.pk, "alias_kind": alias.kind},
                 fields=["aliases"])
    return alias


@transaction.atomic
def contact_point_add(*, actor: Actor, case: Case, person: Person, details: ContactDetails) -> ContactPoint:
    """A number or e-mail address to reach a person on this case, recorded on this case: only for
    an agency that holds her protected information here (the decision's record_protected action)."""
    access = _require_protected(actor, case)
    _require_on_case(case, person)
    point = contact_point_create(person=person, case=case, details=details)
    # Neither the value nor its kind: "a mobile was added" already tells a reader something.
    record_event(access=access, kind=v.CaseEventKind.CONTACT_RECORDED, object_id=point.pk,
                 fields=["kind", "value", "safe_to_use", "note"])
    return point


@transaction.atomic
def contact_point_mark(*, actor: Actor, case: Case, contact_point: ContactPoint, safe_to_use: bool,
                       note: str = "") -> ContactPoint:
    """Record whether she says a channel is safe to contact her on ("NOT safe: he has access to this
    phone"). The note says why and replaces the one before, which was about the earlier answer; marking
    a channel safe again after it was marked not safe needs one."""
    access = _require_protected(actor, case)
    if contact_point.case_id != case.pk:
        raise Http404("No such contact point.")
    current = ContactPoint.objects.select_for_update().get(pk=contact_point.pk)
    if current.safe_to_use is False and safe_to_use and not note.strip():
        # Un-flagging a number he can read is the dangerous direction: never without a reason.
        raise ValidationError({"note": _("Write why it is safe to use again (what she told you, and when).")})
    current.safe_to_use, current.note = safe_to_use, note.strip()
    current.full_clean(exclude=["person", "case", "search_index"])
    current.save()
    record_event(access=access, kind=v.CaseEventKind.CONTACT_UPDATED, object_id=current.pk,
                 fields=["safe_to_use", "note"])
    return current
