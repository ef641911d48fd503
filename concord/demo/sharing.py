"""Her decisions about sharing, as the consent services would have recorded them on a demo case:
consent to share with each involved agency (now and then declined, or later withdrawn), how she
may be contacted, a supervisor's override where she declined and a child or her life was at risk,
and need-to-know grants of her protected information to the agencies housing her."""

from __future__ import annotations

import datetime

from concord.accounts.models import Agency
from concord.cases.models import CaseAgency
from concord.consent.events import ConsentEventKind, consent_params
from concord.consent.models import DEFAULT_OVERRIDE_DAYS, ConsentDecision, Override, ProtectedInfoGrant
from concord.consent.vocabularies import Channel, Decision, LegalBasis, Method, Scope
from concord.people.vocabularies import ContactKind

from .bundle import MINUTE, Story
from .chance import Weighted, between
from .partnership import Partnership

DAY = datetime.timedelta(days=1)
FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)
SHARING = Weighted(((Decision.GIVEN, 88), (Decision.DECLINED, 12)))
METHOD = Weighted(((Method.VERBAL, 70), (Method.WRITTEN, 30)))
DECLINED_NOTES = ("She does not want them to know where she is staying.", "She would like to tell them herself first.",
                  "")
OVERRIDE_BASIS = {"childrens": LegalBasis.SAFEGUARDING_CHILD, "police": LegalBasis.RISK_TO_LIFE,
                  "adults": LegalBasis.SAFEGUARDING_ADULT}
OVERRIDE_REASONS = {
    LegalBasis.SAFEGUARDING_CHILD: "Children present at the latest incident; a strategy discussion is needed.",
    LegalBasis.RISK_TO_LIFE: "Assessed as high risk after the latest incident; police need the history to act.",
    LegalBasis.SAFEGUARDING_ADULT: "She has care and support needs and the abuse is escalating.",
}
NEEDS_TO_KNOW = {"refuge": "Arranging a refuge space", "housing": "Sanctuary scheme at her address",
                 "health": "Hospital appointments under an alias"}


def _decision(story: Story, when: datetime.datetime, **fields) -> ConsentDecision:
    decision = ConsentDecision(case=story.bundle.case, method=METHOD.pick(story.rng), decided_at=when,
                               recorded_at=when, recorded_by=story.worker, recorded_for=story.lead, **fields)
    story.bundle.consents.append(decision)
    params = consent_params(scope=decision.scope, decision=decision.decision, agency=fields.get("agency"),
                            channel=fields.get("channel", ""))
    story.bundle.event(ConsentEventKind.CONSENT_RECORDED, params, when, story.worker, story.lead)
    return decision


def contact_preferences(story: Story) -> None:
    """At intake: how she agrees to be contacted (no post to her home is a common rule)."""
    rng = story.rng
    kinds = {point.kind for point in story.her.contacts}
    choices = []
    if ContactKind.MOBILE in kinds:
        choices += [(Channel.TEXT_MESSAGE, Decision.GIVEN), (Channel.PHONE_CALL, Decision.GIVEN)]
    if ContactKind.EMAIL in kinds:
        choices.append((Channel.EMAIL, rng.choice((Decision.GIVEN, Decision.DECLINED))))
    choices.append((Channel.POST, Decision.DECLINED))
    for channel, decision in choices:
        if rng.random() < 0.5:
            _decision(story, story.tick(), scope=Scope.CONTACT_BY_CHANNEL, channel=channel, decision=decision)


def share_with(story: Story, partnership: Partnership, key: str, involvement: CaseAgency, *, agreed: bool = False
               ) -> tuple[datetime.datetime, datetime.datetime] | None:
    """Right after an agency is involved, the lead records whether she agrees to share with it.
    Returns when the agency may see the case (from, until), or None if it never may. `agreed`: she
    agrees, and does not withdraw."""
    rng, agency = story.rng, involvement.agency
    decided = involvement.added_at + MINUTE
    decision = Decision.GIVEN if agreed else SHARING.pick(rng)
    note = rng.choice(DECLINED_NOTES) if decision == Decision.DECLINED else ""
    _decision(story, decided, scope=Scope.SHARE_WITH_AGENCY, agency=agency, decision=decision, note=note)
    if decision == Decision.GIVEN:
        if not agreed and story.until - decided > 60 * DAY and rng.random() < 0.06:
            withdrawn = between(rng, decided + 30 * DAY, story.until)
            _decision(story, withdrawn, scope=Scope.SHARE_WITH_AGENCY, agency=agency, decision=Decision.WITHDRAWN)
            return decided, withdrawn
        if key in NEEDS_TO_KNOW and rng.random() < 0.5:
            _grant(story, agency, decided + MINUTE, NEEDS_TO_KNOW[key])
        return decided, FOREVER
    if key in OVERRIDE_BASIS and partnership.supervisors[story.lead_key] and rng.random() < 0.4:
        override = _override(story, partnership, agency, OVERRIDE_BASIS[key], decided)
        return override.starts_at, override.expires_at
    return None


def _grant(story: Story, agency: Agency, when: datetime.datetime, reason: str) -> None:
    story.bundle.grants.append(ProtectedInfoGrant(case=story.bundle.case, agency=agency, reason=reason,
                                                  granted_by=story.worker, granted_at=when))
    story.bundle.event(ConsentEventKind.PROTECTED_GRANTED, {"agency_id": agency.pk, "agency": agency.name}, when,
                       story.worker, story.lead)


def _override(story: Story, partnership: Partnership, agency: Agency, basis: str,
              after: datetime.datetime) -> Override:
    supervisor = story.rng.choice(partnership.supervisors[story.lead_key])
    starts = between(story.rng, after, min(after + 3 * DAY, story.until))
    expires = starts + DEFAULT_OVERRIDE_DAYS * DAY
    override = Override(case=story.bundle.case, agency=agency, legal_basis=basis, reason=OVERRIDE_REASONS[basis],
                        authorised_by=supervisor, authorised_for=story.lead, starts_at=starts, expires_at=expires)
    story.bundle.overrides.append(override)
    story.bundle.event(ConsentEventKind.OVERRIDE_GRANTED,
                       {"agency_id": agency.pk, "agency": agency.name, "legal_basis": basis,
                        "expires_at": expires.isoformat(), "facets": override.facets}, starts, supervisor, story.lead)
    return override
