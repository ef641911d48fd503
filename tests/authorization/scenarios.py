"""The situations an agency can be in towards a case, built through the real services, shared by
the UI and API authorization matrices."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from concord.accounts.models import Agency, Role
from concord.cases import services as case_services
from concord.cases.models import Case
from concord.consent import services as consent_services
from concord.consent.models import Override, ProtectedInfoGrant
from concord.policy import Actor
from concord.testing.factories import make_actor, make_agency, make_case, share_with

PHONE = "07700 900999"
REFUGE = "7 Secret Row, Hiddenham"
CASEWORK = {Role.PRACTITIONER, Role.SUPERVISOR, Role.CONFERENCE_COORDINATOR}


@dataclass
class Situation:
    case: Case
    agency: Agency  # the agency whose staff are tested
    visible: bool  # for casework roles
    protected: bool  # sees locations and contact details
    manages: bool  # lead agency powers
    named: set[int]  # user ids named on a restricted case (tested users get named when non-empty)

    def actor(self, role: str) -> Actor:
        actor = make_actor(self.agency, role=role)
        if self.named:
            from concord.cases.models import RestrictedCaseMember

            RestrictedCaseMember.objects.create(case=self.case, user=actor.user, added_by=actor.user)
        return actor

    def expects(self, role: str) -> bool:
        return role in CASEWORK and self.visible


def _lead_case(area) -> tuple[Actor, Case]:
    lead_agency = make_agency(area, "specialist_advocacy", "Lead IDVA")
    lead = make_actor(lead_agency, role=Role.SUPERVISOR)
    case = make_case(lead, phone=PHONE)
    case_services.location_record(actor=lead, case=case, kind="refuge", address=REFUGE)
    return lead, case


def build(name: str, area) -> Situation:
    lead, case = _lead_case(area)
    other = make_agency(area, "police", "Other Police")
    if name == "own_agency_lead":
        return Situation(case, lead.agency, visible=True, protected=True, manages=True, named=set())
    if name == "involved_with_consent":
        share_with(lead, case, other)
        return Situation(case, other, visible=True, protected=False, manages=False, named=set())
    if name == "involved_with_consent_and_grant":
        share_with(lead, case, other)
        consent_services.protected_info_grant(actor=lead, case=case, agency=other, reason="urgent response flag")
        return Situation(case, other, visible=True, protected=True, manages=False, named=set())
    if name == "involved_without_consent":
        share_with(lead, case, other, consent=False)
        return Situation(case, other, visible=False, protected=False, manages=False, named=set())
    if name == "consent_withdrawn":
        share_with(lead, case, other)
        consent_services.consent_record(actor=lead, case=case, scope="share_agency", agency=other,
                                        decision="withdrawn", method="verbal")
        return Situation(case, other, visible=False, protected=False, manages=False, named=set())
    if name == "override_active":
        consent_services.override_authorise(actor=lead, case=case, agency=other, legal_basis="risk_to_life",
                                            reason="threat to kill")
        return Situation(case, other, visible=True, protected=False, manages=False, named=set())
    if name == "override_expired":
        consent_services.override_authorise(actor=lead, case=case, agency=other, legal_basis="risk_to_life",
                                            reason="threat to kill")
        Override.objects.filter(case=case).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        return Situation(case, other, visible=False, protected=False, manages=False, named=set())
    if name == "restricted_not_named":
        case_services.case_restrict(actor=lead, case=case, named_users=[])
        return Situation(case, lead.agency, visible=False, protected=False, manages=False, named=set())
    if name == "restricted_named":
        case_services.case_restrict(actor=lead, case=case, named_users=[])
        return Situation(case, lead.agency, visible=True, protected=True, manages=True, named={0})
    if name == "perpetrator_facing":
        probation = make_agency(area, "probation", "Probation")
        share_with(lead, case, probation)
        # Even a grant slipped past the service (which refuses it) must not reveal anything.
        ProtectedInfoGrant.objects.create(case=case, agency=probation, reason="forced", granted_by=lead.user)
        return Situation(case, probation, visible=True, protected=False, manages=False, named=set())
    if name == "uninvolved":
        return Situation(case, other, visible=False, protected=False, manages=False, named=set())
    raise ValueError(name)


SCENARIOS = [
    "own_agency_lead", "involved_with_consent", "involved_with_consent_and_grant", "involved_without_consent",
    "consent_withdrawn", "override_active", "override_expired", "restricted_not_named", "restricted_named",
    "perpetrator_facing", "uninvolved",
]
ROLES = list(Role.values)
