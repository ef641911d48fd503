"""The case the demo is tried on: the latest case opened, always built the same way.

Jodie Kirkby's case is led by the IDVA service and held there by Hannah Mercer (the `idva` login);
the police and the probation service (the `probation` login, Martin Kowal, named as its worker) are
involved, each with her consent. Two incidents are on the record, the latest two days before the
case opened, neither with a weapon or strangulation: the history alone makes the level medium, and
she has not been assessed. So, live: the IDVA completes the checklist with her (14 "yes" or more is
high), and the level goes to high, opening its follow-ups; the probation officer then sees the
level, high, and why (never her answers: an agency working with him never holds them).

Her name is in none of the name lists (concord.demo.names), so no other case can be taken for hers.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from concord.cases import vocabularies as v
from concord.cases.models import Case, CaseEvent

from .partnership import AREA, EMAIL_DOMAIN

GIVEN_NAME, FAMILY_NAME, HERITAGE = "Jodie", "Kirkby", "white_british"
LEAD = "idva"
WORKER = "idva"  # the login holding the case for the lead (Hannah Mercer)
INVOLVED = ("police", "probation")  # each with her consent, not withdrawn, not ended
NAMED_WORKERS = {"probation": "probation"}  # agency key -> the login holding the case there
PATTERN = "intimate_partner"
TRIGGER_DAYS_BEFORE_OPENING = 2
EARLIER_DAYS_BEFORE_TRIGGER = 90


@dataclass(frozen=True)
class FixedIncident:
    """An incident of the showcase, as she disclosed it at intake: what the escalation rules read."""

    violence_types: tuple[str, ...]
    injuries: str
    police: str
    weapon_used: str = v.YesNoUnknown.NO
    strangulation: str = v.YesNoUnknown.NO


# The latest hurt her more than the one before (a medium reason); no weapon, no strangulation and
# fewer than three in the year, so nothing in the history makes the level high.
TRIGGER = FixedIncident((v.ViolenceType.PHYSICAL_ASSAULT,), injuries="minor", police=v.YesNoUnknown.YES)
EARLIER = FixedIncident((v.ViolenceType.COERCIVE_CONTROL,), injuries="none", police=v.YesNoUnknown.NO)


def is_showcase(i: int, total: int) -> bool:
    return i == total - 1


def login_email(local_part: str) -> str:
    return f"{local_part}@{EMAIL_DOMAIN}"


def find() -> Case | None:
    """The showcase case in this database, if the demo was seeded."""
    return (Case.objects.filter(area__code=AREA["code"], survivor__given_name=GIVEN_NAME,
                                survivor__family_name=FAMILY_NAME, created_by__email=login_email(WORKER))
            .order_by("-pk").first())


def try_line(reference: str) -> str:
    return (f"Try: as {WORKER}, open {reference} ({GIVEN_NAME} {FAMILY_NAME}) and assess her risk with the checklist "
            f"(14 “yes” is high); then, as probation, open it: the level is high, and says why. Her safety plan "
            f"is due for review once the level changes; probation never sees it.")


# Her contact rules: phone calls only, on weekdays before 5 pm, no voicemail, never post home. A text
# reminder asked for when the case was seeded was refused by the gate, and the refusal is on the case.
CONTACT_RULES = {"safe_channels": ["phone_call"], "voicemail_ok": False, "may_name_agency": False,
                 "never_post_home": True,
                 "safe_times": [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]}
SHOWCASE_MOBILE = "07700 900300"


def contact_rules_seed(anchor: datetime.date) -> None:
    """Her rules and the refused reminder (once: a second seeding finds them there), asked for at the
    end of the seeded history (the day before the anchor, 17:59: the caseload's end), after her safe
    hours, and dated so on her timeline; the access log keeps the real time (it cannot be backdated)."""
    from concord.contact.gate import send_to_survivor
    from concord.contact.models import ContactRules
    from concord.people.models import ContactPoint

    case = find()
    if case is None or ContactRules.objects.filter(person=case.survivor).exists():
        return
    ContactRules.objects.create(person=case.survivor, **CONTACT_RULES)
    if not ContactPoint.objects.filter(person=case.survivor, kind="mobile").exists():
        ContactPoint.objects.create(person=case.survivor, case=case, kind="mobile", value=SHOWCASE_MOBILE,
                                    safe_to_use=True)
    at = datetime.datetime.combine(anchor - datetime.timedelta(days=1), datetime.time(17, 59),
                                   zoneinfo.ZoneInfo(case.area.time_zone))
    message = send_to_survivor(case=case, person=case.survivor, channel="text", purpose="appointment reminder",
                               body="Reminder: your appointment is tomorrow at 10.",
                               key=f"demo:showcase-reminder:{case.pk}", at=at)
    CaseEvent.objects.filter(case=case, object_id=str(message.pk), kind__startswith="message_").update(occurred_at=at)
    Case.objects.filter(pk=case.pk).update(updated_at=at)


# Her safety plan, agreed with the IDVA at the end of the seeded history: in her words where she gave
# them, one step she chose not to take. A change of her risk level (the checklist, live) makes it due
# for review.
SAFETY_PLAN_STEPS = (
    ("If I text Mrs Okafor next door 'blue kettle', she rings 999", True, "someone", "", "Mrs Okafor, next door",
     "agreed"),
    ("A bag by the back door: passport, tablets, charger, the kids' birth certificates", True, "her", "", "",
     "done"),
    ("Walk to work along the high street, not the canal path", True, "her", "", "", "agreed"),
    ("A panic alarm fitted at home", False, "agency", "police", "", "agreed"),
    ("Tell the school who may collect the children", False, "agency", "idva", "", "not_taken"),
)
SAFETY_PLAN_REVIEW_DAYS = 28


def safety_plan_seed(anchor: datetime.date) -> None:
    """Her plan (once: a second seeding finds it there), saved by the IDVA worker, dated the day before
    the anchor at 16:00 (before the refused reminder, her last event); the access log keeps the real time."""
    from django.db.models import Max
    from django.utils import timezone

    from concord.accounts.models import Membership
    from concord.policy import Actor
    from concord.safety.models import SafetyPlan, SafetyPlanVersion
    from concord.safety.services import StepDetails, safety_plan_save

    from .partnership import AGENCIES

    case = find()
    if case is None or SafetyPlan.objects.filter(case=case).exists():
        return
    membership = (Membership.objects.select_related("user", "agency__area")
                  .get(user__email=login_email(WORKER), agency=case.lead_agency))
    idva = Actor(user=membership.user, membership=membership)
    names = {agency.key: agency.name for agency in AGENCIES}
    agencies = {key: case.area.agencies.get(name=names[key]) for key in ("police", "idva")}
    steps = [StepDetails(what=what, in_her_words=hers, owner=owner, owner_agency=agencies.get(agency),
                         owner_name=name, status=status)
             for what, hers, owner, agency, name, status in SAFETY_PLAN_STEPS]
    review = max(anchor, timezone.localdate()) + datetime.timedelta(days=SAFETY_PLAN_REVIEW_DAYS)
    plan = safety_plan_save(actor=idva, case=case, steps=steps, next_review_on=review, expected_version=0)
    at = datetime.datetime.combine(anchor - datetime.timedelta(days=1), datetime.time(16, 0),
                                   zoneinfo.ZoneInfo(case.area.time_zone))
    SafetyPlan.objects.filter(pk=plan.pk).update(updated_at=at)
    SafetyPlanVersion.objects.filter(plan=plan).update(saved_at=at)
    CaseEvent.objects.filter(case=case, kind="safety_plan_saved").update(occurred_at=at)
    last = CaseEvent.objects.filter(case=case).aggregate(last=Max("occurred_at"))["last"]
    Case.objects.filter(pk=case.pk).update(updated_at=last)
