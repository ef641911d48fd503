"""Her safety plan: saved whole and read back, each save a version kept as it was; a stale edit and bad
input refused with field messages; a review marked due by the system after a new incident or a change
of the risk level; never read by an agency working with the person causing harm, nor by one without
access (issue 16 §3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from concord import policy
from concord.accounts.models import Sector
from concord.audit.models import AccessLogEntry
from concord.cases.events import event_entry
from concord.cases.models import CaseEvent
from concord.cases.records import IncidentDetails
from concord.cases.services import incident_record
from concord.risk.services import judgement_record
from concord.safety import selectors
from concord.safety.models import SafetyPlanVersion
from concord.safety.services import StepDetails, safety_plan_mark_for_review, safety_plan_save
from concord.testing.factories import make_actor, make_agency, make_case, share_with

pytestmark = pytest.mark.django_db

NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=28)


def _steps(housing=None):
    return [StepDetails(what="A code word with Mrs Patel next door: 'blue kettle'", in_her_words=True,
                        owner="someone", owner_name="Mrs Patel"),
            StepDetails(what="A bag ready at her sister's", in_her_words=True),
            StepDetails(what="Locks changed", owner="agency", owner_agency=housing, status="done"),
            StepDetails(what="Tell the school who may collect the children", status="not_taken")]


def _save(actor, case, steps=None, version=0, **more):
    return safety_plan_save(actor=actor, case=case, steps=_steps(actor.agency) if steps is None else steps,
                            next_review_on=more.pop("next_review_on", NEXT_MONTH), expected_version=version)


def test_a_plan_is_saved_and_read_back_in_order_with_who_does_each_step(advocate):
    case = make_case(advocate)
    plan = _save(advocate, case)
    assert plan.version == 1 and plan.next_review_on == NEXT_MONTH
    read = selectors.safety_plan_of(policy.decide(advocate, case))
    assert read is not None
    assert [(s.position, s.what, s.who, s.status) for s in read.steps.all()] == [
        (1, "A code word with Mrs Patel next door: 'blue kettle'", "Mrs Patel", "agreed"),
        (2, "A bag ready at her sister's", "She does", "agreed"),
        (3, "Locks changed", advocate.agency.name, "done"),
        (4, "Tell the school who may collect the children", "She does", "not_taken")]
    assert [s.get_status_display() for s in read.steps.all()] == ["Agreed", "Agreed", "Done", "She chose not to"]
    assert read.steps.first().in_her_words  # type: ignore[union-attr]


def test_what_a_step_says_and_who_she_names_are_encrypted_at_rest(advocate):
    from django.db import connection

    case = make_case(advocate)
    _save(advocate, case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT what, owner_name FROM safety_safetystep")
        stored = [value for row in cursor.fetchall() for value in row if value]
        cursor.execute("SELECT steps_json FROM safety_safetyplanversion")
        stored += [row[0] for row in cursor.fetchall()]
    # Whole phrases with spaces: a Fernet token is URL-safe base64 (no spaces), so a short word such as
    # "bag" can turn up in one by chance, while these cannot.
    assert len(stored) == 4 + 1 + 1 and all(value.startswith("gAAAAA") for value in stored)
    assert not any(phrase in value for value in stored
                   for phrase in ("blue kettle", "Mrs Patel", "A bag ready", "Locks changed"))


def test_each_save_keeps_a_version_that_reads_as_it_was(advocate):
    case = make_case(advocate)
    _save(advocate, case)
    _save(advocate, case, [StepDetails(what="Safe route to work by the high street", in_her_words=True)], version=1)
    access = policy.decide(advocate, case)
    versions = selectors.versions_of(access)
    assert [version.version for version in versions] == [2, 1]
    first = selectors.version_of(access, 1)
    assert first is not None and len(first.steps) == 4
    assert first.steps[0]["what"].startswith("A code word") and first.steps[0]["who"] == "Mrs Patel"
    assert [step["what"] for step in versions[0].steps] == ["Safe route to work by the high street"]
    assert selectors.safety_plan_of(access).steps.count() == 1  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        first.save()
    with pytest.raises(ValueError):
        first.delete()


def test_a_save_from_a_stale_form_is_refused_on_version_and_writes_nothing(advocate):
    case = make_case(advocate)
    _save(advocate, case)
    _save(advocate, case, version=1)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(ValidationError) as stale:
        _save(advocate, case, [StepDetails(what="Something else")], version=1)
    assert "Someone changed the plan since you opened it" in stale.value.message_dict["version"][0]
    with pytest.raises(ValidationError):
        _save(advocate, case, version=0)  # a form opened before the first plan
    assert SafetyPlanVersion.objects.filter(plan__case=case).count() == 2
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize(("steps", "review", "field", "words"), [
    ([], NEXT_MONTH, "steps", "at least one step"),
    ([StepDetails(what="  ")], NEXT_MONTH, "steps", "Step 1: say what the step is"),
    ([StepDetails(what="x"), StepDetails(what="Call", owner="agency")], NEXT_MONTH, "steps",
     "Step 2: choose an active agency"),
    ([StepDetails(what="x", owner="someone")], NEXT_MONTH, "steps", "say who she names"),
    ([StepDetails(what="x", status="refused")], NEXT_MONTH, "steps", "choose where it stands"),
    ([StepDetails(what="x")], None, "next_review_on", "Choose when"),
    ([StepDetails(what="x")], datetime.date(2020, 1, 1), "next_review_on", "cannot be in the past"),
])
def test_bad_input_is_refused_with_the_field_it_is_about(advocate, steps, review, field, words):
    case = make_case(advocate)
    with pytest.raises(ValidationError) as refused:
        safety_plan_save(actor=advocate, case=case, steps=steps, next_review_on=review, expected_version=0)
    assert words in " ".join(refused.value.message_dict[field])
    assert not SafetyPlanVersion.objects.exists()


def test_an_agency_of_another_area_cannot_be_given_a_step(advocate):
    from concord.testing.factories import make_area

    case = make_case(advocate)
    elsewhere = make_agency(make_area(), Sector.HOUSING)
    with pytest.raises(ValidationError):
        _save(advocate, case, [StepDetails(what="Call", owner="agency", owner_agency=elsewhere)])


def test_each_save_is_a_timeline_event_that_does_not_quote_the_steps(advocate):
    case = make_case(advocate)
    _save(advocate, case)
    event = case.events.get(kind="safety_plan_saved")
    assert event.facet == "safety_plan"
    entry = event_entry(event, policy.decide(advocate, case))
    assert entry is not None and entry.title == "Safety plan saved"
    assert entry.detail.startswith("Version 1: 4 steps; next review")
    assert "kettle" not in str(event.params) and "Patel" not in str(event.params)
    assert AccessLogEntry.objects.filter(case_id=case.pk, object_type="safety_plan").exists()


def test_a_new_incident_marks_the_plan_for_review_and_the_next_save_answers_it(advocate):
    case = make_case(advocate)
    _save(advocate, case)
    assert selectors.summary_of(policy.decide(advocate, case)).review_due == ""  # type: ignore[union-attr]
    incident_record(actor=advocate, case=case, details=IncidentDetails(
        occurred_on=timezone.localdate(), violence_types=("stalking",)))
    due = case.events.filter(kind="safety_plan_review_due")
    assert "new_incident" in [event.params["reason"] for event in due]
    assert all(event.system_actor == "safety plan review" and event.facet == "safety_plan" for event in due)
    summary = selectors.summary_of(policy.decide(advocate, case))
    assert summary is not None and summary.review_due and summary.version == 1
    plan = _save(advocate, case, version=1)  # the form opened before the incident still saves: it is the review
    assert plan.review_due() == "" and plan.versions.get(version=2).review_reason


def test_a_change_of_risk_level_marks_it_for_review_whoever_changed_it(advocate, police):
    officer = make_actor(police)
    case = make_case(advocate)
    share_with(advocate, case, police)
    _save(advocate, case)
    judgement_record(actor=advocate, case=case, level="high", reason_kind="extreme_fear", reason="She is terrified")
    plan = selectors.safety_plan_of(policy.decide(advocate, case))
    assert plan is not None and plan.review_due_reason == "risk_level_changed"
    # Marking twice for the same reason writes one event.
    safety_plan_mark_for_review(case, "risk_level_changed")
    assert case.events.filter(kind="safety_plan_review_due", params__reason="risk_level_changed").count() == 1
    # The police, under her consent, hold the plan too.
    assert selectors.safety_plan_of(policy.decide(officer, case)) is not None


def test_a_case_without_a_plan_has_nothing_marked(advocate):
    case = make_case(advocate)
    assert safety_plan_mark_for_review(case, "new_incident") is None
    assert not case.events.filter(kind="safety_plan_review_due").exists()


def test_the_scheduled_date_makes_a_review_due(advocate):
    case = make_case(advocate)
    plan = _save(advocate, case)
    assert plan.review_due(NEXT_MONTH - datetime.timedelta(days=1)) == ""
    assert plan.review_due(NEXT_MONTH) == "scheduled"


def test_probation_never_reads_nor_writes_the_plan_even_under_her_consent(advocate, area):
    probation = make_actor(make_agency(area, Sector.PROBATION, "Probation"))
    case = make_case(advocate)
    share_with(advocate, case, probation.agency)
    _save(advocate, case)
    incident_record(actor=advocate, case=case, details=IncidentDetails(
        occurred_on=timezone.localdate(), violence_types=("stalking",)))
    access = policy.decide(probation, case)
    assert access.visible and not access.sees("safety_plan")
    assert selectors.safety_plan_of(access) is None and selectors.versions_of(access) == []
    assert selectors.summary_of(access) is None and selectors.version_of(access, 1) is None
    for event in case.events.filter(kind__startswith="safety_plan"):
        assert event_entry(event, access) is None
    with pytest.raises(PermissionDenied):
        _save(probation, case, version=1)


def test_an_agency_without_access_cannot_write_it(advocate, housing_worker):
    case = make_case(advocate)
    with pytest.raises(Http404):
        _save(housing_worker, case)
    assert selectors.safety_plan_of(policy.decide(housing_worker, case)) is None


def test_the_daily_job_marks_plans_whose_date_has_come_and_the_protocol_opens_a_task():
    import datetime

    from concord.protocols import services as protocols
    from concord.protocols.standard import adopt_standard
    from concord.protocols.vocabularies import Trigger
    from concord.risk.models import Task
    from concord.safety.models import SafetyPlan
    from concord.safety.services import StepDetails, safety_plan_save, safety_plans_due_by_date
    from concord.testing.factories import make_actor, make_agency, make_area, make_case

    area = make_area()
    lead = make_actor(make_agency(area, "housing"), "partnership_lead")
    adopt_standard(partnership_lead=lead, area=area)
    protocols.protocol_approve(actor=lead, version=protocols.protocol_draft(
        actor=lead, area=area, key="plan-review", name="Safety plan review", details=protocols.VersionDetails(
            trigger=Trigger.SAFETY_PLAN_DUE, owner="lead", task_kind="safety_plan_review",
            action="Review the plan with her", due_working_days=2)))
    idva = make_actor(make_agency(area, "specialist_advocacy"))
    case = make_case(idva)
    today = datetime.date.today()
    safety_plan_save(actor=idva, case=case, steps=[StepDetails(what="A bag ready")],
                     next_review_on=today + datetime.timedelta(days=7), expected_version=0)
    assert safety_plans_due_by_date(today) == 0
    assert safety_plans_due_by_date(today + datetime.timedelta(days=7)) == 1
    assert safety_plans_due_by_date(today + datetime.timedelta(days=8)) == 0  # already due: once
    assert SafetyPlan.objects.get(case=case).review_due_reason == "scheduled"
    task = Task.objects.get(case=case, kind="safety_plan_review")
    assert task.owner_agency == idva.agency and task.protocol_version.protocol.key == "plan-review"
