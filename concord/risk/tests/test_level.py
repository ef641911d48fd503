"""The case's risk level: the highest of the instruments, judgement and the history, with every reason;
a judgement only raises; a high level opens its follow-ups; versions keep old scores."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.accounts.models import Sector
from concord.cases import services as case_services
from concord.cases.models import CaseEvent
from concord.cases.records import IncidentDetails
from concord.risk import catalogue, services
from concord.risk.models import Assessment, CaseRisk, RiskLevelChange, Task
from concord.risk.services import BeforeQuestions
from concord.risk.tests.answers import answered
from concord.risk.vocabularies import TaskKind, TaskStatus
from concord.testing.factories import event_text, make_actor, make_agency, make_case, share_with

BEFORE = BeforeQuestions(safe_to_talk="yes", channel="in_person")
pytestmark = pytest.mark.django_db


# Checklist items that are escalation rules of their own (each raises the level to medium at least).
ESCALATING_ITEMS = {"separation", "pregnancy", "stalking", "breaches"}


def plain_yes(yes: int) -> dict[str, str]:
    """ "yes" to `yes` checklist items that are not escalation rules of their own, "no" to the rest."""
    items = [item.id for item in catalogue.instrument("checklist").scored_items]
    chosen = [item for item in items if item not in ESCALATING_ITEMS][:yes]
    assert len(chosen) == yes
    return {item: "yes" if item in chosen else "no" for item in items}


def checklist(actor, case, yes, **kwargs):
    return services.assessment_record(actor=actor, case=case, instrument_id="checklist",
                                      answers=plain_yes(yes), before=BEFORE, her_view="very",
                                      her_words=kwargs.pop("her_words", "That he will find me"), **kwargs)


def incident(actor, case, on, **details):
    return case_services.incident_record(actor=actor, case=case, details=IncidentDetails(
        occurred_on=on, violence_types=("physical_assault",), **details))


@pytest.fixture
def case(advocate):
    return make_case(advocate, incident=False)


def test_a_case_with_nothing_known_is_not_assessed(case):
    assert not CaseRisk.objects.filter(case=case, level__gt="").exists()


@pytest.mark.parametrize(("yes", "level"), [(9, "standard"), (10, "medium"), (13, "medium"), (14, "high")])
def test_the_checklist_sets_the_level_at_its_bands(advocate, case, yes, level):
    checklist(advocate, case, yes)
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == level
    assert risk.reasons[0]["source"] == "instrument" and risk.reasons[0]["score"] == yes


def test_fourteen_yes_is_high_with_reasons_tasks_and_her_words(advocate, case):
    assessment = checklist(advocate, case, 14)
    assert assessment.answers["what_she_fears"] == "That he will find me"  # her words are the free-text item
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "high"
    change = RiskLevelChange.objects.get(case=case)
    assert (change.from_level, change.to_level) == ("", "high")
    event = CaseEvent.objects.get(case=case, kind="risk_level_changed")
    assert event.by_system
    assert "Not assessed → High" in event_text(event) and "14 of 23" in event_text(event)
    tasks = {task.kind: task for task in Task.objects.filter(case=case)}
    assert set(tasks) == {TaskKind.ADVOCATE_CONTACT, TaskKind.REFER_TO_CONFERENCE, TaskKind.SAFETY_PLAN_REVIEW}
    advocate_contact = tasks[TaskKind.ADVOCATE_CONTACT]
    assert advocate_contact.owner_agency == advocate.agency and advocate_contact.worker == advocate.user
    in_a_day = timezone.now() + datetime.timedelta(hours=24)
    assert abs(advocate_contact.due_at - in_a_day) < datetime.timedelta(minutes=1)
    # Reaching high again does not open the same tasks twice.
    checklist(advocate, case, 9)
    checklist(advocate, case, 15)
    assert Task.objects.filter(case=case, status=TaskStatus.OPEN).count() == 3


def test_the_advocacy_task_goes_to_the_involved_advocacy_service(officer, advocacy):
    case = make_case(officer, incident=False)
    share_with(officer, case, advocacy)
    checklist(officer, case, 14)
    assert Task.objects.get(case=case, kind=TaskKind.ADVOCATE_CONTACT).owner_agency == advocacy
    assert Task.objects.get(case=case, kind=TaskKind.REFER_TO_CONFERENCE).owner_agency == officer.agency


def test_her_answers_that_are_escalation_rules_raise_a_low_score(advocate, case):
    answers = {**plain_yes(2), "pregnancy": "yes"}
    services.assessment_record(actor=advocate, case=case, instrument_id="checklist", answers=answers, before=BEFORE,
                               her_view="some")
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "medium"
    assert {(r["source"], r["level"]) for r in risk.reasons} == {("instrument", "standard"), ("escalation", "medium")}


def test_judgement_raises_and_never_lowers(advocate, case):
    checklist(advocate, case, 10)  # medium
    with pytest.raises(ValidationError) as lower:
        services.judgement_record(actor=advocate, case=case, level="standard", reason_kind="other", reason="x")
    assert "never lower" in str(lower.value.message_dict["level"])
    with pytest.raises(ValidationError):
        services.judgement_record(actor=advocate, case=case, level="medium", reason_kind="other", reason="x")
    with pytest.raises(ValidationError) as unexplained:
        services.judgement_record(actor=advocate, case=case, level="high", reason_kind="extreme_fear", reason=" ")
    assert "reason" in unexplained.value.message_dict
    services.judgement_record(actor=advocate, case=case, level="high", reason_kind="extreme_fear",
                              reason="She is terrified and barely slept")
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "high"
    assert {r["source"] for r in risk.reasons} == {"instrument", "judgement"}
    # The instrument's medium is still listed: nothing is hidden by a higher reason.
    assert any(r["source"] == "instrument" and r["level"] == "medium" for r in risk.reasons)


def test_a_judgement_stands_until_the_next_assessment(advocate, case):
    checklist(advocate, case, 5)
    services.judgement_record(actor=advocate, case=case, level="high", reason_kind="immigration", reason="No papers")
    assert CaseRisk.objects.get(case=case).level == "high"
    checklist(advocate, case, 11)
    assert CaseRisk.objects.get(case=case).level == "medium"


def test_an_agency_working_with_him_cannot_assess_or_judge(advocate, case, area):
    probation = make_actor(make_agency(area, Sector.PROBATION))
    share_with(advocate, case, probation.agency)
    with pytest.raises(PermissionDenied):
        checklist(probation, case, 14)
    with pytest.raises(PermissionDenied):
        services.judgement_record(actor=probation, case=case, level="high", reason_kind="other", reason="x")


def test_bad_answers_and_before_questions_are_refused_with_nothing_saved(advocate, case):
    instrument = catalogue.instrument("checklist")
    answers = {**answered(instrument, 3), "fear": "perhaps", "not_an_item": "yes"}
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(actor=advocate, case=case, instrument_id="checklist", answers=answers,
                                   before=BeforeQuestions(safe_to_talk="yes", channel="phone", interpreter_used=True),
                                   her_view="")
    errors = refused.value.message_dict
    assert {"fear", "not_an_item", "interpreter_language", "her_view"} <= set(errors)
    with pytest.raises(ValidationError) as unsafe:
        services.assessment_record(actor=advocate, case=case, instrument_id="checklist", answers={},
                                   before=BeforeQuestions(safe_to_talk="no", channel="phone"), her_view="not_said")
    assert "not safe" in unsafe.value.message_dict["safe_to_talk"][0]
    with pytest.raises(ValidationError):
        services.assessment_record(actor=advocate, case=case, instrument_id="nope", answers={}, before=BEFORE,
                                   her_view="not_said")
    assert not Assessment.objects.exists() and not CaseEvent.objects.filter(kind__startswith="risk").exists()


def test_the_screens_give_levels_and_the_stalking_screen_informs(advocate, case):
    emergency = catalogue.instrument("emergency_screen")
    services.assessment_record(actor=advocate, case=case, instrument_id="emergency_screen",
                               answers=answered(emergency, 2), before=BEFORE, her_view="some")
    assert CaseRisk.objects.get(case=case).level == "standard"
    stalking = catalogue.instrument("stalking_screen")
    services.assessment_record(actor=advocate, case=case, instrument_id="stalking_screen",
                               answers=answered(stalking, 11), before=BEFORE, her_view="some")
    assert CaseRisk.objects.get(case=case).level == "standard"  # informs judgement, no level
    lethality = catalogue.instrument("lethality_screen")
    with pytest.raises(ValidationError):  # screened in: whether she spoke to the advocacy service is asked
        services.assessment_record(actor=advocate, case=case, instrument_id="lethality_screen",
                                   answers=answered(lethality, 1), before=BEFORE, her_view="very")
    services.assessment_record(actor=advocate, case=case, instrument_id="lethality_screen",
                               answers=answered(lethality, 1), before=BEFORE, her_view="very", spoke_to_advocacy="yes")
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "high"
    assert "screened in" in event_text(CaseEvent.objects.filter(kind="risk_assessment_recorded").first())


def test_an_old_assessment_keeps_the_score_of_its_version(advocate, case, tmp_path, monkeypatch):
    assessment = checklist(advocate, case, 14)
    # A version 2 ships with different bands: the version 1 assessment keeps its score and level.
    raw = json.loads((catalogue.SHIPPED / "checklist-v1.json").read_text())
    raw["version"] = 2
    raw["levels"] = [{"id": "standard", "label": "Standard", "scale_level": "standard", "at_least": 0, "at_most": 19},
                     {"id": "high", "label": "High", "scale_level": "high", "at_least": 20}]
    for path in catalogue.SHIPPED.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "checklist-v2.json").write_text(json.dumps(raw))
    shipped = catalogue.load(tmp_path)
    monkeypatch.setattr(catalogue, "_shipped", lambda: shipped)
    services.reconsider(case)
    assessment.refresh_from_db()
    assert (assessment.instrument_version, assessment.score, assessment.scale_level) == (1, 14, "high")
    assert CaseRisk.objects.get(case=case).level == "high"
    newer = checklist(advocate, case, 14)
    assert (newer.instrument_version, newer.scale_level) == (2, "standard")


def test_strangulation_at_the_last_incident_raises_the_level_without_an_assessment(advocate, case):
    incident(advocate, case, timezone.localdate() - datetime.timedelta(days=2), strangulation="yes")
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "high"
    assert [r["rule"] for r in risk.reasons] == ["weapon_or_strangulation"]
    assert risk.reasons[0]["first_time"] is True
    assert (risk.reassess_due, risk.reassess_because) == (timezone.localdate(), "never_assessed")


def test_a_new_incident_makes_reassessment_due(advocate, case):
    checklist(advocate, case, 3)
    risk = CaseRisk.objects.get(case=case)
    assert risk.reassess_because == "interval" and risk.reassess_due == timezone.localdate() + datetime.timedelta(90)
    incident(advocate, case, timezone.localdate())
    risk.refresh_from_db()
    assert (risk.reassess_due, risk.reassess_because) == (timezone.localdate(), "new_incident")


def test_repeat_after_the_conference_referral(advocate, case):
    checklist(advocate, case, 14)
    referral = Task.objects.get(case=case, kind=TaskKind.REFER_TO_CONFERENCE)
    services.task_complete(actor=advocate, task=referral, outcome="Referred to the November meeting")
    assert not CaseRisk.objects.get(case=case).is_repeat
    incident(advocate, case, timezone.localdate() + datetime.timedelta(days=1))
    risk = CaseRisk.objects.get(case=case)
    assert risk.is_repeat and (risk.repeat_definition, risk.repeat_definition_version) == ("any_agency_incident", 1)


def test_only_the_owner_or_the_lead_closes_a_task(advocate, case, housing_worker):
    checklist(advocate, case, 14)
    share_with(advocate, case, housing_worker.agency)
    task = Task.objects.get(case=case, kind=TaskKind.SAFETY_PLAN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=housing_worker, task=task)
    with pytest.raises(ValidationError):
        services.task_complete(actor=advocate, task=task, status=TaskStatus.CANCELLED)  # why, please
    services.task_complete(actor=advocate, task=task, status=TaskStatus.CANCELLED, outcome="She moved away")
    with pytest.raises(ValidationError):
        services.task_complete(actor=advocate, task=task)


def test_a_separation_raises_the_level_and_makes_reassessment_due(advocate, case, area):
    checklist(advocate, case, 3)  # standard, her checklist says nothing of a separation
    risk = CaseRisk.objects.get(case=case)
    assert risk.level == "standard" and risk.reassess_because == "interval"
    services.separation_record(actor=advocate, case=case, separated_on=timezone.localdate() - datetime.timedelta(3))
    risk.refresh_from_db()
    assert risk.level == "medium"
    assert [r for r in risk.reasons if r["source"] == "escalation"] == [
        {"source": "escalation", "rule": "recent_separation", "level": "medium", "recorded": True,
         "window_days": 365}]
    assert (risk.reassess_due, risk.reassess_because) == (timezone.localdate(), "separation")
    assert CaseEvent.objects.filter(case=case, kind="separation_recorded").exists()
    # A new assessment answers for it: reassessment goes back to the interval; the separation still counts.
    checklist(advocate, case, 3)
    risk.refresh_from_db()
    assert risk.reassess_because == "interval" and risk.level == "medium"
    probation = make_actor(make_agency(area, Sector.PROBATION))
    share_with(advocate, case, probation.agency)
    with pytest.raises(PermissionDenied):
        services.separation_record(actor=probation, case=case, separated_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.separation_record(actor=advocate, case=case,
                                   separated_on=timezone.localdate() + datetime.timedelta(days=5))
