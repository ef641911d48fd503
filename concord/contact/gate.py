"""The one outbound gate: every message Concord sends about or to a survivor goes through
`send_to_survivor`. It reads her rules, picks the number or address she says is safe, refuses what her
rules forbid and says why, records every message asked for (sent or not) and puts it on the case's
timeline. It is the only caller of the transports (transports.py)."""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from concord import policy
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.people.models import ContactPoint, Person
from concord.people.vocabularies import ContactKind
from concord.policy import AnyActor, SystemActor

from . import transports
from .events import ContactEventKind
from .models import ContactRules, OutboundMessage
from .rules import Message, Rules, refusals, safe_times_from
from .vocabularies import ContactChannel, MessageStatus

GATE = SystemActor("contact gate")
logger = logging.getLogger(__name__)

# Which of her contact points a channel reaches.
KINDS_OF: dict[str, set[str]] = {
    ContactChannel.TEXT_MESSAGE: {ContactKind.MOBILE}, ContactChannel.EMAIL: {ContactKind.EMAIL},
    ContactChannel.PHONE_CALL: {ContactKind.MOBILE, ContactKind.LANDLINE}}


def rules_of(person: Person, points: Iterable[ContactPoint] | None = None) -> Rules | None:
    """Her rules as the gate reads them, the numbers and addresses from every case she is on (`points`:
    all her contact points, when the caller has read them already)."""
    stored = ContactRules.objects.filter(person=person).first()
    if stored is None:
        return None
    safe, unsafe = addresses_by_safety(ContactPoint.objects.filter(person=person) if points is None else points)
    return Rules(safe_channels=frozenset(stored.safe_channels), safe_times=safe_times_from(stored.safe_times),
                 voicemail_ok=stored.voicemail_ok, may_name_agency=stored.may_name_agency,
                 never_post_home=stored.never_post_home, safe_addresses=frozenset(safe),
                 unsafe_addresses=frozenset(unsafe))


def addresses_by_safety(points: Iterable[ContactPoint]) -> tuple[set[str], set[str]]:
    """Her numbers and addresses (normalised) she says are safe, and not safe: one not safe on any case
    is not safe on all."""
    points = list(points)
    unsafe = {point.search_index for point in points if point.safe_to_use is False}
    safe = {point.search_index for point in points if point.safe_to_use is True} - unsafe
    return safe, unsafe


def _target(points: list[ContactPoint], channel: str) -> ContactPoint | None:
    """The newest of her numbers or addresses for this channel that she says is safe (on no case unsafe)."""
    kinds = KINDS_OF.get(channel, set())
    safe, _unsafe = addresses_by_safety(points)
    return max((point for point in points if point.kind in kinds and point.search_index in safe),
               key=lambda point: point.created_at, default=None)


def send_to_survivor(*, case: Case, person: Person, channel: str, purpose: str, body: str, subject: str = "",
                     names_agency: bool = False, asked_by: AnyActor = GATE, key: str | None = None,
                     at: datetime.datetime | None = None) -> OutboundMessage:
    """Send one message to her if her rules allow it, else refuse it; either way it is recorded and on
    the case. With a `key` (a job's own), asking twice sends once and returns the first record.

    In two steps, so that a worker killed between them neither loses the message nor sends it twice:
    the record is committed as "sending" before the transport is called, and marked sent after. A run
    that finds its key still "sending" reads her rules again (they may have changed) and hands the
    transport the same key, which the transport uses to send once."""
    record = OutboundMessage.objects.filter(idempotency_key=key).first() if key is not None else None
    if record is not None and record.status != MessageStatus.SENDING:
        return record
    at = record.asked_at if record is not None else (at or timezone.now())
    points = list(ContactPoint.objects.filter(person=person))
    target = _target(points, channel)
    message = Message(channel=channel, to=target.search_index if target else "", at=at, names_agency=names_agency)
    reasons = refusals(rules_of(person, points), message, zoneinfo.ZoneInfo(case.area.time_zone))
    if record is None:
        try:
            with transaction.atomic():
                record = OutboundMessage.objects.create(
                    case=case, person=person, channel=channel, purpose=purpose[:40], idempotency_key=key,
                    status=MessageStatus.REFUSED if reasons else MessageStatus.SENDING, refusals=reasons,
                    asked_by=asked_by.label[:200], asked_at=at)
                if reasons:
                    _on_the_case(record, purpose)
        except IntegrityError:
            # The same job, run at the same time by another worker: its record is the one.
            return OutboundMessage.objects.get(idempotency_key=key)
        if reasons:
            return record
    elif reasons:  # her rules changed before the interrupted send was resumed: they win
        return _finish(record, purpose, MessageStatus.REFUSED, reasons)
    assert target is not None  # refusals() names NO_SAFE_ADDRESS without one
    try:
        _transmit(channel, target.value, subject, body, key or f"outbound-message:{record.pk}")
    except Exception:  # the provider's failure is recorded, not the caller's 500
        logger.exception("The %s transport failed for outbound message %s", channel, record.pk)
        return _finish(record, purpose, MessageStatus.FAILED)
    return _finish(record, purpose, MessageStatus.SENT)


def _finish(record: OutboundMessage, purpose: str, status: str, reasons: list[str] | None = None) -> OutboundMessage:
    with transaction.atomic():
        record.status = status
        fields = ["status"]
        if reasons is not None:
            record.refusals = reasons
            fields.append("refusals")
        record.save(update_fields=fields)
        _on_the_case(record, purpose)
    return record


def _on_the_case(record: OutboundMessage, purpose: str) -> None:
    record_event(access=policy.decide(GATE, record.case),
                 kind=ContactEventKind.MESSAGE_SENT if record.status == MessageStatus.SENT
                 else ContactEventKind.MESSAGE_REFUSED,
                 object_id=record.pk, params={"channel": record.channel, "purpose": purpose,
                                              "reasons": record.refusals, "status": record.status})


def _transmit(channel: str, to: str, subject: str, body: str, key: str) -> None:
    if channel == ContactChannel.TEXT_MESSAGE:
        transports.send_text(to, body, key=key)
    elif channel == ContactChannel.EMAIL:
        transports.send_email(to, subject, body, key=key)
    else:  # refusals() refuses every channel without a transport; this is the last line
        raise ValueError(f"no transport for {channel}")
