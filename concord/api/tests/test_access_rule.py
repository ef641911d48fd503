"""The access rule, through every operation of the API. A case an actor may not see answers 404 on
every operation that names it (its incidents, needs, agencies and people included), exactly as a
case that does not exist, and nothing is changed. The operations come from the schema itself, so a
new operation is covered (or this test fails for want of a request body) the day it is added."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from concord.accounts.models import Role
from concord.api.urls import api
from concord.cases import services
from concord.cases.models import Case, CaseAgency, CaseEvent, Incident, Need, RecordNote
from concord.consent.services import consent_record
from concord.contact.models import ContactRules
from concord.risk.models import Assessment, CaseRisk, Judgement, Separation, Task
from concord.safety.models import SafetyPlanVersion
from concord.testing.factories import make_actor, make_agency, make_area, make_service_account, share_with

SCHEMA = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
CASE_DATA_PARAMETERS = ("{reference}", "{person_id}")
OPERATIONS = sorted((method, path) for path, methods in SCHEMA["paths"].items() for method in methods
                    if any(parameter in path for parameter in CASE_DATA_PARAMETERS))

# A valid request body for every unsafe operation on case data: the refusal must come from the
# access rule, not from validation.
BODIES = {
    ("patch", "/api/v1/cases/{reference}"): {"version": 1, "status": "closed", "closure_reason": "needs_met"},
    ("post", "/api/v1/cases/{reference}/agencies"): {"agency": "{agency_id}"},
    ("post", "/api/v1/cases/{reference}/incidents"): {"occurred_on": "2026-10-02", "violence_types": ["stalking"]},
    ("patch", "/api/v1/cases/{reference}/incidents/{incident_id}"): {"version": 1, "narrative": "Changed"},
    ("post", "/api/v1/cases/{reference}/incidents/{incident_id}/notes"): {"text": "A note beside it"},
    ("post", "/api/v1/cases/{reference}/needs"): {"in_her_words": "A solicitor", "category": "legal"},
    ("patch", "/api/v1/cases/{reference}/needs/{need_id}"): {"version": 1, "status": "met"},
    ("post", "/api/v1/cases/{reference}/needs/{need_id}/notes"): {"text": "A note beside it"},
    ("patch", "/api/v1/cases/{reference}/people/{person_id}"): {"version": 1, "family_name": "Changed"},
    ("post", "/api/v1/cases/{reference}/assessments"): {
        "instrument": "checklist", "safe_to_talk": "yes", "channel": "phone", "her_view": "some",
        "her_words": "That he will come back", "answers": {"injury": "yes", "fear": "yes", "weapons": "no"}},
    ("post", "/api/v1/cases/{reference}/judgements"): {"level": "high", "reason_kind": "extreme_fear",
                                                        "reason": "She has not slept since he came to the door"},
    ("post", "/api/v1/cases/{reference}/separations"): {"separated_on": "2026-11-20"},
    ("post", "/api/v1/cases/{reference}/tasks/{task_id}/close"): {"status": "done", "outcome": "Called her"},
    ("post", "/api/v1/cases/{reference}/referrals"): {"to_agency": "{agency_id}", "reason": "An officer to call"},
    ("put", "/api/v1/cases/{reference}/safety-plan"): {"version": 0, "next_review_on": "2099-01-01",
                                                         "steps": [{"what": "A bag ready at her sister's"}]},
    ("put", "/api/v1/cases/{reference}/contact-rules"): {"version": None, "safe_channels": ["text"]},
}


@pytest.fixture(autouse=True)
def _open_task(case):
    """An open task of the lead agency on the case, for the operations that close one."""
    return Task.objects.create(case=case, kind="reassess", owner_agency=case.lead_agency, due_at=timezone.now())


@pytest.fixture
def _consent_to_refer(advocate, case, police):
    """Her consent to be referred to the police, for the operation that sends a referral."""
    consent_record(actor=advocate, case=case, scope="refer", agency=police, decision="given", method="verbal")


def test_every_operation_on_case_data_is_covered():
    assert len(OPERATIONS) >= 12
    unsafe = {(method, path) for method, path in OPERATIONS if method != "get"}
    assert unsafe == set(BODIES)


def request_for(method, path, case, agency):
    task = case.tasks.filter(status="open").order_by("pk").first()
    values = {"{reference}": case.reference, "{incident_id}": str(case.incidents.get().pk),
              "{need_id}": str(case.needs.get().pk), "{person_id}": str(case.survivor_id),
              "{task_id}": str(task.pk if task else 1)}
    url = path
    for placeholder, value in values.items():
        url = url.replace(placeholder, value)
    body = BODIES.get((method, path))
    if body is not None:
        body = {key: agency.pk if value == "{agency_id}" else value for key, value in body.items()}
    return url, body


def snapshot(case):
    case.refresh_from_db()
    return (case.version, case.status, case.survivor.version, case.survivor.family_name, Incident.objects.count(),
            Need.objects.count(), CaseAgency.objects.count(), CaseEvent.objects.count(), RecordNote.objects.count(),
            [i.version for i in Incident.objects.all()], [n.version for n in Need.objects.all()],
            Assessment.objects.count(), Judgement.objects.count(), Separation.objects.count(),
            list(Task.objects.values_list("status", flat=True)),
            list(CaseRisk.objects.values_list("level", "reasons")), SafetyPlanVersion.objects.count(),
            list(ContactRules.objects.values_list("version", "safe_channels")))


def _uninvolved_agency(lead, police, housing, case):
    return make_actor(housing)


def _involved_without_consent(lead, police, housing, case):
    officer = make_actor(police)
    share_with(lead, case, police, consent=False)
    return officer


def _consent_withdrawn(lead, police, housing, case):
    officer = make_actor(police)
    share_with(lead, case, police)
    consent_record(actor=lead, case=case, scope="share_agency", agency=police, decision="withdrawn",
                   method="verbal")
    return officer


def _involvement_ended(lead, police, housing, case):
    officer = make_actor(police)
    share_with(lead, case, police)
    services.agency_end_involvement(actor=lead, involvement=case.involvements.get(agency=police))
    return officer


def _administrator_of_the_lead_agency(lead, police, housing, case):
    return make_actor(lead.agency, role=Role.ADMINISTRATOR)


def _analyst_of_the_lead_agency(lead, police, housing, case):
    return make_actor(lead.agency, role=Role.ANALYST)


# The API is called with service tokens: the colleague is the agency's service account, to which the
# rule applies as to a person (a conflict declared for it, a restriction that does not name it).
def _colleague_with_a_conflict_of_interest(lead, police, housing, case):
    colleague = make_service_account(lead.agency)
    services.conflict_declare(actor=colleague, case=case, reason="She is my neighbour")
    return colleague


def _colleague_not_named_on_a_restricted_case(lead, police, housing, case):
    services.case_restrict(actor=lead, case=case, named_users=[])
    return make_service_account(lead.agency)


def _agency_of_another_area(lead, police, housing, case):
    return make_actor(make_agency(make_area(name="Southshire", code="sth"), "specialist_advocacy"))


OUTSIDERS = [_uninvolved_agency, _involved_without_consent, _consent_withdrawn, _involvement_ended,
             _administrator_of_the_lead_agency, _analyst_of_the_lead_agency,
             _colleague_with_a_conflict_of_interest, _colleague_not_named_on_a_restricted_case,
             _agency_of_another_area]


@pytest.fixture(params=OUTSIDERS, ids=[outsider.__name__.strip("_") for outsider in OUTSIDERS])
def outsider(request, advocate, police, housing, case):
    return request.param(advocate, police, housing, case)


@pytest.mark.usefixtures("_consent_to_refer")
def test_an_actor_who_may_not_see_the_case_gets_404_everywhere_and_changes_nothing(client_for, outsider, case,
                                                                                  police):
    outsider_api = client_for(outsider)
    before = snapshot(case)
    answers = {}
    for method, path in OPERATIONS:
        url, body = request_for(method, path, case, police)
        response = outsider_api.call(method, url, body)
        answers[f"{method} {path}"] = (response.status_code, response.json())
    # The same words as for a case that does not exist, on every operation.
    assert answers == {operation: (404, {"detail": "Not Found"}) for operation in answers}
    assert snapshot(case) == before


@pytest.mark.usefixtures("_consent_to_refer")
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_same_requests_reach_the_case_for_the_lead_agency(advocate_api, case, police, method, path):
    # The control: the requests above are well-formed, so their 404 can only come from the access rule.
    url, body = request_for(method, path, case, police)
    response = advocate_api.call(method, url, body)
    assert response.status_code in {200, 201}, response.content


@pytest.mark.parametrize("outsider_kind", OUTSIDERS, ids=[o.__name__.strip("_") for o in OUTSIDERS])
def test_lists_and_search_show_an_outsider_nothing_of_the_case(client_for, advocate, police, housing, case,
                                                              outsider_kind):
    outsider = outsider_kind(advocate, police, housing, case)
    outsider_api = client_for(outsider)
    for path in ["/cases", f"/cases?q={case.reference}", "/cases?q=Amina", "/cases?q=07700900123",
                 "/cases?lead=others", "/people"]:
        response = outsider_api.call("get", path)
        assert response.status_code == 200, path
        assert response.json() == {"items": [], "count": 0}, path


@pytest.mark.parametrize("debug", [False, True])
def test_a_case_that_does_not_exist_answers_exactly_like_a_hidden_one(settings, client_for, advocate_api, housing,
                                                                      case, debug):
    settings.DEBUG = debug  # ninja adds the reason to a 404 in DEBUG; ours never does
    outsider_api = client_for(make_actor(housing))
    incident = case.incidents.get()
    hidden = outsider_api.call("get", f"/cases/{case.reference}/incidents/{incident.pk}")
    missing_case = outsider_api.call("get", "/cases/NTH-2026-99999/incidents/1")
    missing_incident = advocate_api.call("get", f"/cases/{case.reference}/incidents/99999")  # on a case she sees
    assert hidden.status_code == missing_case.status_code == missing_incident.status_code == 404
    assert hidden.content == missing_case.content == missing_incident.content


def test_administrators_cannot_open_cases_and_see_no_case_content(client_for, advocate, case):
    admin_api = client_for(make_actor(advocate.agency, role=Role.ADMINISTRATOR))
    assert admin_api.call("get", "/cases").json()["count"] == 0
    assert admin_api.call("get", "/people").json()["count"] == 0
    response = admin_api.call("post", "/cases", {"survivor": {"given_name": "Bea"}})
    assert response.status_code == 403
    assert Case.objects.count() == 1
    # Administrators still see the partnership's structure, which is theirs to manage.
    assert admin_api.call("get", "/agencies").json()["count"] == 1
