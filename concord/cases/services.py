"""Writes to the case record. Each service takes the access decision before it writes (so the access
log names the basis that allowed the write, even one that ends it), checks it, runs in one
transaction, and writes the timeline event itself, so the UI, the API and background jobs behave
the same. Records are edited by the agency that recorded them; the lead agency may correct them, with
a reason; nobody rewrites another agency's record."""

from __future__ import annotations

import dataclasses
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.access.derive import refresh_case
from concord.accounts.models import Agency, Area, User
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case, access_log_deferred
from concord.cases.selectors import named_as_causing_harm
from concord.concurrency import lock_current
from concord.people.details import ContactDetails, PersonDetails
from concord.people.models import Person, ProtectedLocation
from concord.people.services import contact_point_create, person_create
from concord.policy import AccessDecision, Action, Actor, EditRight
from concord.safety.services import ReviewReason, safety_plan_mark_for_review

from . import vocabularies as v
from .events import record_event
from .models import (
    Case,
    CaseAgency,
    CaseParticipant,
    CaseWorker,
    ConflictOfInterest,
    Incident,
    IncidentViolence,
    Need,
    RecordNote,
    RestrictedCaseMember,
)
from .records import IncidentDetails, NeedDetails, PersonCausingHarm
from .signals import incident_saved

# The incident's own columns; its violence types are rows of their own.
INCIDENT_FIELDS = tuple(f.name for f in dataclasses.fields(IncidentDetails) if f.name != "violence_types")
NEED_FIELDS = tuple(f.name for f in dataclasses.fields(NeedDetails))


def _changed(record: models.Model, details: object, names: Iterable[str]) -> list[str]:
    """The fields whose new value differs from the record's; a related record is compared by id, so
    comparing asks nothing of the database."""
    changed = []
    for name in names:
        field = record._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column of the record, not a reverse relation
        new = getattr(details, name)
        if field.is_relation:
            new = None if new is None else new.pk
        if getattr(record, field.attname) != new:
            changed.append(name)
    return changed


_decided = policy.decide_for_write


def _edit_right(access: AccessDecision, record: Any, correction_reason: str) -> str:
    """Authorship: the recording agency edits; the lead agency corrects, with a reason; others never."""
    right = access.edit_right(record)
    if right is EditRight.NONE:
        raise PermissionDenied(_("Only the agency that recorded this, or the lead agency correcting it, can "
                                 "change it. Add your own record instead."))
    if right is EditRight.LEAD_CORRECTION:
        if not correction_reason.strip():
            raise ValidationError({"correction_reason": _("Say why the lead agency is correcting another "
                                                          "agency's record.")})
        return correction_reason.strip()[:500]
    return ""


def next_case_reference(area: Area) -> str:
    """AREA-YEAR-NNNNN, numbered per area. Locks the area's counter until the transaction ends."""
    locked = Area.objects.select_for_update().get(pk=area.pk)
    number = locked.next_case_number
    Area.objects.filter(pk=area.pk).update(next_case_number=number + 1)
    year = timezone.localdate(timezone=zoneinfo.ZoneInfo(locked.time_zone)).year
    return f"{locked.code.upper()}-{year}-{number:05d}"


@transaction.atomic
@access_log_deferred()
def case_open(
    *,
    actor: Actor,
    survivor: Person | None = None,
    survivor_details: PersonDetails | None = None,
    aliases: Iterable[str] = (),
    previous_names: Iterable[str] = (),
    contact_points: Iterable[ContactDetails] = (),
    first_incident: IncidentDetails | None = None,
    needs: Iterable[NeedDetails] = (),
    persons_causing_harm: Iterable[PersonCausingHarm] = (),
) -> Case:
    """Intake: open a case with the actor's agency as lead. All of it is saved, or none of it. The
    first incident names every person causing harm given here. Its access-log entries are written
    last, so the area's chain head is locked only at the end (access_log_deferred)."""
    if not actor.does_casework:
        raise PermissionDenied(_("Only casework roles can open cases."))
    area = actor.area
    if survivor is None:
        if survivor_details is None:
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
    # Whoever opens it holds it for the lead agency until someone else is named.
    CaseWorker.objects.create(case=case, agency=actor.agency, worker=actor.user, assigned_by=actor.user)
    refresh_case(case)
    access = _decided(actor, case)
    record_event(access=access, kind=v.CaseEventKind.OPENED, params={"agency": actor.agency.name})
    # Recorded on this case, where her lead agency holds them; never carried over from another case.
    points = [contact_point_create(person=survivor, case=case, details=contact)
              for contact in contact_points if contact.value]
    if points:
        access_log_case(actor=actor, case=case, action=AuditAction.CREATE, object_type=ObjectType.PROTECTED,
                        object_id=case.pk, fields=["contact_points"], basis=access.basis_label)
    harmers = [
        participant_add(actor=actor, case=case, role=v.ParticipantRole.PERSON_CAUSING_HARM,
                        details=harmer, relationship=harmer.relationship).person
        for harmer in persons_causing_harm
    ]
    if first_incident is not None:
        incident_record(actor=actor, case=case, details=first_incident, persons_causing_harm=harmers)
    for need in needs:
        need_record(actor=actor, case=case, details=need)
    return case


@transaction.atomic
def participant_add(*, actor: Actor, case: Case, role: str, details: PersonDetails | None = None,
                    person: Person | None = None, relationship: str = v.Relationship.UNKNOWN) -> CaseParticipant:
    """Add a person to the case (someone already known, or a new person from `details`): the lead
    agency, or an agency it lets correct the people on it."""
    access = _decided(actor, case, Action.CORRECT_DETAILS)
    if person is None:
        if details is None:
            raise TypeError("participant_add needs the person or their details.")
        person = person_create(area=case.area, details=details)
    participant = CaseParticipant.objects.create(case=case, person=person, role=role, relationship=relationship)
    record_event(access=access, kind=v.CaseEventKind.PARTICIPANT_ADDED, object_id=participant.pk,
                 params={"role": role, "name": person.full_name, "person_id": person.pk})
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


def _fields_of(details: object, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(details, name) for name in names}


@transaction.atomic
def incident_record(*, actor: Actor, case: Case, details: IncidentDetails,
                    persons_causing_harm: Iterable[Person] = ()) -> Incident:
    """An incident, recorded by the actor's agency: it (and the lead agency, correcting) edits it later."""
    access = _decided(actor, case, Action.RECORD_INCIDENT)
    _check_reporting_agency(case, details.reporting_agency)
    codes = _checked_violence_types(details.violence_types)
    incident = Incident(case=case, recorded_by=actor.user, recorded_for=actor.agency,
                        violence_type_list=",".join(codes), **_fields_of(details, INCIDENT_FIELDS))
    incident.full_clean(exclude=["persons_causing_harm"])
    incident.save()
    _write_violence_types(incident, codes)
    people = _check_incident_people(case, persons_causing_harm)
    incident.persons_causing_harm.set(people)
    record_event(access=access, kind=v.CaseEventKind.INCIDENT_RECORDED, object_id=incident.pk,
                 params={"incident_id": incident.pk, "violence_types": codes},
                 fields=[*INCIDENT_FIELDS, "violence_types", *(["persons_causing_harm"] if people else [])])
    safety_plan_mark_for_review(case, ReviewReason.NEW_INCIDENT)
    incident_saved.send(sender=Incident, incident=incident, access=access)
    return incident


@transaction.atomic
def incident_update(*, actor: Actor, incident: Incident, expected_version: int, details: IncidentDetails,
                    persons_causing_harm: Iterable[Person] | None = None, correction_reason: str = "") -> Incident:
    """Edit an incident: the agency that recorded it, or the lead agency correcting it with a reason.
    `details` are the incident's full new details; `persons_causing_harm` None leaves them as they are.
    Refuses (StaleEdit) if the incident was saved by anyone since `expected_version`; writes nothing
    when refused. Its event and access-log entry name only the fields whose value changed; an edit
    that changes nothing writes nothing (no new version, no event), as a person's correction does."""
    access = _decided(actor, incident.case)
    reason = _edit_right(access, incident, correction_reason)
    current = lock_current(Incident, incident.pk, expected_version)
    _check_reporting_agency(current.case, details.reporting_agency)
    changed = _changed(current, details, INCIDENT_FIELDS)
    codes = None
    # Compared as sets: the vocabulary orders them, so the same types in another order are no change.
    if set(details.violence_types) != set(current.violence_type_codes):
        codes = _checked_violence_types(details.violence_types)
        changed.append("violence_types")
    people = None
    if persons_causing_harm is not None:
        people = _check_incident_people(current.case, persons_causing_harm)
        if {p.pk for p in people} != set(current.persons_causing_harm.values_list("pk", flat=True)):
            changed.append("persons_causing_harm")
    if not changed:
        return current
    for name, value in _fields_of(details, INCIDENT_FIELDS).items():
        setattr(current, name, value)
    if codes is not None:
        current.violence_type_list = ",".join(codes)
    current.full_clean(exclude=["persons_causing_harm"])
    current.version += 1
    current._change_reason = reason or None  # type: ignore[attr-defined]  # kept with the version
    current.save()
    if codes is not None:
        _write_violence_types(current, codes)
    if "persons_causing_harm" in changed:
        current.persons_causing_harm.set(people or [])
    changed.sort()
    params = {"incident_id": current.pk, "occurred_on": current.occurred_on.isoformat(), "version": current.version,
              "fields": changed}
    if reason:
        params["correction_reason"] = reason
    record_event(access=access, kind=v.CaseEventKind.INCIDENT_EDITED, object_id=current.pk, params=params,
                 fields=changed)
    incident_saved.send(sender=Incident, incident=current, access=access)
    return current


@transaction.atomic
def need_record(*, actor: Actor, case: Case, details: NeedDetails) -> Need:
    access = _decided(actor, case, Action.RECORD_NEED)
    need = Need(case=case, recorded_by=actor.user, recorded_for=actor.agency, **_fields_of(details, NEED_FIELDS))
    need.full_clean()
    need.save()
    record_event(access=access, kind=v.CaseEventKind.NEED_RECORDED, object_id=need.pk,
                 params={"need_id": need.pk, "category": need.category, "priority": need.priority},
                 fields=NEED_FIELDS)
    return need


@transaction.atomic
def need_update(*, actor: Actor, need: Need, expected_version: int, details: NeedDetails,
                correction_reason: str = "") -> Need:
    """Update a need (its words, priority or status): the agency that recorded it, or the lead agency
    correcting it with a reason. `details` are the need's full new details. Like an incident's edit,
    it names only the fields whose value changed, and an edit that changes nothing writes nothing."""
    access = _decided(actor, need.case)
    if not access.sees("needs"):
        raise PermissionDenied(_("Your agency's access to this case does not include her needs."))
    reason = _edit_right(access, need, correction_reason)
    current = lock_current(Need, need.pk, expected_version)
    changed = sorted(_changed(current, details, NEED_FIELDS))
    if not changed:
        return current
    old_status = current.status
    for name in changed:
        setattr(current, name, getattr(details, name))
    current.full_clean()
    current.version += 1
    current.updated_at = timezone.now()
    current._change_reason = reason or None  # type: ignore[attr-defined]
    current.save()
    params = {"need_id": current.pk, "category": current.category, "from_status": old_status,
              "to_status": current.status, "version": current.version, "fields": changed}
    if reason:
        params["correction_reason"] = reason
    record_event(access=access, kind=v.CaseEventKind.NEED_UPDATED, object_id=current.pk, params=params,
                 fields=changed)
    return current


@transaction.atomic
def note_add(*, actor: Actor, record: Incident | Need, text: str) -> RecordNote:
    """A note beside an incident or a need, by any agency that may read it: how an agency adds its word
    to another agency's record without rewriting it."""
    access = _decided(actor, record.case)
    facet = "incident_narratives" if isinstance(record, Incident) else "needs"
    if not access.sees(facet):
        raise PermissionDenied(_("Your agency's access to this case does not include this record."))
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = RecordNote.objects.create(case=record.case, text=text.strip()[:5000], recorded_by=actor.user,
                                     recorded_for=actor.agency,
                                     **({"incident": record} if isinstance(record, Incident) else {"need": record}))
    params: dict[str, Any] = {"on": "incident" if isinstance(record, Incident) else "need", "record_id": record.pk,
                              "agency": actor.agency.name}
    if isinstance(record, Incident):
        params["occurred_on"] = record.occurred_on.isoformat()
    record_event(access=access, kind=v.CaseEventKind.NOTE_ADDED, object_id=note.pk, params=params, fields=["text"])
    return note


@transaction.atomic
def agency_involve(*, actor: Actor, case: Case, agency: Agency, reason: str = "",
                   may_correct_details: bool = False) -> CaseAgency:
    """The lead agency involves another agency. It sees the case once her consent covers it (or an
    override is in force); `may_correct_details` lets it also correct her details and the people on it."""
    access = _decided(actor, case, Action.MANAGE)
    if agency.area_id != case.area_id or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active agency of this area.")})
    if agency.pk == case.lead_agency_id or case.involvements.filter(agency=agency, ended_at__isnull=True).exists():
        raise ValidationError({"agency": _("%(agency)s is already on this case.") % {"agency": agency.name}})
    if may_correct_details and agency.is_perpetrator_facing:
        raise ValidationError({"may_correct_details": _("Agencies working with the person causing harm never "
                                                        "change her details.")})
    involvement = CaseAgency.objects.create(case=case, agency=agency, reason=reason, added_by=actor.user,
                                            may_correct_details=may_correct_details)
    refresh_case(case)
    record_event(access=access, kind=v.CaseEventKind.AGENCY_INVOLVED, object_id=involvement.pk,
                 params={"agency_id": agency.pk, "agency": agency.name})
    return involvement


@transaction.atomic
def case_worker_assign(*, actor: Actor, case: Case, worker: User | None) -> CaseWorker | None:
    """Name who holds the case for the actor's own agency (None: nobody for now), in place of whoever
    did. The worker must work cases for that agency and be able to see this one (not left out of a
    restriction, no conflict of interest declared)."""
    from concord.accounts.selectors import casework_memberships

    access = _decided(actor, case, Action.ASSIGN_WORKER)
    agency = actor.agency
    if worker is not None:
        membership = casework_memberships(agency).filter(user=worker).first()
        if membership is None:
            raise ValidationError({"worker": _("%(name)s does not work cases for %(agency)s.")
                                   % {"name": worker, "agency": agency.name}})
        if not policy.decide(Actor(user=worker, membership=membership), case).visible:
            raise ValidationError({"worker": _("%(name)s cannot see this case: it is restricted to named staff, "
                                               "or they declared a conflict of interest.") % {"name": worker}})
    current = (CaseWorker.objects.select_for_update().filter(case=case, agency=agency, ended_at__isnull=True)
               .select_related("worker").first())
    if (current.worker_id if current else None) == (worker.pk if worker else None):
        return current  # nothing changes: nothing written
    if current is not None:
        current.ended_at, current.ended_by = timezone.now(), actor.user
        current.save(update_fields=["ended_at", "ended_by"])
    assigned = (CaseWorker.objects.create(case=case, agency=agency, worker=worker, assigned_by=actor.user)
                if worker is not None else None)
    record_event(access=access, kind=v.CaseEventKind.WORKER_ASSIGNED,
                 object_id=(assigned or current).pk,  # type: ignore[union-attr]
                 params={"agency_id": agency.pk, "agency": agency.name, "worker": str(worker) if worker else "",
                         "previous": str(current.worker) if current else ""})
    return assigned


def _end_workers(case: Case, *, agency_id: int | None = None, worker_id: int | None = None, by: User) -> None:
    """An agency that leaves the case, or a worker who may no longer see it, holds it no more."""
    rows = CaseWorker.objects.filter(case=case, ended_at__isnull=True)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if worker_id is not None:
        rows = rows.filter(worker_id=worker_id)
    for row in rows.select_for_update():
        row.ended_at, row.ended_by = timezone.now(), by
        row.save(update_fields=["ended_at", "ended_by"])


@transaction.atomic
def agency_end_involvement(*, actor: Actor, involvement: CaseAgency) -> CaseAgency:
    access = _decided(actor, involvement.case, Action.MANAGE)
    if involvement.ended_at is None:
        involvement.ended_at = timezone.now()
        involvement.ended_by = actor.user
        involvement.save()
        _end_workers(involvement.case, agency_id=involvement.agency_id, by=actor.user)
        refresh_case(involvement.case)
        record_event(access=access, kind=v.CaseEventKind.AGENCY_ENDED, object_id=involvement.pk,
                     params={"agency_id": involvement.agency_id, "agency": involvement.agency.name})
    return involvement


@transaction.atomic
def case_close(*, actor: Actor, case: Case, expected_version: int, reason: str, note: str = "") -> Case:
    access = _decided(actor, case, Action.MANAGE)
    if reason not in v.ClosureReason.values:
        raise ValidationError({"closure_reason": _("Choose why support is ending.")})
    current = lock_current(Case, case.pk, expected_version)
    if not current.is_open:
        raise ValidationError({"status": _("This case is already closed.")})
    current.status, current.closure_reason, current.closure_note = v.CaseStatus.CLOSED, reason, note
    current.closed_at = current.updated_at = timezone.now()
    current.version += 1
    current.save()
    record_event(access=access, kind=v.CaseEventKind.CLOSED, params={"reason": reason})
    return current


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, expected_version: int) -> Case:
    access = _decided(actor, case, Action.MANAGE)
    current = lock_current(Case, case.pk, expected_version)
    if current.is_open:
        raise ValidationError({"status": _("This case is already open.")})
    current.status, current.closure_reason, current.closure_note, current.closed_at = v.CaseStatus.OPEN, "", "", None
    current.updated_at = timezone.now()
    current.version += 1
    current.save()
    record_event(access=access, kind=v.CaseEventKind.REOPENED)
    return current


@transaction.atomic
def case_restrict(*, actor: Actor, case: Case, named_users: Iterable[User]) -> Case:
    """Only the named staff will see the case, whatever their agency's involvement: for when she or the
    person causing harm works in a partner agency or is known to staff. Names exactly these (and the
    one restricting it, who must keep sight of it): anyone named before and not now is removed. Every
    change is in the case's history and on its timeline."""
    access = _decided(actor, case, Action.MANAGE)
    wanted = {user.pk: user for user in named_users} | {actor.user.pk: actor.user}
    current = {member.user_id: member for member in
               RestrictedCaseMember.objects.select_for_update().filter(case=case, removed_at__isnull=True)
               .select_related("user")}
    added = [user for pk, user in wanted.items() if pk not in current]
    removed = [member for pk, member in current.items() if pk not in wanted]
    now = timezone.now()
    for user in added:
        RestrictedCaseMember.objects.create(case=case, user=user, added_by=actor.user, added_at=now)
    for member in removed:
        member.removed_at = now
        member.save(update_fields=["removed_at"])  # through save(): the change history sees it
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_restricted:
        locked.is_restricted = True
        locked.save(update_fields=["is_restricted"])
    case.is_restricted = True
    record_event(access=access, kind=v.CaseEventKind.RESTRICTION_CHANGED,
                 params={"restricted": True, "count": len(wanted), "added": [str(u) for u in added],
                         "removed": [str(m.user) for m in removed]})
    return case


@transaction.atomic
def case_unrestrict(*, actor: Actor, case: Case) -> Case:
    access = _decided(actor, case, Action.MANAGE)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_restricted:
        locked.is_restricted = False
        locked.save(update_fields=["is_restricted"])
    case.is_restricted = False
    record_event(access=access, kind=v.CaseEventKind.RESTRICTION_CHANGED, params={"restricted": False})
    return case


def staff_who_can_see(case: Case) -> list[User]:
    """Who can open a restricted case now: the staff named on it (their agency must still have access)."""
    return [member.user for member in case.restricted_members.filter(removed_at__isnull=True)
            .select_related("user").order_by("user__last_name", "user__first_name")]


@transaction.atomic
def conflict_declare(*, actor: Actor, case: Case, reason: str = "") -> ConflictOfInterest:
    """From the next request on, this member of staff no longer sees the case. Logged with the basis
    they had before declaring."""
    access = _decided(actor, case, Action.DECLARE_CONFLICT)
    conflict, _created = ConflictOfInterest.objects.get_or_create(case=case, user=actor.user,
                                                                  defaults={"reason": reason[:300]})
    _end_workers(case, worker_id=actor.user.pk, by=actor.user)  # she can no longer hold a case she cannot see
    record_event(access=access, kind=v.CaseEventKind.CONFLICT_DECLARED, params={"user": str(actor.user)})
    return conflict


@transaction.atomic
def location_record(*, actor: Actor, case: Case, kind: str, address: str, note: str = "",
                    person: Person | None = None) -> ProtectedLocation:
    """A protected location of the survivor (or of a person on her case, e.g. a child's school). Only
    someone who may see protected information on this case may add one."""
    access = _decided(actor, case)
    if not access.may(Action.RECORD_PROTECTED):
        raise PermissionDenied(_("Your agency does not hold her protected information."))
    person = person or case.survivor
    if person.pk != case.survivor_id and not case.participants.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not on the case.")})
    location = ProtectedLocation(person=person, case=case, kind=kind, address=address.strip(), note=note.strip())
    location.full_clean(exclude=["person", "case"])
    location.save()
    record_event(access=access, kind=v.CaseEventKind.LOCATION_RECORDED, object_id=location.pk,
                 fields=["kind", "address", "note"])
    return location
