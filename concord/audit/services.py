"""Writing to the access log. One function appends an entry; views, API operations, exports and
services call it after the permission check, with the basis the policy gave (an access decision's basis_label)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .chain import MAC_FIELDS, entry_mac
from .models import GENESIS_HASH, NO_AREA_CHAIN, AccessLogEntry, AccessLogListing, AuditChainHead, MacVersion

if TYPE_CHECKING:
    from django.http import HttpRequest

    from concord.accounts.models import Agency, User
    from concord.cases.models import Case
    from concord.policy import AccessDecision, Actor, SystemActor


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (REMOTE_ADDR; behind a proxy, the proxy must set it)."""
    return _ip_or_none(request.META.get("REMOTE_ADDR"))


def _ip_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        # Canonical text ("::1", not "0:0::1"), without an IPv6 zone, which PostgreSQL's inet refuses.
        return str(ipaddress.ip_address(value.split("%", 1)[0].strip()))
    except ValueError:
        return None


def _locked_head(chain: int) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    # The chain's first entry, or the table was emptied (flush in tests): continue from the chain's
    # own tail, so a lost head row never restarts the numbering (the database checks it does).
    tail = AccessLogEntry.objects.filter(chain=chain).order_by("-sequence").values("sequence", "entry_hash").first()
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                chain=chain, last_sequence=tail["sequence"] if tail else 0,
                last_hash=tail["entry_hash"] if tail else GENESIS_HASH,
            )
    except IntegrityError:
        # Another writer created it first; wait for its lock.
        return AuditChainHead.objects.select_for_update().get(chain=chain)


# Entries a service has asked for while its writes are still going on (access_log_deferred).
_deferred: ContextVar[list[dict[str, Any]] | None] = ContextVar("access_log_deferred", default=None)


@contextmanager
def access_log_deferred() -> Iterator[None]:
    """Hold back the entries appended inside the block and write them at its end, in the same
    transaction, under one lock per chain: a service that writes many rows (an intake) then holds
    its area's chain head only for its last statements, not for the whole service. Usable as a
    decorator; nested blocks join the outer one. The entries appended inside are returned unsaved."""
    if _deferred.get() is not None:
        yield
        return
    pending: list[dict[str, Any]] = []
    token = _deferred.set(pending)
    try:
        with transaction.atomic():
            yield
            _deferred.reset(token)
            _append_prepared(pending)
    finally:
        if _deferred.get() is pending:
            _deferred.reset(token)


def access_log_append(
    *,
    actor: Actor | SystemActor | None,
    action: str,
    object_type: str,
    object_id: Any = None,
    case: Case | None = None,
    fields: Iterable[str] = (),
    basis: str = "",
    ip_address: str | None = None,
    user: User | None = None,
    agency: Agency | None = None,
) -> AccessLogEntry:
    """Append one entry to the access log, chained to the previous one of its area's chain.

    `actor` is the user acting for an agency; where there is none yet (a login) pass `user` (and
    `agency` if known); with neither, the entry is the system's own (retention). `case` is the case
    the record belongs to, if any. `fields` names the fields shown or changed. `basis` is the policy's
    reason the access was allowed. The time is always now: callers cannot backdate an entry (and the
    database refuses one dated otherwise).

    Runs in the caller's transaction when there is one, so a write that rolls back leaves no entry.
    Everything is prepared before the chain's head is locked; the head then stays locked until that
    transaction ends, and every writer in the same area waits for it: call this last in a service.
    """
    values = _entry_values(actor=actor, action=action, object_type=object_type, object_id=object_id, case=case,
                           fields=fields, basis=basis, ip_address=ip_address, user=user, agency=agency)
    pending = _deferred.get()
    if pending is not None:
        pending.append(values)
        return AccessLogEntry(**values)
    return _append_now(values)


def _append_now(values: dict[str, Any]) -> AccessLogEntry:
    with transaction.atomic():
        return _append(_locked_head(values["chain"]), values)


def _append(head: AuditChainHead, values: dict[str, Any]) -> AccessLogEntry:
    values = dict(values, sequence=head.last_sequence + 1, prev_hash=head.last_hash, occurred_at=timezone.now(),
                  mac_version=MacVersion.KEYED)
    entry = AccessLogEntry(**values)
    # MAC what the database will hand back; the microsecond timestamp round-trips on both.
    entry.entry_hash = entry_mac({name: getattr(entry, name) for name in MAC_FIELDS})
    entry.save()
    # The database moved the head itself (protection: audit_accesslog_advance_head).
    head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
    return entry


def access_log_append_many(entries: list[dict[str, Any]]) -> list[AccessLogEntry]:
    """Several entries (keyword arguments of access_log_append each), each chain's head locked once,
    in chain order (so two such writers cannot deadlock), after every entry is prepared."""
    if not entries:
        return []
    return _append_prepared([_entry_values(**entry) for entry in entries])


def _append_prepared(prepared: list[dict[str, Any]]) -> list[AccessLogEntry]:
    if not prepared:
        return []
    with transaction.atomic():
        heads = {chain: _locked_head(chain) for chain in sorted({values["chain"] for values in prepared})}
        return [_append(heads[values["chain"]], values) for values in prepared]


def _entry_values(*, actor: Actor | SystemActor | None, action: str, object_type: str, object_id: Any = None,
                  case: Case | None = None, fields: Iterable[str] = (), basis: str = "",
                  ip_address: str | None = None, user: User | None = None,
                  agency: Agency | None = None) -> dict[str, Any]:
    label = None
    if actor is not None:
        user, agency, label = actor.user, actor.agency, actor.label
    area_id = case.area_id if case is not None else (agency.area_id if agency is not None else None)
    return {
        "chain": NO_AREA_CHAIN if area_id is None else area_id,
        "occurred_at": None,
        "user_id": user.pk if user is not None else None,
        "user_label": (label or (str(user) if user is not None else "system"))[:200],
        "agency_id": agency.pk if agency is not None else None,
        "agency_name": agency.name[:160] if agency is not None else "",
        "area_id": area_id,
        "action": str(action),
        "object_type": str(object_type),
        "object_id": "" if object_id is None else str(object_id)[:64],
        "case_id": case.pk if case is not None else None,
        "case_reference": case.reference if case is not None else "",
        "fields": [str(name) for name in fields],
        "ip_address": _ip_or_none(ip_address),
        "basis": basis[:120],
    }


def access_log_case(*, actor: Actor | SystemActor, case: Case, action: str, object_type: str,
                    object_id: Any = None, fields: Iterable[str] = (), basis: str | None = None) -> AccessLogEntry:
    """An entry about a case the actor may see, with the basis of the access decision (the caller's,
    taken before any write; asked now if the caller has none) and the current request's address."""
    from concord.policy import decide

    from .context import current_ip

    if basis is None:
        basis = decide(actor, case).basis_label
    return access_log_append(actor=actor, action=action, object_type=object_type, object_id=object_id,
                             case=case, fields=fields, basis=basis, ip_address=current_ip.get())


def access_log_decisions(*, action: str, object_type: str,
                         shown: Iterable[tuple[Any, AccessDecision, Iterable[str]]]) -> list[AccessLogEntry]:
    """One entry per case a response showed part of (an agenda, a meeting's research, its minutes):
    (object id, the decision it was shown under, the fields shown) each, on that decision's basis and
    with the request's address; each chain's head locked once."""
    from .context import current_ip

    ip = current_ip.get()
    return access_log_append_many([
        {"actor": decision.actor, "action": action, "object_type": object_type, "object_id": object_id,
         "case": decision.case, "fields": list(fields), "basis": decision.basis_label, "ip_address": ip}
        for object_id, decision, fields in shown])


def access_log_listed(*, actor: Actor, cases: Iterable[Case], fields: Iterable[str], object_type: str | None = None,
                      object_id: Any = None) -> AccessLogEntry | None:
    """One entry for a request that showed cases (each fetched through concord.policy): a search
    result, an API list page, the overrides review, a person on several cases. Even a name beside a
    reference is a read of her record, and a search is how a record is probed, so the entry's fields
    name each case shown ("case:<id>", under the entry's MAC) and then the fields shown; one listing
    row per case, written in the same transaction, is how "who has seen this record" finds it by
    index, with the basis each case was shown on (decision 10)."""
    from concord.policy import listed_bases

    from .context import current_ip
    from .models import AuditAction, ObjectType

    cases = list({case.pk: case for case in cases}.values())
    if not cases:
        return None
    bases = listed_bases(actor, cases)
    listed = [f"case:{case.pk}" for case in cases]
    values = _entry_values(actor=actor, action=AuditAction.VIEW, object_type=object_type or ObjectType.LISTING,
                           object_id=object_id, fields=[*listed, *fields], ip_address=current_ip.get())
    with transaction.atomic():
        entry = _append_now(values)  # never deferred: its listing rows need its id
        AccessLogListing.objects.bulk_create([
            AccessLogListing(entry_id=entry.pk, case_id=case.pk, basis=bases.get(case.pk, "")[:120])
            for case in cases])
    return entry


def access_log_people_shown(*, actor: Actor, people: Iterable[Any], where: str) -> None:
    """One entry for a request that showed people (names, age bands) outside a case: the API's people
    list, a possible-match check before intake. Its fields name each person shown ("person:<id>"), so
    who saw whom can be answered without one entry per row; `where` (the object id) says which list."""
    from .context import current_ip
    from .models import AuditAction, ObjectType

    ids = [person.pk for person in people]
    if not ids:
        return
    access_log_append(actor=actor, action=AuditAction.VIEW, object_type=ObjectType.PEOPLE, object_id=where,
                      fields=[f"person:{pk}" for pk in ids], ip_address=current_ip.get())
