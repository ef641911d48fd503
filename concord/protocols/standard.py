"""The protocols a partnership starts from (and the demo ships): the three the field's practice names.
An area adopts them as drafts and its partnership lead approves them; after that they are the area's
own, revised through new versions."""

from __future__ import annotations

from concord.accounts.models import Sector
from concord.risk.vocabularies import TaskKind

from . import vocabularies as v
from .models import ProtocolVersion
from .services import VersionDetails, protocol_approve, protocol_draft

STANDARD: tuple[tuple[str, str, VersionDetails], ...] = (
    ("high-risk-advocacy", "High risk: specialist advocacy contact",
     VersionDetails(trigger=v.Trigger.HIGH_RISK, owner=Sector.SPECIALIST_ADVOCACY, task_kind=TaskKind.ADVOCATE_CONTACT,
                    action="Make contact with her through a channel her contact rules allow.", due_hours=24)),
    ("police-incident-advocacy", "Police-attended incident: advocacy notified",
     VersionDetails(trigger=v.Trigger.POLICE_INCIDENT, owner=Sector.POLICE, task_kind=TaskKind.NOTIFY_ADVOCACY,
                    action="Tell the specialist advocacy service about the incident.", due_hours=24)),
    ("referral-response", "Referral: a reply within 2 working days",
     VersionDetails(trigger=v.Trigger.REFERRAL_SENT, owner=v.RECEIVER, task_kind=TaskKind.ANSWER_REFERRAL,
                    action="Accept or decline the referral, with a reason if declined.", due_working_days=2)),
)


def adopt_standard(*, partnership_lead, area) -> list[ProtocolVersion]:
    """Draft and approve the standard protocols the area does not have yet."""
    have = set(area.protocols.values_list("key", flat=True))
    return [protocol_approve(actor=partnership_lead, version=protocol_draft(
        actor=partnership_lead, area=area, key=key, name=name, details=details))
        for key, name, details in STANDARD if key not in have]
