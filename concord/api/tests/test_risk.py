"""Risk through the API: the instruments; assessments, with her answers only for an agency whose access
includes them; and the case's level with its reasons, which every agency on the case reads, probation
included."""

import pytest

from concord.accounts.models import Sector
from concord.api.schemas import RISK_ANSWER_FIELDS
from concord.audit.models import AccessLogEntry
from concord.risk import catalogue, services
from concord.risk.models import Assessment, CaseRisk
from concord.testing.factories import make_actor, make_agency, make_service_account, make_token, share_with

from .conftest import ApiClient

HER_WORDS = "That he will take the children and I will never see them"
# Checklist items that are escalation rules of their own: left "no", so the score alone decides.
ESCALATING_ITEMS = {"separation", "pregnancy", "stalking", "breaches"}


def plain_yes(yes: int) -> dict[str, str]:
    items = [item.id for item in catalogue.instrument("checklist").scored_items]
    chosen = [item for item in items if item not in ESCALATING_ITEMS][:yes]
    assert len(chosen) == yes
    return {item: "yes" if item in chosen else "no" for item in items}


def checklist(yes: int = 14, **changes) -> dict:
    return {"instrument": "checklist", "safe_to_talk": "yes", "channel": "in_person", "her_view": "very",
            "her_words": HER_WORDS, "answers": plain_yes(yes), **changes}


def url(case, what: str) -> str:
    return f"/cases/{case.reference}/{what}"


@pytest.fixture
def probation(advocate, case):
    """A probation officer on the case, with her consent to share: sees the case, never her answers."""
    agency = make_agency(advocate.area, Sector.PROBATION, "Northshire Probation")
    share_with(advocate, case, agency)
    return make_actor(agency)


# --- The instruments ---------------------------------------------------------------------------------

def test_the_instruments_are_listed_with_every_version_their_items_and_levels(advocate_api):
    response = advocate_api.call("get", "/instruments")
    assert response.status_code == 200
    body = response.json()
    shipped = catalogue.instruments()
    assert body["count"] == len(shipped)
    assert [(i["id"], i["version"]) for i in body["items"]] == [(i.id, i.version) for i in shipped]
    by_id = {i["id"]: i for i in body["items"]}
    checklist_v1 = by_id["checklist"]
    assert checklist_v1["title"] == "Risk identification checklist"
    assert checklist_v1["scoring"]["kind"] == "count_yes" and checklist_v1["highest_score"] == 23
    assert checklist_v1["answers"] == ["yes", "no", "dont_know", "not_answered"]
    assert len(checklist_v1["items"]) == 24
    assert checklist_v1["items"][0] == {"id": "injury", "number": 1, "group": "this_incident", "free_text": False,
                                        "weight": None,
                                        "text": "Were you hurt this time? Include injuries that do not show."}
    assert checklist_v1["items"][-1]["id"] == "what_she_fears" and checklist_v1["items"][-1]["free_text"]
    assert [(lv["id"], lv["scale_level"], lv["at_least"], lv["at_most"]) for lv in checklist_v1["levels"]] == [
        ("standard", "standard", 0, 9), ("medium", "medium", 10, 13), ("high", "high", 14, None)]
    lethality = by_id["lethality_screen"]["scoring"]
    assert (lethality["kind"], lethality["first_items"], lethality["rest_at_least"],
            lethality["asks_spoke_to_advocacy"]) == ("screen_in", 3, 4, True)
    assert {"instrument": "checklist", "item": "stalking", "answer": "yes"} in by_id["stalking_screen"]["offered_when"]


def test_the_instruments_are_read_with_the_partnership_scope(advocate):
    service = make_service_account(advocate.agency)
    partnership_only = ApiClient(make_token(service, scopes=["partnership:read"])[1])
    cases_only = ApiClient(make_token(service, scopes=["cases:read"])[1])
    assert partnership_only.call("get", "/instruments").status_code == 200
    assert cases_only.call("get", "/instruments").status_code == 403


def test_the_schema_answers_are_the_catalogues():
    from concord.api.schemas import RiskAnswer

    assert RiskAnswer.__args__ == catalogue.ANSWERS


# --- Recording an assessment, and the level it gives --------------------------------------------------

def test_fourteen_yes_on_the_checklist_is_recorded_and_makes_the_case_high(advocate_api, advocate, case):
    response = advocate_api.call("post", url(case, "assessments"), checklist(14))
    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert (body["instrument"], body["instrument_version"], body["score"], body["highest"]) == ("checklist", 1, 14, 23)
    assert (body["level"], body["scale_level"]) == ("high", "high")
    assert body["result"] == "Risk identification checklist (version 1): 14 of 23 “yes”"
    assert body["recorded_for"]["id"] == advocate.agency.pk and body["case_reference"] == case.reference
    # The author's agency holds her answers: all of them come back.
    assert (body["safe_to_talk"], body["channel"], body["her_view"], body["her_words"]) == (
        "yes", "in_person", "very", HER_WORDS)
    assert body["answers"] == assessment.answers and body["answers"]["what_she_fears"] == HER_WORDS
    assert body["withheld"] == []

    risk = advocate_api.call("get", url(case, "risk"))
    assert risk.status_code == 200
    level = risk.json()
    assert (level["level"], level["level_label"], level["is_repeat"]) == ("high", "High", False)
    assert level["reassess_due"] == CaseRisk.objects.get(case=case).reassess_due.isoformat()
    instrument_reasons = [r for r in level["reasons"] if r["source_code"] == "instrument"]
    assert instrument_reasons == [{"source": "Risk instrument", "source_code": "instrument", "rule": "checklist",
                                   "level": "high", "level_label": "High",
                                   "text": "Risk identification checklist (version 1): 14 of 23 “yes”"}]
    # A high level opens the area's follow-ups, each with its agency and deadline.
    tasks = {task["kind"]: task for task in level["tasks"]}
    assert set(tasks) == {"advocate_contact", "refer_to_conference", "safety_plan_review"}
    assert tasks["advocate_contact"]["owner_agency"]["id"] == advocate.agency.pk
    assert tasks["advocate_contact"]["kind_label"] == "Specialist advocate to make contact"
    assert all(task["status"] == "open" and task["due_at"] for task in level["tasks"])


def test_assessments_are_listed_newest_first_and_the_read_is_logged(advocate_api, advocate, case):
    for yes in (9, 14):
        assert advocate_api.call("post", url(case, "assessments"), checklist(yes)).status_code == 201
    response = advocate_api.call("get", url(case, "assessments"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(item["score"], item["scale_level"]) for item in body["items"]] == [(14, "high"), (9, "standard")]
    (entry,) = AccessLogEntry.objects.filter(case_id=case.pk, object_type="risk_assessment", action="view")
    assert entry.agency_id == advocate.agency.pk and "her_words" in entry.fields and "answers" in entry.fields


def test_answers_that_are_not_the_instruments_are_422_on_the_item(advocate_api, case):
    unknown_item = checklist(answers={**plain_yes(3), "how_tall_is_he": "yes"})
    not_an_answer = checklist(answers={**plain_yes(3), "weapons": "maybe"})
    for body, item in ((unknown_item, "how_tall_is_he"), (not_an_answer, "weapons")):
        response = advocate_api.call("post", url(case, "assessments"), body)
        assert response.status_code == 422, response.content
        assert [error["loc"][-1] for error in response.json()["detail"]] == [item]
    assert not Assessment.objects.exists()


def test_an_unknown_instrument_and_a_screen_without_its_questions_are_422(advocate_api, case):
    response = advocate_api.call("post", url(case, "assessments"), checklist(instrument="no_such_thing"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "instrument"]
    # Screened in by a "yes" to a first question: whether she spoke to the advocacy service is then required.
    screen = catalogue.instrument("lethality_screen")
    answers = {item.id: "no" for item in screen.scored_items} | {screen.scored_items[0].id: "yes"}
    response = advocate_api.call("post", url(case, "assessments"),
                                 checklist(instrument="lethality_screen", answers=answers))
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["spoke_to_advocacy"]
    response = advocate_api.call("post", url(case, "assessments"), checklist(
        instrument="lethality_screen", answers=answers, spoke_to_advocacy="yes"))
    assert response.status_code == 201, response.content
    assert response.json()["scale_level"] == "high" and response.json()["spoke_to_advocacy"] == "yes"


def test_when_it_is_not_safe_for_her_to_talk_nothing_is_saved(advocate_api, case):
    response = advocate_api.call("post", url(case, "assessments"), checklist(safe_to_talk="no"))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "safe_to_talk"] and "Nothing has been saved" in error["msg"]
    assert not Assessment.objects.exists()
    assert advocate_api.call("get", url(case, "risk")).json()["level"] != "high"


def test_an_interpreter_used_needs_its_language(advocate_api, case):
    response = advocate_api.call("post", url(case, "assessments"), checklist(interpreter_used=True))
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["interpreter_language"]
    response = advocate_api.call("post", url(case, "assessments"),
                                 checklist(interpreter_used=True, interpreter_language="Urdu"))
    assert response.status_code == 201 and response.json()["interpreter_language"] == "Urdu"


def test_the_level_never_shows_a_judgements_written_reason(advocate_api, advocate, case):
    services.judgement_record(actor=advocate, case=case, level="high", reason_kind="extreme_fear",
                              reason="She says he has bought a gun")
    response = advocate_api.call("get", url(case, "risk"))
    assert response.json()["level"] == "high"
    judgement = [r for r in response.json()["reasons"] if r["source_code"] == "judgement"]
    assert [r["text"] for r in judgement] == ["Professional judgement: Extreme fear"]
    assert b"bought a gun" not in response.content


# --- An agency working with the person causing harm --------------------------------------------------

def test_probation_reads_the_level_and_its_reasons_but_none_of_her_answers(advocate_api, client_for, probation,
                                                                         case):
    assert advocate_api.call("post", url(case, "assessments"), checklist(14)).status_code == 201
    probation_api = client_for(probation)

    risk = probation_api.call("get", url(case, "risk"))
    assert risk.status_code == 200
    assert risk.json()["level"] == "high"
    assert [r["rule"] for r in risk.json()["reasons"] if r["source_code"] == "instrument"] == ["checklist"]
    assert HER_WORDS.encode() not in risk.content

    listed = probation_api.call("get", url(case, "assessments"))
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert (item["score"], item["scale_level"]) == (14, "high")
    assert item["result"] == "Risk identification checklist (version 1): 14 of 23 “yes”"
    assert {name: item[name] for name in RISK_ANSWER_FIELDS} == dict.fromkeys(RISK_ANSWER_FIELDS)
    assert item["withheld"] == list(RISK_ANSWER_FIELDS)
    # Not her words, not one answered item, anywhere in what was sent.
    assert HER_WORDS.encode() not in listed.content
    answered = [item_id for item_id, answer in plain_yes(14).items() if answer == "yes"]
    assert not [item_id for item_id in answered if item_id.encode() in listed.content]
    # And the access log says she was shown the result, not her answers.
    (entry,) = AccessLogEntry.objects.filter(case_id=case.pk, agency_id=probation.agency.pk,
                                             object_type="risk_assessment")
    assert "score" in entry.fields and not set(entry.fields) & set(RISK_ANSWER_FIELDS)


def test_probation_cannot_record_an_assessment(client_for, probation, case):
    response = client_for(probation).call("post", url(case, "assessments"), checklist(14))
    assert response.status_code == 403
    assert response.json() == {"detail": "Your agency's access to this case does not include her risk assessment "
                                         "answers."}
    assert not Assessment.objects.exists()


# --- An agency not on the case -----------------------------------------------------------------------

def test_an_agency_not_on_the_case_gets_404_on_its_risk_and_changes_nothing(advocate_api, client_for,
                                                                             housing_worker, case):
    assert advocate_api.call("post", url(case, "assessments"), checklist(14)).status_code == 201
    outsider = client_for(housing_worker)
    for method, what, body in (("get", "risk", None), ("get", "assessments", None),
                               ("post", "assessments", checklist(14))):
        response = outsider.call(method, url(case, what), body)
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), (method, what)
    assert Assessment.objects.count() == 1
    assert not AccessLogEntry.objects.filter(case_id=case.pk, agency_id=housing_worker.agency.pk).exists()
    # The instruments are no one's case: they are still listed.
    assert outsider.call("get", "/instruments").status_code == 200


# --- Judgement and tasks ----------------------------------------------------------------------------

def test_judgement_raises_the_level_and_never_lowers_it(advocate_api, client_for, probation, case):
    assert advocate_api.call("post", url(case, "assessments"), checklist(10)).status_code == 201  # medium
    lower = advocate_api.call("post", url(case, "judgements"),
                              {"level": "medium", "reason_kind": "other", "reason": "Same as the checklist"})
    assert lower.status_code == 422
    assert any(error["loc"][-1] == "level" for error in lower.json()["detail"])
    judgement = {"level": "high", "reason_kind": "honour_based", "reason": "Her brothers threatened her"}
    raised = advocate_api.call("post", url(case, "judgements"), judgement)
    assert raised.status_code == 201, raised.content
    body = raised.json()
    assert body["level"] == "high"
    assert {reason["source_code"] for reason in body["reasons"]} >= {"instrument", "judgement"}
    assert "Her brothers" not in raised.content.decode()  # the written reason is her answers' facet
    refused = client_for(probation).call("post", url(case, "judgements"),
                                         {"level": "high", "reason_kind": "other", "reason": "x"})
    assert refused.status_code == 403
    assert CaseRisk.objects.get(case=case).level == "high"


def test_a_task_is_closed_by_its_agency_or_the_lead_and_only_once(advocate_api, client_for, housing, case, advocate):
    assert advocate_api.call("post", url(case, "assessments"), checklist(14)).status_code == 201
    task = case.tasks.get(kind="safety_plan_review")
    share_with(advocate, case, housing)
    other = client_for(make_actor(housing)).call("post", url(case, f"tasks/{task.pk}/close"), {"status": "done"})
    assert other.status_code == 403
    why_not = advocate_api.call("post", url(case, f"tasks/{task.pk}/close"), {"status": "cancelled"})
    assert why_not.status_code == 422
    done = advocate_api.call("post", url(case, f"tasks/{task.pk}/close"),
                             {"status": "done", "outcome": "Plan reviewed with her at the office"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert advocate_api.call("post", url(case, f"tasks/{task.pk}/close"), {"status": "done"}).status_code == 422
    assert advocate_api.call("post", url(case, "tasks/999999/close"), {"status": "done"}).status_code == 404


def test_a_separation_raises_the_level_and_probation_may_not_record_one(advocate_api, client_for, probation, case):
    assert advocate_api.call("post", url(case, "assessments"), checklist(2)).status_code == 201
    response = advocate_api.call("post", url(case, "separations"), {"separated_on": "2026-11-28"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == "medium"
    assert any(reason["rule"] == "recent_separation" for reason in body["reasons"])
    assert advocate_api.call("post", url(case, "separations"), {"separated_on": "2999-01-01"}).status_code == 422
    assert client_for(probation).call("post", url(case, "separations"),
                                      {"separated_on": "2026-11-28"}).status_code == 403


def test_the_case_list_carries_the_level_and_filters_by_it(advocate_api, case):
    listed = advocate_api.call("get", "/cases").json()["items"]
    assert [item["risk_level"] for item in listed if item["reference"] == case.reference] == [""]
    assert advocate_api.call("get", "/cases?risk=high").json()["count"] == 0
    assert advocate_api.call("post", url(case, "assessments"), checklist(14)).status_code == 201
    high = advocate_api.call("get", "/cases?risk=high").json()
    assert [(item["reference"], item["risk_level"]) for item in high["items"]] == [(case.reference, "high")]
    assert advocate_api.call("get", "/cases?risk=none").json()["count"] == 0
    assert advocate_api.call("get", "/cases?risk=severe").status_code == 422
