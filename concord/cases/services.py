"""Writes to the case record. Each service checks the access rule, runs in one transaction,
and writes the timeline event itself, so the UI, the API and background jobs behave the same."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Agency, Area, User
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case
from concord.cases.selectors import named_as_causing_harm
from concord.concurrency import lock_current
from concord.people.models import Person, ProtectedLocation
from concord.people.services import contact_point_create, person_create
from concord.policy import Actor

from . import vocabularies as v
from .models import (
    Case,
    CaseAgency,
    CaseEvent,
    CaseParticipant,
    ConflictOfInterest,
    Incident,
    IncidentViolence,
    Need,
    RestrictedCaseMember,
)

INCIDENT_FIELDS = (
    "occurred_on", "occurred_at_time", "place_type", "injuries", "weapon_used", "strangulation",
    "children_present", "police_attended", "reporting_agency", "narrative",
)
NEED_FIELDS = ("in_her_words", "category", "priority", "status")


# What each timeline event is, for the access log: (action, object type).
_AUDIT_OF_EVENT = {
    v.CaseEventKind.OPENED: (AuditAction.CREATE, ObjectType.CASE),
    v.CaseEventKind.AGENCY_INVOLVED: (AuditAction.CREATE, ObjectType.INVOLVEMENT),
    v.CaseEventKind.AGENCY_ENDED: (AuditAction.UPDATE, ObjectType.INVOLVEMENT),
    v.CaseEventKind.LEAD_CHANGED: (AuditAction.UPDATE, ObjectType.CASE),
    v.CaseEventKind.PARTICIPANT_ADDED: (AuditAction.CREATE, ObjectType.PARTICIPANT),
    v.CaseEventKind.INCIDENT_RECORDED: (AuditAction.CREATE, ObjectType.INCIDENT),
    v.CaseEventKind.INCIDENT_EDITED: (AuditAction.UPDATE, ObjectType.INCIDENT),
    v.CaseEventKind.NEED_RECORDED: (AuditAction.CREATE, ObjectType.NEED),
    v.CaseEventKind.NEED_UPDATED: (AuditAction.UPDATE, ObjectType.NEED),
    v.CaseEventKind.CLOSED: (AuditAction.UPDATE, ObjectType.CASE),
    v.CaseEventKind.REOPENED: (AuditAction.UPDATE, ObjectType.CASE),
    v.CaseEventKind.CONSENT_RECORDED: (AuditAction.CREATE, ObjectType.CONSENT),
    v.CaseEventKind.OVERRIDE_GRANTED: (AuditAction.CREATE, ObjectType.OVERRIDE),
    v.CaseEventKind.OVERRIDE_ENDED: (AuditAction.UPDATE, ObjectType.OVERRIDE),
    v.CaseEventKind.PROTECTED_GRANTED: (AuditAction.CREATE, ObjectType.PROTECTED),
    v.CaseEventKind.PROTECTED_ENDED: (AuditAction.UPDATE, ObjectType.PROTECTED),
    v.CaseEventKind.RESTRICTION_CHANGED: (AuditAction.UPDATE, ObjectType.CASE),
    v.CaseEventKind.CONFLICT_DECLARED: (AuditAction.UPDATE, ObjectType.CASE),
    v.CaseEventKind.LOCATION_RECORDED: (AuditAction.CREATE, ObjectType.PROTECTED),
    v.CaseEventKind.PERSON_UPDATED: (AuditAction.UPDATE, ObjectType.PERSON),
    v.CaseEventKind.CONTACT_RECORDED: (AuditAction.CREATE, ObjectType.PROTECTED),
    v.CaseEventKind.CONTACT_UPDATED: (AuditAction.UPDATE, ObjectType.PROTECTED),
}


def record_event(*, actor: Actor, case: Case, kind: str, summary: str = "", object_id: Any = None,
                 fields: Iterable[str] = ()) -> CaseEvent:
    """What an agency just did: the timeline entry and the access-log entry, in the caller's
    transaction; also marks the case as recently updated."""
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    event = CaseEvent.objects.create(case=case, kind=kind, summary=summary[:300], actor=actor.user,
                                     agency=actor.agency)
    action, object_type = _AUDIT_OF_EVENT[kind]
    access_log_case(actor=actor, case=case, action=action, object_type=object_type,
                    object_id=object_id if object_id is not None else case.pk, fields=fields)
    return event


def _require(allowed: bool) -> None:
    # Callers have already fetched the case through the policy, so "no" here means the actor may
    # see the case but not do this to it.
    if not allowed:
        raise PermissionDenied(_("Your agency cannot make this change on this case."))


def next_case_reference(area: Area) -> str:
    """AREA-YEAR-NNNNN, numbered per area. Locks the area's counter until the transaction ends."""
    locked = Area.objects.select_for_update().get(pk=area.pk)
    number = locked.next_case_number
    Area.objects.filter(pk=area.pk).update(next_case_number=number + 1)
    year = timezone.localdate(timezone=zoneinfo.ZoneInfo(locked.time_zone)).year
    return f"{locked.code.upper()}-{year}-{number:05d}"


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    survivor: Person | None = None,
    survivor_details: Mapping[str, Any] | None = None,
    aliases: Iterable[str] = (),
    previous_names: Iterable[str] = (),
    contact_points: Iterable[Mapping[str, Any]] = (),
    first_incident: Mapping[str, Any] | None = None,
    needs: Iterable[Mapping[str, Any]] = (),
    persons_causing_harm: Iterable[Mapping[str, Any]] = (),
) -> Case:
    """Intake: open a case with the actor's agency as lead. All of it is saved, or none of it."""
    if not actor.does_casework:
        raise PermissionDenied(_("Only casework roles can open cases."))
    area = actor.area
    if survivor is None:
        if not survivor_details:
            raise ValidationError(_("Tell us who the survivor is."))
        survivor = person_create(area=area, details=survivor_details, aliases=aliases,
                                 previous_names=previous_names)
    elif survivor.area_id != area.pk or not policy.people_visible_to(actor).filter(pk=survivor.pk).exists():
        raise Http404("No such person.")
    elif Person.objects.filter(pk=survivor.pk).filter(named_as_causing_harm()).exists():
        raise ValidationError({"existing_person": _("This person is recorded as causing harm on a case; "
                                                    "record her as a new person.")})
    case = Case.objects.create(area=area, reference=next_case_reference(area), survivor=survivor,
                               lead_agency=actor.agency, created_by=actor.user)
    record_event(actor=actor, case=case, kind=v.CaseEventKind.OPENED,
                 summary=_("Opened by %(agency)s") % {"agency": actor.agency.name})
    # Recorded on this case, where her lead agency holds them; never carried over from another case.
    points = [contact_point_create(person=survivor, case=case, details=contact)
              for contact in contact_points if contact.get("value")]
    if points:
        access_log_case(actor=actor, case=case, action=AuditAction.CREATE, object_type=ObjectType.PROTECTED,
                        object_id=case.pk, fields=["contact_points"])
    harmers = [
        participant_add(actor=actor, case=case, role=v.ParticipantRole.PERSON_CAUSING_HARM,
                        details=details, relationship=details.get("relationship", v.Relationship.UNKNOWN)).person
        for details in persons_causing_harm
    ]
    if first_incident:
        incident_record(actor=actor, case=case, details=first_incident,
                        persons_causing_harm=first_incident.get("persons_causing_harm") or harmers)
    for need in needs:
        need_record(actor=actor, case=case, details=need)
    return case


@transaction.atomic
def participant_add(*, actor: Actor, case: Case, role: str, details: Mapping[str, Any] | None = None,
                    person: Person | None = None, relationship: str = v.Relationship.UNKNOWN) -> CaseParticipant:
    _require(policy.can_contribute(actor, case))
    if person is None:
        person = person_create(area=case.area, details={k: val for k, val in (details or {}).items()
                                                        if k != "relationship"})
    participant = CaseParticipant.objects.create(case=case, person=person, role=role, relationship=relationship)
    record_event(actor=actor, case=case, kind=v.CaseEventKind.PARTICIPANT_ADDED,
                 summary=f"{participant.get_role_display()}: {person.full_name}", object_id=participant.pk)
    return participant


def _check_incident_people(case: Case, people: Iterable[Person]) -> list[Person]:
    people = list(people)
    on_case = set(case.participants.filter(role=v.ParticipantRole.PERSON_CAUSING_HARM)
                  .values_list("person_id", flat=True))
    if any(p.pk not in on_case for p in people):
        raise ValidationError({"persons_causing_harm": _("Add the person to the case before naming them here.")})
    return people


def _checked_violence_types(codes: Iterable[str]) -> list[str]:
    """Known codes, at least one, in the vocabulary's order (the GBVIMS core types first)."""
    codes = set(codes)
    if not codes:
        raise ValidationError({"violence_types": _("Choose at least one type of violence or abuse.")})
    unknown = codes - set(v.ViolenceType.values)
    if unknown:
        raise ValidationError({"violence_types": _("Unknown type: %(types)s") % {"types": ", ".join(sorted(unknown))}})
    return v.violence_types_in_order(codes)


def _write_violence_types(incident: Incident, codes: list[str]) -> None:
    incident.violence_types.all().delete()
    IncidentViolence.objects.bulk_create(IncidentViolence(incident=incident, violence_type=c) for c in codes)


def _check_reporting_agency(case: Case, agency: Agency | None) -> None:
    if agency is not None and agency.area_id != case.area_id:
        raise ValidationError({"reporting_agency": _("Choose an agency of this area.")})


@transaction.atomic
def incident_record(*, actor: Actor, case: Case, details: Mapping[str, Any],
                    persons_causing_harm: Iterable[Person] = ()) -> Incident:
    _require(policy.can_contribute(actor, case))
    fields = {name: details[name] for name in INCIDENT_FIELDS if name in details}
    _check_reporting_agency(case, fields.get("reporting_agency"))
    codes = _checked_violence_types(details.get("violence_types", ()))
    incident = Incident(case=case, recorded_by=actor.user, recorded_for=actor.agency,
                        violence_type_list=",".join(codes), **fields)
    incident.full_clean(exclude=["persons_causing_harm"])
    incident.save()
    _write_violence_types(incident, codes)
    incident.persons_causing_harm.set(_check_incident_people(case, persons_causing_harm))
    record_event(actor=actor, case=case, kind=v.CaseEventKind.INCIDENT_RECORDED,
                 summary=", ".join(incident.violence_type_labels), object_id=incident.pk, fields=details.keys())
    return incident


@transaction.atomic
def incident_update(*, actor: Actor, incident: Incident, expected_version: int, details: Mapping[str, Any],
                    persons_causing_harm: Iterable[Person] | None = None) -> Incident:
    """Refuses (StaleEdit) if the incident was saved by anyone since `expected_version`."""
    _require(policy.can_contribute(actor, incident.case))
    current = lock_current(Incident, incident.pk, expected_version)
    for name in INCIDENT_FIELDS:
        if name in details:
            setattr(current, name, details[name])
    _check_reporting_agency(current.case, current.reporting_agency)
    codes = _checked_violence_types(details["violence_types"]) if "violence_types" in details else None
    if codes is not None:
        current.violence_type_list = ",".join(codes)
    current.full_clean(exclude=["persons_causing_harm"])
    current.version += 1
    current.save()
    if codes is not None:
        _write_violence_types(current, codes)
    if persons_causing_harm is not None:
        current.persons_causing_harm.set(_check_incident_people(current.case, persons_causing_harm))
    record_event(actor=actor, case=current.case, kind=v.CaseEventKind.INCIDENT_EDITED,
                 summary=_("Incident of %(date)s edited") % {"date": current.occurred_on.isoformat()},
                 object_id=current.pk, fields=details.keys())
    return current


@transaction.atomic
def need_record(*, actor: Actor, case: Case, details: Mapping[str, Any]) -> Need:
    _require(policy.can_contribute(actor, case))
    need = Need(case=case, recorded_by=actor.user, recorded_for=actor.agency,
                **{name: details[name] for name in NEED_FIELDS if name in details})
    need.full_clean()
    need.save()
    record_event(actor=actor, case=case, kind=v.CaseEventKind.NEED_RECORDED,
                 summary=f"{need.get_category_display()} ({need.get_priority_display()})", object_id=need.pk,
                 fields=details.keys())
    return need


@transaction.atomic
def need_update(*, actor: Actor, need: Need, expected_version: int, details: Mapping[str, Any]) -> Need:
    _require(policy.can_contribute(actor, need.case))
    current = lock_current(Need, need.pk, expected_version)
    old_status = current.get_status_display()
    for name in NEED_FIELDS:
        if name in details:
            setattr(current, name, details[name])
    current.full_clean()
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    summary = f"{current.get_category_display()}: {current.get_status_display()}"
    if old_status != current.get_status_display():
        summary = f"{current.get_category_display()}: {old_status} → {current.get_status_display()}"
    record_event(actor=actor, case=current.case, kind=v.CaseEventKind.NEED_UPDATED, summary=summary,
                 object_id=current.pk, fields=details.keys())
    return current


@transaction.atomic
def agency_involve(*, actor: Actor, case: Case, agency: Agency, reason: str = "") -> CaseAgency:
    _require(policy.can_manage(actor, case))
    if agency.area_id != case.area_id or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active agency of this area.")})
    if agency.pk == case.lead_agency_id or case.involvements.filter(agency=agency, ended_at__isnull=True).exists():
        raise ValidationError({"agency": _("%(agency)s is already on this case.") % {"agency": agency.name}})
    involvement = CaseAgency.objects.create(case=case, agency=agency, reason=reason, added_by=actor.user)
    record_event(actor=actor, case=case, kind=v.CaseEventKind.AGENCY_INVOLVED, summary=agency.name,
                 object_id=involvement.pk)
    return involvement


@transaction.atomic
def agency_end_involvement(*, actor: Actor, involvement: CaseAgency) -> CaseAgency:
    _require(policy.can_manage(actor, involvement.case))
    if involvement.ended_at is None:
        involvement.ended_at = timezone.now()
        involvement.ended_by = actor.user
        involvement.save()
        record_event(actor=actor, case=involvement.case, kind=v.CaseEventKind.AGENCY_ENDED,
                     summary=involvement.agency.name, object_id=involvement.pk)
    return involvement


@transaction.atomic
def case_close(*, actor: Actor, case: Case, expected_version: int, reason: str, note: str = "") -> Case:
    _require(policy.can_manage(actor, case))
    if reason not in v.ClosureReason.values:
        raise ValidationError({"closure_reason": _("Choose why support is ending.")})
    current = lock_current(Case, case.pk, expected_version)
    if not current.is_open:
        raise ValidationError({"status": _("This case is already closed.")})
    current.status, current.closure_reason, current.closure_note = v.CaseStatus.CLOSED, reason, note
    current.closed_at = current.updated_at = timezone.now()
    current.version += 1
    current.save()
    record_event(actor=actor, case=current, kind=v.CaseEventKind.CLOSED, summary=current.get_closure_reason_display())
    return current


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, expected_version: int) -> Case:
    _require(policy.can_manage(actor, case))
    current = lock_current(Case, case.pk, expected_version)
    if current.is_open:
        raise ValidationError({"status": _("This case is already open.")})
    current.status, current.closure_reason, current.closure_note, current.closed_at = v.CaseStatus.OPEN, "", "", None
    current.updated_at = timezone.now()
    current.version += 1
    current.save()
    record_event(actor=actor, case=current, kind=v.CaseEventKind.REOPENED)
    return current


@transaction.atomic
def case_restrict(*, actor: Actor, case: Case, named_users: Iterable[User]) -> Case:
    """Only the named staff (and the one restricting it) will see the case, whatever their agency's
    involvement: for when she or the person causing harm works in a partner agency or is known to staff."""
    _require(policy.can_manage(actor, case))
    names = {user.pk: user for user in named_users} | {actor.user.pk: actor.user}
    for user in names.values():
        RestrictedCaseMember.objects.get_or_create(case=case, user=user, removed_at=None,
                                                   defaults={"added_by": actor.user})
    if not case.is_restricted:
        Case.objects.filter(pk=case.pk).update(is_restricted=True)
        case.is_restricted = True
    record_event(actor=actor, case=case, kind=v.CaseEventKind.RESTRICTION_CHANGED,
                 summary=_("Restricted to %(count)s named staff") % {"count": len(names)})
    return case


@transaction.atomic
def case_unrestrict(*, actor: Actor, case: Case) -> Case:
    _require(policy.can_manage(actor, case))
    Case.objects.filter(pk=case.pk).update(is_restricted=False)
    case.is_restricted = False
    record_event(actor=actor, case=case, kind=v.CaseEventKind.RESTRICTION_CHANGED,
                 summary=_("Restriction lifted"))
    return case


@transaction.atomic
def conflict_declare(*, actor: Actor, case: Case, reason: str = "") -> ConflictOfInterest:
    """From the next request on, this member of staff no longer sees the case."""
    conflict, _created = ConflictOfInterest.objects.get_or_create(case=case, user=actor.user,
                                                                  defaults={"reason": reason[:300]})
    record_event(actor=actor, case=case, kind=v.CaseEventKind.CONFLICT_DECLARED, summary=str(actor.user))
    return conflict


@transaction.atomic
def location_record(*, actor: Actor, case: Case, kind: str, address: str, note: str = "",
                    person: Person | None = None) -> ProtectedLocation:
    """A protected location of the survivor (or of a person on her case, e.g. a child's school). Only
    someone who may see protected information on this case may add one."""
    if not policy.can_see_protected(actor, case):
        raise PermissionDenied(_("Your agency does not hold her protected information."))
    person = person or case.survivor
    if person.pk != case.survivor_id and not case.participants.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not on the case.")})
    location = ProtectedLocation(person=person, case=case, kind=kind, address=address.strip(), note=note.strip())
    location.full_clean(exclude=["person", "case"])
    location.save()
    # Not even the kind goes on the timeline: "refuge location recorded" tells every reader she is in one.
    record_event(actor=actor, case=case, kind=v.CaseEventKind.LOCATION_RECORDED,
                 summary=_("Protected information recorded"), object_id=location.pk,
                 fields=["kind", "address", "note"])
    return location
