"""Authorization matrix for the staff UI: every role × every case view × every situation an agency
can be in (tests/authorization/scenarios.py).

- GET: exactly 200, 403 (may see the case but not do this) or 404 (may not see it).
- POST, with valid data: 404 for anyone who may not see the case; the view's own refusal (403, a
  form error, or a redirect with an error message) for those who see it without the power; a real
  change for the others. Whatever is refused writes nothing.
- Her protected information appears in no response to anyone who may not see it, and "Withheld."
  appears in its place on the case page.
- Lists and search show the case exactly when it is visible; a search by her phone number only to
  those who hold her protected information; the override review only on cases seen now.

The spec tables below are checked against the URLconf: a case URL without an entry fails
`test_every_case_route_is_in_the_matrix`, by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse

from concord.accounts.models import Role
from concord.cases.models import (
    CaseAgency,
    CaseEvent,
    CaseParticipant,
    CaseWorker,
    ConflictOfInterest,
    Incident,
    Need,
    RecordNote,
    RestrictedCaseMember,
)
from concord.conferences.models import ConferenceReferral
from concord.consent.models import ConsentDecision, Override, ProtectedInfoGrant, WithdrawalToConfirm
from concord.contact.models import ContactRules
from concord.people.models import ContactPoint, Person, PersonAlias, ProtectedLocation
from concord.referrals.models import Referral
from concord.risk.models import Assessment, Judgement, Separation, Task
from concord.safety.models import SafetyPlan, SafetyPlanVersion
from concord.testing.documents import pdf_text
from concord.testing.factories import login
from concord.web import urls as web_urls
from concord.web.forms import PersonEditForm

from .scenarios import (
    BYSTANDER_OVERRIDE_REASON,
    CASEWORK,
    CONSENT_NOTE,
    CONTACT_NOTE,
    EMAIL,
    HER_NEED,
    HER_RISK_WORDS,
    NARRATIVE,
    OVERRIDE_REASON,
    PHONE,
    PROTECTED_VALUES,
    REFUGE,
    ROLES,
    SCENARIOS,
    Situation,
)

Args = Callable[[Situation], list]


def no_args(s: Situation) -> list:
    return []


# What a view needs beyond seeing the case (concord.policy.AccessDecision):
#   view: nothing more — record_incident: the incident-narratives facet — record_need: the needs facet —
#   record_risk: the risk-answers facet (assess, or raise the level on judgement) —
#   edit_lead_record: edit a record the lead agency made (the scenario's incident and need), which only
#   its author, the lead agency, may — correct: her details and the people on the case (the lead agency
#   here: no involvement is allowed to) — correct_her: the same, never for an agency working with the
#   person causing harm — protected: her protected details — manage: the lead agency — override: a
#   supervisor of the lead agency.
def allowed(situation: Situation, role: str, needs: str) -> bool:
    return situation.expects(role) and {
        "view": True,
        # A withdrawal about another agency: never by one working with the person causing harm (decision 7).
        "withdraw_for_others": not situation.agency.is_perpetrator_facing,
        "record_incident": "incident_narratives" in situation.facets,
        "record_need": "needs" in situation.facets,
        "record_risk": "risk_answers" in situation.facets,
        "edit_lead_record": situation.manages,
        "correct": situation.manages,
        "correct_her": situation.manages and not situation.agency.is_perpetrator_facing,
        "protected": situation.protected,
        "manage": situation.manages,
        "override": situation.manages and role == Role.SUPERVISOR,
    }[needs]


@dataclass(frozen=True)
class Get:
    name: str
    needs: str
    args: Args = no_args
    never: tuple[str, ...] = ()  # protected values this page shows nobody, whoever asks
    facet: str = ""  # the record it shows belongs to this facet: without it, the record is not found
    query: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Post:
    name: str
    needs: str
    data: Callable[[Situation], dict]
    done: Callable[[Situation, Any], bool]  # (situation, actor): the change asked for was made
    refused: str | None = None  # how the view says "you see the case but may not do this"
    args: Args = no_args
    label: str = ""  # tells apart several POSTs to one view
    facet: str = ""  # as Get.facet

    @property
    def title(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def survivor(s: Situation) -> list:
    return [s.case.survivor_id]


GET_SPECS = [
    Get("web:case", "view"),
    Get("web:timeline", "view"),
    Get("web:case_worker", "view"),
    Get("web:incident_add", "record_incident"),
    Get("web:incident_edit", "edit_lead_record", lambda s: [s.incident.pk]),
    Get("web:need_add", "record_need"),
    Get("web:need_edit", "edit_lead_record", lambda s: [s.need.pk], facet="needs"),
    Get("web:person_add", "correct"),
    Get("web:person_edit", "correct", survivor),
    Get("web:consent_add", "view"),
    Get("web:location_add", "protected"),
    Get("web:contact_point_add", "protected", survivor),
    Get("web:contact_point_mark", "protected", lambda s: [s.case.survivor_id, s.phone_contact.pk]),
    Get("web:protected_grant_add", "manage"),
    Get("web:restriction", "manage"),
    Get("web:sharing", "manage"),
    Get("web:who_has_seen", "manage"),
    # A printed summary is kept where Concord cannot protect it: never her refuge or how to reach her.
    Get("web:case_export", "view", never=(REFUGE, PHONE, EMAIL, CONTACT_NOTE)),
    Get("web:case_export_pdf", "view", never=(REFUGE, PHONE, EMAIL, CONTACT_NOTE), query={"purpose": "court"}),
    Get("web:override_add", "override"),
    Get("web:risk_history", "view"),
    Get("web:assessment_add", "record_risk", lambda s: ["checklist"]),
    Get("web:assessment_detail", "view", lambda s: [s.assessment.pk], facet="risk_answers"),
    Get("web:judgement_add", "record_risk"),
    Get("web:referral_new", "view"),
    Get("web:conference_refer", "view"),
    # Her safety plan: its own facet, never for an agency working with the person causing harm.
    Get("web:safety_plan", "view", facet="safety_plan"),
    Get("web:safety_plan_version", "view", lambda s: [_safety_plan(s).version], facet="safety_plan"),
    # Her contact rules are her protected details: only with need-to-know on this case.
    Get("web:contact_rules", "protected"),
]

# Case URLs that only show: everything else must have a POST spec too.
READ_ONLY = {"web:case", "web:timeline", "web:who_has_seen", "web:case_export", "web:case_export_pdf",
             "web:sharing", "web:risk_history", "web:assessment_detail", "web:safety_plan_version"}

INCIDENT = {"occurred_on": "2026-10-02", "place_type": "her_home", "violence_types": ["stalking"],
            "injuries": "none", "weapon_used": "unknown", "strangulation": "unknown",
            "children_present": "unknown", "police_attended": "unknown", "narrative": "He waited outside her work."}
NEED = {"in_her_words": "A solicitor for the order", "category": "legal", "priority": "medium"}


def person_edit_data(person_id: int) -> dict:
    """Everything the form was drawn with (a blank would clear it), and one real change."""
    initial = PersonEditForm.initial_from(Person.objects.get(pk=person_id))
    return {key: value for key, value in initial.items() if value not in (None, False)} | {"known_as": "Known-as"}


def known_as(person_id: int) -> str:
    return Person.objects.get(pk=person_id).known_as


def _case(s: Situation):
    s.case.refresh_from_db()
    return s.case


def _withdrawal_to_confirm(s: Situation) -> WithdrawalToConfirm:
    """One sent to the lead agency to confirm, as if another agency had been told of it."""
    from django.utils import timezone

    now = timezone.now()
    found = WithdrawalToConfirm.objects.filter(case=s.case, outcome="").first()
    return found or WithdrawalToConfirm.objects.create(
        case=s.case, scope="share_agency", agency=s.lead.agency, decision="withdrawn", method="verbal",
        decided_at=now, recorded_by=s.lead.user, recorded_for=s.lead.agency, due_at=now)


# A step of her safety plan, shown only to a reader who holds the plan.
HER_PLAN_WORDS = "A code word with Mrs Patel: blue kettle"


def _safety_plan(s: Situation) -> SafetyPlan:
    """Her plan, made by the lead agency the first time a spec needs one."""
    import datetime

    from concord.safety.services import StepDetails, safety_plan_save

    found = SafetyPlan.objects.filter(case=s.case).first()
    return found or safety_plan_save(actor=s.lead, case=s.case, expected_version=0,
                                     next_review_on=datetime.date.today() + datetime.timedelta(days=28),
                                     steps=[StepDetails(what=HER_PLAN_WORDS, in_her_words=True)])


def _safety_plan_form(s: Situation) -> dict:
    import datetime

    plan = SafetyPlan.objects.filter(case=s.case).first()
    return {"version": plan.version if plan else 0,
            "next_review_on": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
            "steps-TOTAL_FORMS": 1, "steps-INITIAL_FORMS": 0, "steps-0-what": "A bag ready at her sister's",
            "steps-0-owner": "her", "steps-0-status": "agreed"}


def _contact_rules(s: Situation) -> ContactRules | None:
    return ContactRules.objects.filter(person_id=s.case.survivor_id).first()


def _consent(s: Situation, **filters) -> bool:
    return ConsentDecision.objects.filter(case=s.case, **filters).exists()


# In the order they are sent by each caller: what would take away the caller's own access (declaring
# a conflict) comes last, and closing is followed by reopening. What one caller changed is rolled
# back before the next one starts, so no one's success changes the situation of the next.
POST_SPECS = [
    Post("web:consent_add", "withdraw_for_others", refused="422", label="withdrawn-sharing",
         data=lambda s: {"scope": "share_agency", "agency": s.lead.agency.pk, "decision": "withdrawn",
                         "method": "verbal"},
         # Recorded by the lead, in the ledger; by another agency, sent to the lead to confirm (decision 7).
         done=lambda s, a: _consent(s, agency=s.lead.agency, decision="withdrawn")
         or WithdrawalToConfirm.objects.filter(case=s.case, agency=s.lead.agency, decision="withdrawn").exists()),
    Post("web:consent_add", "manage", refused="422", label="given-sharing",
         data=lambda s: {"scope": "share_agency", "agency": s.newcomer.pk, "decision": "given", "method": "written"},
         done=lambda s, a: _consent(s, agency=s.newcomer, decision="given")),
    Post("web:consent_add", "protected", refused="422", label="given-channel",
         data=lambda s: {"scope": "contact", "channel": "text", "decision": "given", "method": "verbal"},
         done=lambda s, a: _consent(s, scope="contact", channel="text", decision="given")),
    Post("web:withdrawal_resolve", "manage", refused="403", args=lambda s: [_withdrawal_to_confirm(s).pk],
         data=lambda s: {"outcome": "not_confirmed", "outcome_note": "She told us she wants them to stay"},
         done=lambda s, a: WithdrawalToConfirm.objects.filter(case=s.case, outcome="not_confirmed").exists()),
    Post("web:override_add", "override", refused="403",
         data=lambda s: {"agency": s.newcomer.pk, "legal_basis": "risk_to_life", "reason": "Threat made at court"},
         done=lambda s, a: s.case.overrides.filter(agency=s.newcomer).exists()),
    Post("web:override_end", "override", refused="refused", args=lambda s: [s.bystander_override.pk],
         data=lambda s: {}, done=lambda s, a: s.bystander_override.ended_at is not None),
    Post("web:protected_grant_add", "manage", refused="403",
         data=lambda s: {"agency": s.newcomer.pk, "reason": "Health visitor calls at the refuge"},
         done=lambda s, a: s.case.protected_grants.filter(agency=s.newcomer, ended_at__isnull=True).exists()),
    Post("web:protected_grant_end", "manage", refused="refused", args=lambda s: [s.bystander_grant.pk],
         data=lambda s: {}, done=lambda s, a: s.bystander_grant.ended_at is not None),
    Post("web:location_add", "protected", refused="403",
         data=lambda s: {"kind": "current_address", "address": "1 New Street, Elsewhere"},
         done=lambda s, a: s.case.protected_locations.filter(kind="current_address").exists()),
    Post("web:incident_add", "record_incident", refused="403", data=lambda s: INCIDENT,
         done=lambda s, a: s.case.incidents.count() == 2),
    Post("web:incident_edit", "edit_lead_record", refused="403", args=lambda s: [s.incident.pk],
         data=lambda s: INCIDENT | {"version": s.incident.version},
         done=lambda s, a: s.incident.narrative == INCIDENT["narrative"]),
    # The incident is in the core record; a note beside it needs its narrative, like recording one.
    Post("web:incident_note_add", "record_incident", refused="refused", args=lambda s: [s.incident.pk],
         data=lambda s: {"text": "Police attended the next night too"},
         done=lambda s, a: s.incident.notes.filter(recorded_for=a.agency).exists()),
    Post("web:need_note_add", "record_need", refused="refused", args=lambda s: [s.need.pk], facet="needs",
         data=lambda s: {"text": "We can fit the locks on Friday"},
         done=lambda s, a: s.need.notes.filter(recorded_for=a.agency).exists()),
    Post("web:need_add", "record_need", refused="403", data=lambda s: NEED,
         done=lambda s, a: s.case.needs.count() == 2),
    Post("web:need_edit", "edit_lead_record", refused="403", args=lambda s: [s.need.pk], facet="needs",
         data=lambda s: NEED | {"status": "partly_met", "version": s.need.version},
         done=lambda s, a: s.need.status == "partly_met"),
    Post("web:person_add", "correct", refused="403",
         data=lambda s: {"role": "other_adult", "given_name": "Rosa", "relationship": "family"},
         done=lambda s, a: s.case.participants.filter(role="other_adult").exists()),
    Post("web:person_edit", "correct_her", refused="403", label="survivor", args=survivor,
         data=lambda s: person_edit_data(s.case.survivor_id),
         done=lambda s, a: known_as(s.case.survivor_id) == "Known-as"),
    Post("web:person_edit", "correct", refused="403", label="person causing harm",
         args=lambda s: [s.person_causing_harm.pk], data=lambda s: person_edit_data(s.person_causing_harm.pk),
         done=lambda s, a: known_as(s.person_causing_harm.pk) == "Known-as"),
    Post("web:alias_add", "correct_her", refused="403", args=survivor,
         data=lambda s: {"alias_name": "Amy Quinn", "alias_kind": "alias"},
         done=lambda s, a: PersonAlias.objects.filter(person_id=s.case.survivor_id).exists()),
    Post("web:contact_point_add", "protected", refused="403", args=survivor,
         data=lambda s: {"kind": "email", "value": "second.inbox@example.org", "safe_to_use": "yes"},
         done=lambda s, a: s.case.contact_points.count() == 3),
    Post("web:contact_point_mark", "protected", refused="403",
         args=lambda s: [s.case.survivor_id, s.phone_contact.pk],
         data=lambda s: {"safe_to_use": "no", "note": "He has seen this phone"},
         done=lambda s, a: s.phone_contact.safe_to_use is False),
    # After the one above marked it not safe: safe again, with a reason and a confirmation.
    Post("web:contact_point_mark", "protected", refused="403", label="safe again",
         args=lambda s: [s.case.survivor_id, s.phone_contact.pk],
         data=lambda s: {"safe_to_use": "yes", "note": "A new phone he has never had", "confirm": "on"},
         done=lambda s, a: s.phone_contact.safe_to_use is True),
    # "Take this case": every agency that sees the case names who holds it there.
    Post("web:case_worker", "view", data=lambda s: {"worker": "me"},
         done=lambda s, a: CaseWorker.objects.filter(case=s.case, agency=a.agency, worker=a.user,
                                                     ended_at__isnull=True).exists()),
    Post("web:agency_add", "manage", refused="refused", data=lambda s: {"agency": s.newcomer.pk, "reason": "GP"},
         done=lambda s, a: s.case.involvements.filter(agency=s.newcomer, ended_at__isnull=True).exists()),
    Post("web:agency_end", "manage", refused="refused", args=lambda s: [s.bystander_involvement.pk],
         data=lambda s: {}, done=lambda s, a: s.bystander_involvement.ended_at is not None),
    Post("web:restriction", "manage", refused="403", data=lambda s: {},
         done=lambda s, a: _case(s).is_restricted
         and s.case.restricted_members.filter(user=a.user, removed_at__isnull=True).exists()),
    Post("web:case_close", "manage", refused="refused",
         data=lambda s: {"version": _case(s).version, "closure_reason": "needs_met"},
         done=lambda s, a: _case(s).status == "closed"),
    Post("web:case_reopen", "manage", refused="refused", data=lambda s: {"version": _case(s).version},
         done=lambda s, a: _case(s).status == "open" and s.case.events.filter(kind="reopened").exists()),
    Post("web:assessment_add", "record_risk", refused="403", args=lambda s: ["checklist"],
         data=lambda s: {"safe_to_talk": "yes", "channel": "phone", "assessed_on": "2026-11-30", "her_view": "some",
                         "her_words": "Scared of the weekends", "fear": "yes", "money": "dont_know"},
         done=lambda s, a: Assessment.objects.filter(case=s.case, recorded_by=a.user).exists()),
    Post("web:judgement_add", "record_risk", refused="403",
         data=lambda s: {"level": "high", "reason_kind": "extreme_fear", "reason": "She has not slept for days"},
         done=lambda s, a: Judgement.objects.filter(case=s.case, recorded_by=a.user).exists()),
    Post("web:separation_add", "record_risk", refused="403", data=lambda s: {"separated_on": "2026-11-20"},
         done=lambda s, a: Separation.objects.filter(case=s.case, recorded_by=a.user).exists()),
    # The lead agency owns the scenario's tasks (one each for its casework roles to close).
    Post("web:task_close", "manage", refused="refused", args=lambda s: [s.open_task.pk if s.open_task else 0],
         data=lambda s: {"status": "done", "outcome": "Called her on the safe number"},
         done=lambda s, a: Task.objects.filter(case=s.case, done_by=a.user).exists()),
    # Without her consent to refer to the newcomer: only a supervisor of the lead agency, naming a legal basis.
    # Her consent to be discussed is not recorded on the situation's case: only the lead's supervisor.
    Post("web:conference_refer", "override", refused="422",
         data=lambda s: {"she_knows": "yes", "judgement_reason": "Extreme fear", "legal_basis": "risk_to_life",
                         "override_reason": "Threats to kill last night"},
         done=lambda s, a: ConferenceReferral.objects.filter(case=s.case, referred_by=a.user).exists()),
    Post("web:referral_new", "override", refused="422",
         data=lambda s: {"to_agency": s.newcomer.pk, "reason": "A health visitor for the baby", "urgency": "routine",
                         "legal_basis": "risk_to_life", "override_reason": "Threats to the baby last night"},
         done=lambda s, a: Referral.objects.filter(case=s.case, to_agency=s.newcomer).exists()),
    Post("web:safety_plan", "view", facet="safety_plan", data=_safety_plan_form,
         done=lambda s, a: SafetyPlanVersion.objects.filter(plan__case=s.case, saved_by=a.user).exists()),
    # The version as it is when sent: recording her consent to a channel (above) changes her rules too.
    Post("web:contact_rules", "protected", refused="403",
         data=lambda s: {"version": (rules := _contact_rules(s)) and rules.version or "",
                         "safe_channels": ["phone_call"], "time_1_days": ["0", "1"], "time_1_start": "09:00",
                         "time_1_end": "12:00", "code_word": "Bluebell"},
         done=lambda s, a: (rules := _contact_rules(s)) is not None and rules.safe_channels == ["phone_call"]
         and rules.code_word == "Bluebell"),
    Post("web:conflict_declare", "view", data=lambda s: {"reason": "I know her sister"},
         done=lambda s, a: ConflictOfInterest.objects.filter(case=s.case, user=a.user).exists()),
]

CASE_ROUTES = sorted(f"{web_urls.app_name}:{pattern.name}" for pattern in web_urls.urlpatterns
                     if "<str:reference>" in str(pattern.pattern))


def test_every_case_route_is_in_the_matrix():
    get_names, post_names = {spec.name for spec in GET_SPECS}, {spec.name for spec in POST_SPECS}
    assert len(CASE_ROUTES) >= 20  # the enumeration itself works
    missing = [name for name in CASE_ROUTES if name not in get_names | post_names]
    assert not missing, f"case URLs with no entry in the UI authorization matrix (GET_SPECS/POST_SPECS): {missing}"
    unposted = [name for name in CASE_ROUTES if name not in post_names | READ_ONLY]
    assert not unposted, f"case URLs with no POST spec (add one, or list them in READ_ONLY): {unposted}"
    stale = sorted((get_names | post_names | READ_ONLY) - set(CASE_ROUTES))
    assert not stale, f"matrix entries for URLs that are not case URLs any more: {stale}"


def expected_get(situation: Situation, role: str, needs: str, facet: str = "") -> int:
    if not situation.expects(role) or (facet and not situation.holds(role, facet)):
        return 404
    return 200 if allowed(situation, role, needs) else 403


def leaked(body: str, *, allow: tuple[str, ...] = ()) -> list[str]:
    return [value for value in PROTECTED_VALUES if value in body and value not in allow]


# Each facet, by a value only it shows on the case page (and, where a facet is withheld, its notice).
FACET_MARKERS = {
    "incident_narratives": NARRATIVE,
    "needs": HER_NEED,
    "consent": CONSENT_NOTE,
    "risk_answers": HER_RISK_WORDS,
    "access_log": "Who has seen this record",
    "safety_plan": 'id="safety-plan-h"',
}
WITHHELD_NOTICES = {
    "incident_narratives": "What happened: withheld",
    "needs": "does not include her needs",
    "consent": "does not include her consent decisions",
    "protected": "Her locations and contact details are shown only to",
}


def check_case_page(situation: Situation, role: str, page: str) -> list[str]:
    """Every facet is shown exactly when the decision holds it, and a withheld one says so."""
    failures = []
    if situation.protected and (missing := [value for value in PROTECTED_VALUES if value not in page]):
        failures.append(f"protected values not shown: {missing}")
    for facet, marker in FACET_MARKERS.items():
        if (marker in page) is not situation.holds(role, facet):
            failures.append(f"{facet} shown={marker in page}, expected {situation.holds(role, facet)}")
    if BYSTANDER_OVERRIDE_REASON in page:
        failures.append("another agency's override reason is on the case page (it belongs on the sharing page)")
    for facet, notice in WITHHELD_NOTICES.items():
        if (notice in page) is situation.holds(role, facet):
            failures.append(f"'{facet}' withheld notice shown={notice in page}, expected "
                            f"{not situation.holds(role, facet)}")
    return failures


def check_sharing_page(situation: Situation, role: str, page: str) -> list[str]:
    """Other agencies' overrides (their reasons) are on the sharing page, for whoever holds that facet:
    the case page itself no longer lists them."""
    if (BYSTANDER_OVERRIDE_REASON in page) is not situation.holds(role, "overrides"):
        return [f"overrides shown={BYSTANDER_OVERRIDE_REASON in page}, expected {situation.holds(role, 'overrides')}"]
    return []


def check_export(situation: Situation, role: str, export: str) -> list[str]:
    """The export carries no more facets than the screen (and never her refuge or contact details, nor her
    notes on consent decisions: it leaves the system)."""
    failures = [f"export: {facet} shown={marker in export}, expected {situation.holds(role, facet)}"
                for facet, marker in (("incident_narratives", NARRATIVE), ("needs", HER_NEED),
                                      ("risk_answers", HER_RISK_WORDS))
                if (marker in export) is not situation.holds(role, facet)]
    return failures + (["export: her consent note shown"] if CONSENT_NOTE in export else [])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_page_answers_exactly_as_the_access_rule_says(client, situation, scenario):
    failures = []
    for role in ROLES:
        login(client, situation.actor(role))
        for spec in GET_SPECS:
            url = reverse(spec.name, args=[situation.case.reference, *spec.args(situation)])
            response = client.get(url, spec.query)
            # A PDF is read as its reader reads it: its text, page by page.
            body = (pdf_text(response.content) if response.get("Content-Type") == "application/pdf"
                    else response.content.decode())
            expected = expected_get(situation, role, spec.needs, spec.facet)
            if response.status_code != expected:
                failures.append(f"{scenario} {role} GET {url}: {response.status_code}, expected {expected}")
            if not situation.sees_protected(role) and (found := leaked(body)):
                failures.append(f"{scenario} {role} GET {url}: protected values shown: {found}")
            if HER_RISK_WORDS in body and not situation.holds(role, "risk_answers"):
                failures.append(f"{scenario} {role} GET {url}: her words from a risk assessment shown")
            if HER_PLAN_WORDS in body and not situation.holds(role, "safety_plan"):
                failures.append(f"{scenario} {role} GET {url}: a step of her safety plan shown")
            if found := [value for value in spec.never if value in body]:
                failures.append(f"{scenario} {role} GET {url}: values this page never shows: {found}")
            if spec.name == "web:case" and response.status_code == 200:
                failures += [f"{scenario} {role} GET {url}: {failure}"
                             for failure in check_case_page(situation, role, body)]
            if spec.name == "web:sharing" and response.status_code == 200:
                failures += [f"{scenario} {role} GET {url}: {failure}"
                             for failure in check_sharing_page(situation, role, body)]
            if spec.name in ("web:case_export", "web:case_export_pdf") and response.status_code == 200:
                failures += [f"{scenario} {role} GET {url}: {failure}"
                             for failure in check_export(situation, role, body)]
    assert not failures, "\n".join(failures)


def snapshot(situation: Situation) -> dict:
    """Everything a case view could write, anywhere in the database."""
    case = _case(situation)

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "case": (case.version, case.status, case.is_restricted, case.lead_agency_id),
        "events": rows(CaseEvent), "consent": rows(ConsentDecision),
        "overrides": rows(Override, "ended_at", "expires_at"), "grants": rows(ProtectedInfoGrant, "ended_at"),
        "involvements": rows(CaseAgency, "ended_at"), "locations": rows(ProtectedLocation),
        "incidents": rows(Incident, "version"), "needs": rows(Need, "version"), "notes": rows(RecordNote),
        "participants": rows(CaseParticipant), "workers": rows(CaseWorker, "ended_at"),
        "people": rows(Person, "version"), "aliases": rows(PersonAlias),
        "contacts": rows(ContactPoint, "safe_to_use"), "restricted": rows(RestrictedCaseMember, "removed_at"),
        "conflicts": rows(ConflictOfInterest),
        "assessments": rows(Assessment), "judgements": rows(Judgement), "tasks": rows(Task, "status"),
        "separations": rows(Separation), "safety_plans": rows(SafetyPlanVersion),
        "contact_rules": rows(ContactRules, "version"),
    }


def outcome(response) -> str:
    """'404', '403', '422'…; for a redirect, 'ok' or 'refused' by the message it carries."""
    if response.status_code != 302:
        return str(response.status_code)
    levels = {message.level for message in get_messages(response.wsgi_request)}
    if messages.ERROR in levels:
        return "refused"
    return "ok" if messages.SUCCESS in levels else "redirect without a message"


def expected_post(situation: Situation, role: str, spec: Post) -> str:
    if not situation.expects(role) or (spec.facet and not situation.holds(role, spec.facet)):
        return "404"
    return "ok" if allowed(situation, role, spec.needs) else spec.refused or "ok"


def post_requests(situation: Situation) -> list[tuple[Post, str, dict]]:
    """(spec, url, data) for every POST spec, drawn from the case as it is now."""
    return [(spec, reverse(spec.name, args=[situation.case.reference, *spec.args(situation)]), spec.data(situation))
            for spec in POST_SPECS]


def send(client, url: str, data: dict):
    client.cookies.pop("messages", None)  # only this request's messages count in `outcome`
    return client.post(url, data)


def changes_by_one_who_may_not_see_it(client, situation, role, requests) -> list[str]:
    """Every POST answers 404 and writes nothing (each one: no timeline event; all of them: no row).
    The requests were drawn before any role ran: nothing changes the case for these callers."""
    failures, before, events = [], snapshot(situation), CaseEvent.objects.count()
    for spec, url, data in requests:
        response = send(client, url, data)
        where = f"{situation.name} {role} POST {spec.title} {url}"
        if (got := outcome(response)) != "404":
            failures.append(f"{where}: {got}, expected 404")
        events_before, events = events, CaseEvent.objects.count()
        if events != events_before:
            failures.append(f"{where}: answered {got}, yet a timeline event was written")
        if found := leaked(response.content.decode()):
            failures.append(f"{where}: protected values shown: {found}")
    after = snapshot(situation)
    if changed := [key for key in before if before[key] != after[key]]:
        failures.append(f"{situation.name} {role}: every POST was refused, yet these were written: {changed}")
    return failures


def changes_by_one_who_sees_it(client, situation, role, actor) -> list[str]:
    """Each POST makes its change, or is refused the view's way and writes nothing."""
    failures, after = [], snapshot(situation)
    for spec in POST_SPECS:
        url = reverse(spec.name, args=[situation.case.reference, *spec.args(situation)])
        response = send(client, url, spec.data(situation))
        got, expected = outcome(response), expected_post(situation, role, spec)
        where = f"{situation.name} {role} POST {spec.title} {url}"
        if got != expected:
            failures.append(f"{where}: {got}, expected {expected}")
        before, after = after, snapshot(situation)
        if expected == "ok" and got == "ok" and not (after != before and spec.done(situation, actor)):
            failures.append(f"{where}: answered as a success, but the change was not made")
        if expected != "ok" and after != before:
            failures.append(f"{where}: should have been refused ({expected}), yet something was written")
        if not situation.sees_protected(role) and (found := leaked(response.content.decode())):
            failures.append(f"{where}: protected values shown: {found}")
    return failures


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_change_is_made_or_refused_exactly_as_the_access_rule_says(client, situation, scenario):
    failures, outsider_requests = [], post_requests(situation)
    for role in ROLES:
        # Each role acts on the situation as built: what it changed is rolled back before the next.
        with transaction.atomic():
            actor = situation.actor(role)
            login(client, actor)
            if situation.expects(role):
                failures += changes_by_one_who_sees_it(client, situation, role, actor)
            else:
                failures += changes_by_one_who_may_not_see_it(client, situation, role, outsider_requests)
            transaction.set_rollback(True)
        situation.case.refresh_from_db()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_lists_search_and_override_review_show_the_case_only_to_those_who_may_see_it_now(client, situation,
                                                                                          scenario):
    link, reference = reverse("web:case", args=[situation.case.reference]), situation.case.reference
    failures = []
    for role in ROLES:
        login(client, situation.actor(role))
        sees = situation.expects(role)
        # (what, response, {text: whether it must be in the page}, protected values the page may echo)
        listings = [
            ("home", client.get(reverse("web:home")), {link: sees}, ()),
            ("search by name", client.post(reverse("web:search"), {"q": "Khan"}), {link: sees}, ()),
            # Her number finds her case only for those who hold her contact details on it.
            ("search by phone", client.post(reverse("web:search"), {"q": PHONE}),
             {link: situation.sees_protected(role)}, (PHONE,)),
            # The lead agency reviews every override on its case; an agency given one, its own; and
            # only on a case they may see now.
            ("override review", client.get(reverse("web:overrides")),
             {reference: sees and (situation.manages or situation.own_override),
              BYSTANDER_OVERRIDE_REASON: sees and situation.manages,
              OVERRIDE_REASON: sees and situation.own_override}, ()),
            # The agency's tasks name a case only where it may open it (or read a referral's packet).
            ("tasks", client.get(reverse("web:tasks")), {} if sees else {link: False}, ()),
        ]
        for what, response, expected_texts, echoed in listings:
            body = response.content.decode()
            expected_status = 404 if what in ("override review", "tasks") and role not in CASEWORK else 200
            if response.status_code != expected_status:
                failures.append(f"{scenario} {role} {what}: {response.status_code}, expected {expected_status}")
            if shown := [text for text, expected in expected_texts.items() if text in body and not expected]:
                failures.append(f"{scenario} {role} {what}: shows what it must not: {shown}")
            if missing := [text for text, expected in expected_texts.items() if expected and text not in body]:
                failures.append(f"{scenario} {role} {what}: does not show {missing}")
            if found := leaked(body, allow=echoed):
                failures.append(f"{scenario} {role} {what}: protected values shown: {found}")
    assert not failures, "\n".join(failures)
