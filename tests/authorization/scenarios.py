"""The situations an agency can be in towards a case, built through the real services, shared by
the UI and API authorization matrices.

Every situation starts from the same case (`_lead_case`): opened by a specialist advocacy service,
with all of her protected information recorded on it (two contact points, one with a note, four
locations, one of them her child's school), and with records for the POST matrix to act on: a
bystander agency involved, with an override and a need-to-know grant. The bystander is never the
agency under test, so these records do not change what the tested agency may see; they make sure
that a 404 on "end this override" comes from the access rule, not from a missing record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from concord.access.facets import CONSENT_FACETS, LEAD_FACETS, NEVER_FOR_PERPETRATOR_FACING, PROTECTED_FACETS
from concord.accounts.models import Agency, Role
from concord.cases import people_services
from concord.cases import services as case_services
from concord.cases.models import Case, CaseAgency, Incident, Need
from concord.consent import services as consent_services
from concord.consent.models import Override, ProtectedInfoGrant
from concord.people.details import ContactDetails, PersonDetails
from concord.people.models import ContactPoint, Person
from concord.policy import Actor
from concord.risk import services as risk_services
from concord.risk.models import Assessment, Task
from concord.risk.services import BeforeQuestions
from concord.risk.vocabularies import TaskKind
from concord.testing.factories import (
    make_actor,
    make_agency,
    make_case,
    make_service_account,
    share_with,
    shorten_overrides,
)

# Her protected information: none of these may ever appear for someone who may not see it.
PHONE = "07700 900999"
EMAIL = "quiet.inbox@example.org"
CONTACT_NOTE = "Only after six when he is at work"
REFUGE = "7 Secret Row, Hiddenham"
SAFE_ADDRESS = "Flat 3, 12 Linden Court, Stillwater"
WORKPLACE = "Back office, Orchard Garden Centre, Mill Lane"
SCHOOL = "Brookfield Primary, Kestrel Road"
PROTECTED_VALUES = (PHONE, EMAIL, CONTACT_NOTE, REFUGE, SAFE_ADDRESS, WORKPLACE, SCHOOL)

BYSTANDER_OVERRIDE_REASON = "Court order to share with housing"
# One value per facet of the case, to tell on a page whether the facet was shown.
NARRATIVE = "He pushed her against the wall."  # incident narratives
HER_NEED = "I need the locks changed"  # needs, in her words
CONSENT_NOTE = "Not the health visitor, not yet"  # consent: her notes
HER_RISK_WORDS = "That he will come back when the children are asleep"  # risk answers: her words
OVERRIDE_REASON = "threat to kill"
CASEWORK = {Role.PRACTITIONER, Role.SUPERVISOR, Role.CONFERENCE_COORDINATOR}


@dataclass
class Situation:
    name: str
    case: Case
    lead: Actor  # the lead agency's supervisor who built the case
    agency: Agency  # the agency whose staff are tested
    visible: bool  # for casework roles
    protected: bool  # sees locations and contact details
    manages: bool  # lead agency powers
    bystander: Agency  # involved, with an override and a grant: records for the views that end one
    newcomer: Agency  # not on the case: the agency that the views adding an agency, grant or override add
    facets: frozenset[str] = frozenset()  # what the tested agency may read inside the case
    named: bool = False  # tested users are named on the (restricted) case
    conflicted: bool = False  # tested users have declared a conflict of interest
    own_override: bool = False  # an override exists for the tested agency

    def actor(self, role: str, *, service_account: bool = False) -> Actor:
        """Staff of the tested agency in this role (or a service account in it, for the API's tokens)."""
        actor = make_service_account(self.agency, role) if service_account else make_actor(self.agency, role=role)
        if self.named:
            case_services.case_restrict(actor=self.lead, case=self.case, named_users=[actor.user])
        if self.conflicted and role in CASEWORK:  # only those who work cases can declare one
            case_services.conflict_declare(actor=actor, case=self.case, reason="She is my neighbour")
        return actor

    def expects(self, role: str) -> bool:
        """Whether staff of the tested agency in this role may see the case."""
        return role in CASEWORK and self.visible

    def sees_protected(self, role: str) -> bool:
        return self.expects(role) and self.protected

    def holds(self, role: str, facet: str) -> bool:
        return self.expects(role) and facet in self.facets

    # The records the views act on.
    @property
    def incident(self) -> Incident:
        return self.case.incidents.order_by("pk").first()

    @property
    def need(self) -> Need:
        return self.case.needs.order_by("pk").first()

    @property
    def person_causing_harm(self) -> Person:
        return self.case.participants.get(role="person_causing_harm").person

    @property
    def phone_contact(self) -> ContactPoint:
        return self.case.contact_points.get(kind="mobile")

    @property
    def assessment(self) -> Assessment:
        return self.case.risk_assessments.order_by("pk").first()

    @property
    def open_task(self) -> Task | None:
        return self.case.tasks.filter(status="open").order_by("pk").first()

    @property
    def bystander_involvement(self) -> CaseAgency:
        return self.case.involvements.get(agency=self.bystander)

    @property
    def bystander_override(self) -> Override:
        return self.case.overrides.get(agency=self.bystander)

    @property
    def bystander_grant(self) -> ProtectedInfoGrant:
        return self.case.protected_grants.get(agency=self.bystander)


def _lead_case(area) -> tuple[Actor, Case, Agency, Agency]:
    lead_agency = make_agency(area, "specialist_advocacy", "Lead IDVA")
    lead = make_actor(lead_agency, role=Role.SUPERVISOR)
    case = make_case(lead, phone=PHONE)
    survivor = case.survivor
    people_services.contact_point_add(actor=lead, case=case, person=survivor,
                                      details=ContactDetails(kind="email", value=EMAIL, safe_to_use=True,
                                                             note=CONTACT_NOTE))
    for kind, address in [("refuge", REFUGE), ("safe_address", SAFE_ADDRESS), ("workplace", WORKPLACE)]:
        case_services.location_record(actor=lead, case=case, kind=kind, address=address)
    child = case_services.participant_add(actor=lead, case=case, role="child", relationship="child_of_survivor",
                                          details=PersonDetails(given_name="Lila", family_name="Khan")).person
    case_services.location_record(actor=lead, case=case, kind="childs_school", address=SCHOOL, person=child)

    bystander = make_agency(area, "housing", "Bystander Housing")
    newcomer = make_agency(area, "health", "Newcomer Health")
    case_services.agency_involve(actor=lead, case=case, agency=bystander, reason="rehousing")
    consent_services.override_authorise(actor=lead, case=case, agency=bystander, legal_basis="court_order",
                                        reason=BYSTANDER_OVERRIDE_REASON)
    consent_services.protected_info_grant(actor=lead, case=case, agency=bystander, reason="moving her")
    consent_services.consent_record(actor=lead, case=case, scope="share_agency", agency=newcomer,
                                    decision="declined", method="verbal", note=CONSENT_NOTE)
    # A risk assessment with her words (the risk-answers facet), at a standard level so that a
    # judgement may still raise it; and the lead agency's open tasks, one for each role to close.
    risk_services.assessment_record(actor=lead, case=case, instrument_id="checklist",
                                    answers={"fear": "yes", "isolation": "yes", "money": "yes"},
                                    before=BeforeQuestions(safe_to_talk="yes", channel="in_person"),
                                    her_view="very", her_words=HER_RISK_WORDS)
    for kind in (TaskKind.ADVOCATE_CONTACT, TaskKind.REFER_TO_CONFERENCE, TaskKind.SAFETY_PLAN_REVIEW):
        Task.objects.create(case=case, kind=kind, owner_agency=lead.agency, due_at=timezone.now())
    return lead, case, bystander, newcomer


def build(name: str, area) -> Situation:
    lead, case, bystander, newcomer = _lead_case(area)
    other = make_agency(area, "police", "Other Police")
    now = timezone.now()

    def situation(agency, *, visible, protected=False, manages=False, facets=None, **flags) -> Situation:
        if facets is None:
            facets = LEAD_FACETS if manages else CONSENT_FACETS | (PROTECTED_FACETS if protected else frozenset())
        return Situation(name, case, lead, agency, visible=visible, protected=protected, manages=manages,
                         bystander=bystander, newcomer=newcomer, facets=frozenset(facets) if visible else frozenset(),
                         **flags)

    if name == "own_agency_lead":
        return situation(lead.agency, visible=True, protected=True, manages=True)
    if name == "involved_with_consent":
        share_with(lead, case, other)
        return situation(other, visible=True)
    if name == "involved_with_consent_and_grant":
        share_with(lead, case, other)
        consent_services.protected_info_grant(actor=lead, case=case, agency=other, reason="urgent response flag")
        return situation(other, visible=True, protected=True)
    if name == "involved_without_consent":
        share_with(lead, case, other, consent=False)
        return situation(other, visible=False)
    if name == "consent_withdrawn":
        share_with(lead, case, other)
        consent_services.consent_record(actor=lead, case=case, scope="share_agency", agency=other,
                                        decision="withdrawn", method="verbal")
        return situation(other, visible=False)
    if name == "sector_consent":
        # She agreed to share with the police, not with this force by name.
        case_services.agency_involve(actor=lead, case=case, agency=other)
        consent_services.consent_record(actor=lead, case=case, scope="share_sector", sector="police",
                                        decision="given", method="written")
        return situation(other, visible=True)
    if name == "sector_withdrawn_after_agency_given":
        # Agreed for this force yesterday; today she withdrew for every police agency.
        case_services.agency_involve(actor=lead, case=case, agency=other)
        consent_services.consent_record(actor=lead, case=case, scope="share_agency", agency=other,
                                        decision="given", method="verbal", decided_at=now - datetime.timedelta(days=1))
        consent_services.consent_record(actor=lead, case=case, scope="share_sector", sector="police",
                                        decision="withdrawn", method="verbal")
        return situation(other, visible=False)
    if name == "consent_expired":
        case_services.agency_involve(actor=lead, case=case, agency=other)
        consent_services.consent_record(actor=lead, case=case, scope="share_agency", agency=other,
                                        decision="given", method="written",
                                        decided_at=now - datetime.timedelta(days=30),
                                        expires_at=now - datetime.timedelta(days=1))
        return situation(other, visible=False)
    if name == "involvement_ended":
        share_with(lead, case, other)
        case_services.agency_end_involvement(actor=lead, involvement=case.involvements.get(agency=other))
        return situation(other, visible=False)
    if name == "override_active":
        # Its purpose by default: the core record and incident narratives.
        consent_services.override_authorise(actor=lead, case=case, agency=other, legal_basis="risk_to_life",
                                            reason=OVERRIDE_REASON)
        return situation(other, visible=True, own_override=True, facets={"core", "incident_narratives"})
    if name == "override_for_needs":
        # An override whose purpose is her needs and consent, not what happened.
        consent_services.override_authorise(actor=lead, case=case, agency=other, legal_basis="safeguarding_adult",
                                            reason=OVERRIDE_REASON, facets=["needs", "consent"])
        return situation(other, visible=True, own_override=True, facets={"core", "needs", "consent"})
    if name == "override_expired":
        consent_services.override_authorise(actor=lead, case=case, agency=other, legal_basis="risk_to_life",
                                            reason=OVERRIDE_REASON)
        # Shortening an override is the one change the ledger's guard allows.
        shorten_overrides(now - datetime.timedelta(minutes=1), case=case, agency=other)
        return situation(other, visible=False, own_override=True)
    if name == "restricted_not_named":
        case_services.case_restrict(actor=lead, case=case, named_users=[])
        return situation(lead.agency, visible=False)
    if name == "restricted_named":
        case_services.case_restrict(actor=lead, case=case, named_users=[])
        return situation(lead.agency, visible=True, protected=True, manages=True, named=True)
    if name == "conflict_declared":
        return situation(lead.agency, visible=False, conflicted=True)
    if name == "perpetrator_facing":
        probation = make_agency(area, "probation", "Probation")
        share_with(lead, case, probation)
        # Even a grant slipped past the service (which refuses it) must not reveal anything.
        ProtectedInfoGrant.objects.create(case=case, agency=probation, reason="forced", granted_by=lead.user)
        # Her consent opens the case, never her risk answers or safety plan to an agency working with him.
        return situation(probation, visible=True, facets=CONSENT_FACETS - NEVER_FOR_PERPETRATOR_FACING)
    if name == "uninvolved":
        return situation(other, visible=False)
    raise ValueError(name)


SCENARIOS = [
    "own_agency_lead", "involved_with_consent", "involved_with_consent_and_grant", "involved_without_consent",
    "consent_withdrawn", "sector_consent", "sector_withdrawn_after_agency_given", "consent_expired",
    "involvement_ended", "override_active", "override_for_needs", "override_expired", "restricted_not_named",
    "restricted_named", "conflict_declared", "perpetrator_facing", "uninvolved",
]
ROLES = list(Role.values)
