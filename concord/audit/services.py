"""Writing to the access log. One function appends an entry; views, API operations, exports and
services call it after the permission check, with the basis the policy gave (policy.access_basis)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .chain import HASHED_FIELDS, entry_hash
from .models import GENESIS_HASH, AccessLogEntry, AuditChainHead

if TYPE_CHECKING:
    from django.http import HttpRequest

    from concord.accounts.models import Agency, User
    from concord.cases.models import Case
    from concord.policy import Actor


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


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First entry ever, or the table was emptied (flush in tests): continue from the log's own tail,
    # so a lost head row never restarts the numbering.
    tail = AccessLogEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                pk=1, last_sequence=tail["sequence"] if tail else 0,
                last_hash=tail["entry_hash"] if tail else GENESIS_HASH,
            )
    except IntegrityError:
        # Another writer created it first; wait for its lock.
        return AuditChainHead.objects.select_for_update().get(pk=1)


def access_log_append(
    *,
    actor: Actor | None,
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
    """Append one entry to the access log, chained to the previous one.

    `actor` is the user acting for an agency; where there is none yet (a login) pass `user` (and
    `agency` if known); with neither, the entry is the system's own (retention). `case` is the case
    the record belongs to, if any. `fields` names the fields shown or changed. `basis` is the policy's
    reason the access was allowed. The time is always now: callers cannot backdate an entry.

    Runs in the caller's transaction when there is one, so a write that rolls back leaves no entry.
    The chain head stays locked until that transaction ends, and every writer waits for it: call
    this last in a service, so the lock is held briefly.
    """
    if actor is not None:
        user, agency = actor.user, actor.agency
    area_id = case.area_id if case is not None else (agency.area_id if agency is not None else None)
    values: dict[str, Any] = {
        "occurred_at": None,
        "user_id": user.pk if user is not None else None,
        "user_label": (str(user) if user is not None else "system")[:200],
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
    with transaction.atomic():
        head = _locked_head()
        values.update(sequence=head.last_sequence + 1, prev_hash=head.last_hash,
                      occurred_at=timezone.now())
        entry = AccessLogEntry(**values)
        # Hash what the database will hand back; the microsecond timestamp round-trips on both.
        entry.entry_hash = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS})
        entry.save()
        head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def access_log_case(*, actor: Actor, case: Case, action: str, object_type: str, object_id: Any = None,
                    fields: Iterable[str] = (), basis: str | None = None) -> AccessLogEntry:
    """An entry about a case the actor may see, with the basis the access rule gives now (unless the
    caller has it already) and the current request's address."""
    from concord.policy import access_basis

    from .context import current_ip

    return access_log_append(actor=actor, action=action, object_type=object_type, object_id=object_id,
                             case=case, fields=fields, basis=access_basis(actor, case) if basis is None else basis,
                             ip_address=current_ip.get())


def access_log_listed(*, actor: Actor, cases: Iterable[Case], fields: Iterable[str]) -> None:
    """One entry per case shown in a search result, an API list page or the overrides review (each
    fetched through concord.policy): even a name beside a
    reference is a read of her record, and a search is how a record is probed."""
    from concord.policy import basis_of_visible_case

    from .models import AuditAction, ObjectType

    # The cases come from the policy's scoped querysets in this request: only the basis is asked.
    fields = list(fields)
    for case in cases:
        access_log_case(actor=actor, case=case, action=AuditAction.VIEW, object_type=ObjectType.LISTING,
                        fields=fields, basis=basis_of_visible_case(actor, case))
