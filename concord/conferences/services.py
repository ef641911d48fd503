"""Referring a case to the conference and building a meeting's agenda (issue 17, first part).

A referral names the criteria the case meets (from its risk level's reasons, and the referrer's
professional judgement, with its reason), goes on her consent to be discussed or, without it, on a
supervisor of the lead agency's authority with a legal basis, and records whether she knows of it.
Nothing here tells the person causing harm anything: no message leaves, and the timeline event is the
conference-item facet.

The agenda takes the waiting referrals of the area, highest risk and then oldest first, up to the
series' capacity; the rest wait for the next meeting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.accounts.models import Role
from concord.cases.events import record_event
from concord.cases.models import Case
from concord.consent.models import ConsentDecision
from concord.consent.selectors import decision_in_force
from concord.consent.services import check_without_consent
from concord.consent.vocabularies import Scope
from concord.policy import Action, Actor, SystemActor
from concord.risk.models import CaseRisk
from concord.risk.vocabularies import ReasonSource, RiskLevel, TaskKind

from . import vocabularies as v
from .events import ConferenceEventKind
from .models import ConferenceReferral, Meeting

AGENDA = SystemActor("conference agenda")
LEVEL_RANK: dict[str, int] = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.STANDARD: 2}


def criteria_from_risk(risk: CaseRisk | None) -> list[str]:
    """The criteria the case's risk level gives: a high instrument level (visible high risk), an
    escalation rule, the repeat flag. Professional judgement is the referrer's own."""
    found = set()
    for reason in (risk.reasons if risk is not None else []):
        source = reason.get("source")
        if source == ReasonSource.INSTRUMENT and reason.get("level") == RiskLevel.HIGH:
            found.add(v.Criterion.VISIBLE_HIGH)
        elif source == ReasonSource.ESCALATION:
            found.add(v.Criterion.ESCALATION)
        elif source == ReasonSource.REPEAT:
            found.add(v.Criterion.REPEAT)
    return [code for code in v.Criterion.values if code in found]


def consent_to_discuss(case: Case, at: datetime.datetime | None = None) -> ConsentDecision | None:
    """Her decision in force to be discussed at the conference, if the latest is "given" and current."""
    return decision_in_force(case, Scope.DISCUSS_AT_CONFERENCE, at=at)


@dataclass(frozen=True)
class ConferenceReferralDetails:
    she_knows: str
    why_not_told: str = ""
    judgement_reason: str = ""  # the referrer's professional judgement, when it is a reason
    legal_basis: str = ""  # only without her consent: a supervisor of the lead agency's authority
    override_reason: str = ""


@transaction.atomic
def conference_refer(*, actor: Actor, case: Case, details: ConferenceReferralDetails) -> ConferenceReferral:
    access = policy.decide_for_write(actor, case, Action.REFER)
    errors: dict[str, str] = {}
    risk = CaseRisk.objects.filter(case=case).first()
    criteria = criteria_from_risk(risk)
    if details.judgement_reason.strip():
        criteria = [code for code in v.Criterion.values
                    if code in {*criteria, v.Criterion.PROFESSIONAL_JUDGEMENT}]
    if not criteria:
        errors["judgement_reason"] = _("The case meets none of the criteria from its risk level: give your "
                                       "professional judgement's reason to refer it.")
    if details.she_knows not in v.SheKnows.values:
        errors["she_knows"] = _("Say whether she knows of the referral.")
    elif details.she_knows == v.SheKnows.NO and not details.why_not_told.strip():
        errors["why_not_told"] = _("Say why she has not been told.")
    if ConferenceReferral.objects.select_for_update().filter(
            case=case, status__in=[v.ConferenceReferralStatus.PENDING, v.ConferenceReferralStatus.LISTED]).exists():
        errors["case"] = _("The case is already waiting for, or on the agenda of, a conference.")
    consent = consent_to_discuss(case)
    if consent is None:
        check_without_consent(
            access, legal_basis=details.legal_basis, override_reason=details.override_reason, errors=errors,
            no_consent=_("She has not agreed to be discussed at the conference. Record her consent; without it, "
                         "only a supervisor of the lead agency can refer, naming the legal basis."),
            not_authorised=_("Only a supervisor of the lead agency can refer without her consent."))
    if errors:
        raise ValidationError(errors)
    referral = ConferenceReferral.objects.create(
        case=case, referred_by=actor.user, referred_for=actor.agency, criteria=criteria,
        judgement_reason=details.judgement_reason.strip(),
        repeat_definition=risk.repeat_definition if risk and v.Criterion.REPEAT in criteria else "",
        repeat_definition_version=risk.repeat_definition_version if risk and v.Criterion.REPEAT in criteria
        else None,
        risk_level=risk.level if risk else "",
        consent_basis=v.ConsentBasis.CONSENT if consent else v.ConsentBasis.OVERRIDE, consent_decision=consent,
        legal_basis="" if consent else details.legal_basis,
        override_reason="" if consent else details.override_reason.strip(),
        she_knows=details.she_knows, why_not_told=details.why_not_told.strip())
    record_event(access=access, kind=ConferenceEventKind.REFERRED, object_id=referral.pk,
                 params={"criteria": criteria, "basis": referral.consent_basis, "agency": actor.agency.name},
                 fields=["criteria", "she_knows"])
    # The high level's follow-up "refer to the conference" is done.
    from concord.protocols.services import satisfy

    satisfy(case, subject="", kinds=[TaskKind.REFER_TO_CONFERENCE], outcome=_("Referred to the conference"))
    from concord.risk.services import reconsider

    reconsider(case)  # the referral starts the repeat window
    return referral


# --- The agenda ---------------------------------------------------------------------------------------

def _may_coordinate(actor: Actor, meeting: Meeting) -> None:
    if actor.role != Role.CONFERENCE_COORDINATOR or actor.area.pk != meeting.series.area_id:
        raise PermissionDenied(_("Only a conference coordinator of the area builds its agendas."))


def waiting(area) -> list[ConferenceReferral]:
    """The area's referrals waiting for a meeting: highest risk first, then oldest."""
    rows = list(ConferenceReferral.objects.filter(case__area=area, status=v.ConferenceReferralStatus.PENDING)
                .select_related("case"))
    return sorted(rows, key=lambda r: (LEVEL_RANK.get(r.risk_level, 3), r.referred_at, r.pk))


@dataclass(frozen=True)
class AgendaBuilt:
    listed: list[ConferenceReferral]
    overflow: int  # still waiting, for the next meeting


@transaction.atomic
def agenda_build(*, actor: Actor, meeting: Meeting) -> AgendaBuilt:
    """Fill the meeting's agenda from the waiting referrals, up to the series' capacity."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    if meeting.held_at <= timezone.now():
        raise ValidationError({"meeting": _("This meeting has already taken place.")})
    already = meeting.agenda.filter(status=v.ConferenceReferralStatus.LISTED).count()
    room = max(meeting.series.capacity - already, 0)
    candidates = [r for r in waiting(meeting.series.area) if r.referred_at <= meeting.held_at]
    listed = []
    for position, referral in enumerate(candidates[:room], start=already + 1):
        locked = ConferenceReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != v.ConferenceReferralStatus.PENDING:
            continue
        locked.status, locked.meeting, locked.position = v.ConferenceReferralStatus.LISTED, meeting, position
        locked.version += 1
        locked.save(update_fields=["status", "meeting", "position", "version"])
        record_event(access=policy.decide(AGENDA, referral.case), kind=ConferenceEventKind.LISTED,
                     object_id=locked.pk, params={"meeting_on": meeting.held_at.date().isoformat(),
                                                  "position": position})
        listed.append(locked)
    return AgendaBuilt(listed=listed, overflow=len(candidates) - len(listed))


@transaction.atomic
def agenda_reorder(*, actor: Actor, meeting: Meeting, order: list[int]) -> list[ConferenceReferral]:
    """Put the agenda in this order (every listed referral's id, once)."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _may_coordinate(actor, meeting)
    listed = {r.pk: r for r in meeting.agenda.select_for_update().filter(status=v.ConferenceReferralStatus.LISTED)}
    if sorted(order) != sorted(listed):
        raise ValidationError({"order": _("Give every case on the agenda once.")})
    for position, pk in enumerate(order, start=1):
        referral = listed[pk]
        if referral.position != position:
            referral.position = position
            referral.version += 1
            referral.save(update_fields=["position", "version"])
    return [listed[pk] for pk in order]
