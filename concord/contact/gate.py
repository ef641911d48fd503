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
    the case. With a `key` (a job's own), asking twice sends once and returns the first record."""
    if key is not None and (done := OutboundMessage.objects.filter(idempotency_key=key).first()) is not None:
        return done
    at = at or timezone.now()
    points = list(ContactPoint.objects.filter(person=person))
    rules = rules_of(person, points)
    target = _target(points, channel)
    message = Message(channel=channel, to=target.search_index if target else "", at=at, names_agency=names_agency)
    reasons = refusals(rules, message, zoneinfo.ZoneInfo(case.area.time_zone))
    try:
        with transaction.atomic():
            record = OutboundMessage.objects.create(
                case=case, person=person, channel=channel, purpose=purpose[:40], idempotency_key=key,
                status=MessageStatus.REFUSED if reasons else MessageStatus.SENT, refusals=reasons,
                asked_by=asked_by.label[:200], asked_at=at)
            if not reasons:
                assert target is not None  # refusals() names NO_SAFE_ADDRESS without one
                try:
                    _transmit(channel, target.value, subject, body)
                except Exception:  # the provider's failure is recorded, not the caller's 500
                    logger.exception("The %s transport failed for outbound message %s", channel, record.pk)
                    record.status = MessageStatus.FAILED
                    record.save(update_fields=["status"])
            record_event(access=policy.decide(GATE, case),
                         kind=ContactEventKind.MESSAGE_SENT if record.status == MessageStatus.SENT
                         else ContactEventKind.MESSAGE_REFUSED,
                         object_id=record.pk, params={"channel": channel, "purpose": purpose, "reasons": reasons,
                                                      "status": record.status})
    except IntegrityError:
        # The same job, run at the same time by another worker: its record is the one.
        return OutboundMessage.objects.get(idempotency_key=key)
    return record


def _transmit(channel: str, to: str, subject: str, body: str) -> None:
    if channel == ContactChannel.TEXT_MESSAGE:
        transports.send_text(to, body)
    elif channel == ContactChannel.EMAIL:
        transports.send_email(to, subject, body)
    else:  # refusals() refuses every channel without a transport; this is the last line
        raise ValueError(f"no transport for {channel}")
