"""The demo's referrals: a police-led case on which she has agreed to be referred to the IDVA service,
for the police officer to send live (the consent check says "given"), and another already sent, its
reply overdue, for the IDVA service to read as a packet and answer.

Run once, after the caseload (a second seeding finds them there), dated at the end of the seeded
history like everything else; the access log keeps the real time."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Max

from concord.access.derive import refresh_case
from concord.accounts.models import Agency, Membership
from concord.cases.models import Case, CaseEvent, Need
from concord.consent.events import ConsentEventKind
from concord.consent.services import consent_record
from concord.policy import Actor
from concord.protocols.calendar import calendar_for
from concord.referrals.models import Referral

from .partnership import AREA, EMAIL_DOMAIN

SENDER, RECEIVER = "police", "idva"  # demo logins, and the keys of their agencies' names
RECEIVING_AGENCY = "Northshire IDVA Service"
SENT_DAYS_BEFORE_ANCHOR = 6  # past two working days, whatever the week: the reply is overdue


@dataclass(frozen=True)
class DemoReferrals:
    to_send: Case | None  # she agreed; nothing sent yet
    waiting: Referral | None


def _actor(local_part: str) -> Actor:
    membership = (Membership.objects.select_related("user", "agency__area")
                  .get(user__email=f"{local_part}@{EMAIL_DOMAIN}"))
    return Actor(user=membership.user, membership=membership)


def _candidates(police: Actor, idva: Agency, before: datetime.datetime) -> list[Case]:
    """Open police-led cases the IDVA service is not on: the first two, in opening order."""
    return list(Case.objects.filter(area=police.area, lead_agency=police.agency, status="open", opened_at__lt=before)
                .exclude(involvements__agency=idva).exclude(referrals__isnull=False).order_by("pk")[:2])


def referrals_seed(anchor: datetime.date) -> DemoReferrals:
    from concord.referrals.services import DEFAULT_REPLY_WORKING_DAYS, ReferralDetails, referral_send

    police = _actor(SENDER)
    idva = Agency.objects.get(area=police.area, name=RECEIVING_AGENCY)
    if Referral.objects.filter(case__area=police.area).exists():
        return find()
    zone = zoneinfo.ZoneInfo(police.area.time_zone)
    sent_at = datetime.datetime.combine(anchor - datetime.timedelta(days=SENT_DAYS_BEFORE_ANCHOR),
                                        datetime.time(11, 0), zone)
    agreed = sent_at - datetime.timedelta(hours=1)
    cases = _candidates(police, idva, agreed)
    if len(cases) < 2:
        return DemoReferrals(None, None)
    for case in cases:
        consent_record(actor=police, case=case, scope="refer", agency=idva, decision="given", method="verbal",
                       decided_at=agreed, note="She would like an advocate to call her.")
    waiting = referral_send(actor=police, case=cases[1], details=ReferralDetails(
        to_agency=idva, reason="Police attended a call-out at her home; she would like an advocate for court.",
        urgency="urgent", needs=list(Need.objects.filter(case=cases[1])[:1]),
        packet_note="She works mornings: best reached after 2 pm."))
    # Dated at the end of the seeded history, as everything seeded is.
    Referral.objects.filter(pk=waiting.pk).update(sent_at=sent_at, respond_by=calendar_for(police.area).due_after(
        sent_at, working_days=DEFAULT_REPLY_WORKING_DAYS))
    CaseEvent.objects.filter(case=cases[1], kind="referral_sent").update(occurred_at=sent_at)
    _date_its_task(waiting, sent_at)
    CaseEvent.objects.filter(case__in=cases, kind=ConsentEventKind.CONSENT_RECORDED,
                             occurred_at__gt=sent_at).update(occurred_at=agreed)
    for case in cases:  # a case's last change is its latest event
        last = CaseEvent.objects.filter(case=case).aggregate(last=Max("occurred_at"))["last"]
        Case.objects.filter(pk=case.pk).update(updated_at=last)
    refresh_case(cases[1])  # the packet's access starts when the referral was sent
    return find()


def _date_its_task(referral: Referral, sent_at: datetime.datetime) -> None:
    """The protocol's task to answer it, opened when it was sent and due when the reply is."""
    from concord.risk.models import Task
    from concord.risk.services import task_params

    referral.refresh_from_db()
    for task in Task.objects.filter(referral=referral).select_related("owner_agency", "worker",
                                                                      "protocol_version__protocol"):
        task.opened_at, task.due_at, task.escalate_at = sent_at, referral.respond_by, referral.respond_by
        task.save(update_fields=["opened_at", "due_at", "escalate_at"])
        CaseEvent.objects.filter(case=referral.case, kind="task_opened", object_id=str(task.pk)).update(
            occurred_at=sent_at, params=task_params(task))


def find() -> DemoReferrals:
    """The demo's referral cases in this database, if seeded."""
    waiting = (Referral.objects.filter(case__area__code=AREA["code"], from_agency__name__startswith="Northshire Police",
                                       status="sent").select_related("case").order_by("pk").first())
    agreed = (Case.objects.filter(area__code=AREA["code"], consent_decisions__scope="refer",
                                  consent_decisions__agency__name=RECEIVING_AGENCY, referrals__isnull=True)
              .order_by("pk").first())
    return DemoReferrals(to_send=agreed, waiting=waiting)


def try_line(found: DemoReferrals) -> str:
    parts = []
    if found.to_send is not None:
        parts.append(f"as {SENDER}, open {found.to_send.reference} and send a referral to the IDVA service "
                     f"(the consent check shows she agreed)")
    if found.waiting is not None:
        parts.append(f"as {RECEIVER}, open Referrals: one from the police is overdue; read its packet (only that) "
                     f"and accept it, and {found.waiting.case.reference} opens")
    return ("Referrals: " + "; then ".join(parts) + ".") if parts else ""
