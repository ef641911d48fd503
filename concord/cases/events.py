"""Timeline events: what happened on a case, stored as data and rendered when read.

Each app declares its own kinds (an `EventKind`: its code, its title, the facet of the case it belongs
to, what it is for the access log, and how its parameters read) and registers them when it loads
(its AppConfig.ready). Nothing central is edited to add one. `record_event` writes the event and its
access-log entry in the caller's transaction, for a person acting for an agency or for the system;
`render_timeline` shows each reader only the events of the facets their access decision holds, in
the reader's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from concord.access.facets import Facet
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_case

from .models import Case, CaseEvent
from .vocabularies import CaseEventKind

if TYPE_CHECKING:
    from concord.policy import AccessDecision

Describe = Callable[[Mapping[str, Any], "AccessDecision"], str]


def _nothing(params: Mapping[str, Any], reader: AccessDecision) -> str:
    return ""


@dataclass(frozen=True)
class EventKind:
    code: str
    title: str | Promise
    facet: str
    action: str  # AuditAction
    object_type: str  # ObjectType or a short label of the app's own
    describe: Describe = _nothing
    # The facet an event of this kind belongs to may depend on its parameters (a consent decision
    # about contact channels is a safe-contact detail).
    facet_of: Callable[[Mapping[str, Any]], str] | None = None

    def facet_for(self, params: Mapping[str, Any]) -> str:
        return self.facet_of(params) if self.facet_of else self.facet


_KINDS: dict[str, EventKind] = {}


def register(*kinds: EventKind) -> None:
    for kind in kinds:
        if kind.code in _KINDS and _KINDS[kind.code] != kind:
            raise ValueError(f"Event kind {kind.code!r} is registered twice.")
        _KINDS[kind.code] = kind


def kind_of(code: str) -> EventKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown event kind {code!r}: register it in its app's events module.") from None


def registered_kinds() -> dict[str, EventKind]:
    return dict(_KINDS)


def record_event(*, access: AccessDecision, kind: str, object_id: Any = None,
                 params: Mapping[str, Any] | None = None, fields: Iterable[str] = ()) -> CaseEvent:
    """What an agency (or the system) just did: the timeline entry and the access-log entry, in the
    caller's transaction; also marks the case as recently updated.

    `access` is the decision taken *before* the write, so a write that ends the writer's own access
    (a withdrawal, a declared conflict) is still logged with the basis that allowed it."""
    event_kind = kind_of(kind)
    actor, case = access.actor, access.case
    params = dict(params or {})
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    event = CaseEvent.objects.create(
        case=case, kind=kind, object_type=event_kind.object_type,
        object_id="" if object_id is None else str(object_id), facet=event_kind.facet_for(params), params=params,
        actor=actor.user, agency=actor.agency, system_actor=actor.process if actor.is_system else "",  # type: ignore[union-attr]
    )
    access_log_case(actor=actor, case=case, action=event_kind.action, object_type=event_kind.object_type,
                    object_id=object_id if object_id is not None else case.pk, fields=fields,
                    basis=access.basis_label)
    return event


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    kind: str
    title: str
    detail: str
    agency: str
    obj: Any = None
    date_only: bool = False


def event_entry(event: CaseEvent, reader: AccessDecision) -> TimelineEntry | None:
    """The event as this reader may read it, or None when its facet is not theirs: an agency that may
    not see another agency's override sees nothing of it, not even that there was one."""
    if not reader.sees_event(event.facet, event.params):
        return None
    try:
        kind = kind_of(event.kind)
    except LookupError:
        return None
    detail = kind.describe(event.params, reader)
    if not detail and "summary" in event.params:
        detail = str(event.params["summary"])  # written before events were structured
    if event.by_system:
        who = _("System (%(process)s)") % {"process": event.system_actor}
    else:
        who = event.agency.name if event.agency else ""
    return TimelineEntry(when=event.occurred_at, kind=event.kind, title=str(kind.title), detail=detail,
                         agency=who, obj=event)


# --- Helpers for describing parameters, shared by every app's kinds --------------------------------

def label_of(choices: Any, code: Any) -> str:
    """A vocabulary's label for a stored code, in the reader's language; the code itself if unknown."""
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date_format(datetime.date.fromisoformat(value[:10]), "j M Y")
    except ValueError:
        return value


def field_labels(model: Any, names: Iterable[str]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - a field renamed since the event was written
            labels.append(str(name))
    return ", ".join(labels)


# --- The case record's own kinds --------------------------------------------------------------------

def _opened(params, reader):
    return _("Opened by %(agency)s") % {"agency": params.get("agency", "")}


def agency_named(params, reader):
    """The agency an event is about (involved, ended, shared with, given an override)."""
    return str(params.get("agency", ""))


def _participant(params, reader):
    from .vocabularies import ParticipantRole

    return f"{label_of(ParticipantRole, params.get('role'))}: {params.get('name', '')}"


def _incident_recorded(params, reader):
    from .vocabularies import ViolenceType

    return ", ".join(label_of(ViolenceType, code) for code in params.get("violence_types", []))


def _correction(params, reader, facet):
    reason = params.get("correction_reason")
    if reason and reader.sees(facet):
        return " — " + _("correction by the lead agency: %(reason)s") % {"reason": reason}
    return ""


def _incident_edited(params, reader):
    from .models import Incident

    fields = [name for name in params.get("fields", [])
              if name != "narrative" or reader.sees(Facet.INCIDENT_NARRATIVES)]
    text = _("Incident of %(date)s edited") % {"date": day(params.get("occurred_on"))}
    if fields:
        text += f": {field_labels(Incident, fields)}"
    return text + _correction(params, reader, Facet.INCIDENT_NARRATIVES)


def _need(params, reader):
    from .vocabularies import NeedCategory, NeedPriority, NeedStatus

    category = label_of(NeedCategory, params.get("category"))
    if "priority" in params and "to_status" not in params:
        return f"{category} ({label_of(NeedPriority, params['priority'])})"
    before, after = params.get("from_status"), params.get("to_status")
    text = f"{category}: {label_of(NeedStatus, after)}"
    if before and before != after:
        text = f"{category}: {label_of(NeedStatus, before)} → {label_of(NeedStatus, after)}"
    return text + _correction(params, reader, Facet.NEEDS)


def _note(params, reader):
    on = _("incident of %(date)s") % {"date": day(params.get("occurred_on"))} if params.get("on") == "incident" \
        else _("a need")
    return _("%(agency)s added a note to %(record)s") % {"agency": params.get("agency", ""), "record": on}


def _note_facet(params) -> str:
    return Facet.INCIDENT_NARRATIVES if params.get("on") == "incident" else Facet.NEEDS


def _closed(params, reader):
    from .vocabularies import ClosureReason

    return label_of(ClosureReason, params.get("reason"))


def _restriction(params, reader):
    if not params.get("restricted"):
        return _("Restriction lifted")
    parts = [_("Restricted to %(count)s named staff") % {"count": params.get("count", 0)}]
    if params.get("added"):
        parts.append(_("named: %(names)s") % {"names": ", ".join(params["added"])})
    if params.get("removed"):
        parts.append(_("no longer named: %(names)s") % {"names": ", ".join(params["removed"])})
    return "; ".join(parts)


def _worker(params, reader):
    agency, worker, previous = params.get("agency", ""), params.get("worker", ""), params.get("previous", "")
    if worker and previous:
        return _("%(agency)s: %(worker)s in place of %(previous)s") % {"agency": agency, "worker": worker,
                                                                    "previous": previous}
    if worker:
        return _("%(agency)s: %(worker)s") % {"agency": agency, "worker": worker}
    return _("%(agency)s: no named worker (was %(previous)s)") % {"agency": agency, "previous": previous}


def _conflict(params, reader):
    return str(params.get("user", ""))


def _person_updated(params, reader):
    from concord.people.models import Person
    from concord.people.vocabularies import AliasKind

    if "alias_kind" in params:
        return _("%(person)s: another name added (%(kind)s)") % {
            "person": params.get("person", ""), "kind": label_of(AliasKind, params["alias_kind"])}
    # Which fields, never their values: the timeline is read by every agency on the case.
    return _("%(person)s: %(fields)s") % {"person": params.get("person", ""),
                                          "fields": field_labels(Person, params.get("fields", []))}


def _protected(params, reader):
    return _("Protected information updated")


K = CaseEventKind

CASE_EVENT_KINDS = (
    EventKind(K.OPENED, K.OPENED.label, Facet.CORE, AuditAction.CREATE, ObjectType.CASE, _opened),
    EventKind(K.AGENCY_INVOLVED, K.AGENCY_INVOLVED.label, Facet.CORE, AuditAction.CREATE,
              ObjectType.INVOLVEMENT, agency_named),
    EventKind(K.AGENCY_ENDED, K.AGENCY_ENDED.label, Facet.CORE, AuditAction.UPDATE,
              ObjectType.INVOLVEMENT, agency_named),
    EventKind(K.WORKER_ASSIGNED, K.WORKER_ASSIGNED.label, Facet.CORE, AuditAction.UPDATE, "case_worker",
              _worker),
    EventKind(K.LEAD_CHANGED, K.LEAD_CHANGED.label, Facet.CORE, AuditAction.UPDATE, ObjectType.CASE,
              agency_named),
    EventKind(K.PARTICIPANT_ADDED, K.PARTICIPANT_ADDED.label, Facet.CORE, AuditAction.CREATE,
              ObjectType.PARTICIPANT, _participant),
    EventKind(K.INCIDENT_RECORDED, K.INCIDENT_RECORDED.label, Facet.CORE, AuditAction.CREATE,
              ObjectType.INCIDENT, _incident_recorded),
    EventKind(K.INCIDENT_EDITED, K.INCIDENT_EDITED.label, Facet.CORE, AuditAction.UPDATE,
              ObjectType.INCIDENT, _incident_edited),
    EventKind(K.NEED_RECORDED, K.NEED_RECORDED.label, Facet.NEEDS, AuditAction.CREATE, ObjectType.NEED,
              _need),
    EventKind(K.NEED_UPDATED, K.NEED_UPDATED.label, Facet.NEEDS, AuditAction.UPDATE, ObjectType.NEED, _need),
    EventKind(K.NOTE_ADDED, K.NOTE_ADDED.label, Facet.NEEDS, AuditAction.CREATE, "note", _note,
              facet_of=_note_facet),
    EventKind(K.CLOSED, K.CLOSED.label, Facet.CORE, AuditAction.UPDATE, ObjectType.CASE, _closed),
    EventKind(K.REOPENED, K.REOPENED.label, Facet.CORE, AuditAction.UPDATE, ObjectType.CASE),
    EventKind(K.RESTRICTION_CHANGED, K.RESTRICTION_CHANGED.label, Facet.CORE, AuditAction.UPDATE,
              ObjectType.CASE, _restriction),
    # Who declared a conflict (she or he is known to them) is the lead agency's oversight.
    EventKind(K.CONFLICT_DECLARED, K.CONFLICT_DECLARED.label, Facet.ACCESS_LOG,
              AuditAction.UPDATE, ObjectType.CASE, _conflict),
    # Not even the kind of location: "refuge location recorded" tells every reader she is in one.
    EventKind(K.LOCATION_RECORDED, K.LOCATION_RECORDED.label, Facet.PROTECTED,
              AuditAction.CREATE, ObjectType.PROTECTED, _protected),
    EventKind(K.PERSON_UPDATED, K.PERSON_UPDATED.label, Facet.CORE, AuditAction.UPDATE,
              ObjectType.PERSON, _person_updated),
    EventKind(K.CONTACT_RECORDED, K.CONTACT_RECORDED.label, Facet.PROTECTED,
              AuditAction.CREATE, ObjectType.PROTECTED, _protected),
    EventKind(K.CONTACT_UPDATED, K.CONTACT_UPDATED.label, Facet.PROTECTED,
              AuditAction.UPDATE, ObjectType.PROTECTED, _protected),
)
