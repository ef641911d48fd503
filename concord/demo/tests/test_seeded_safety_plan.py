"""The showcase's safety plan: agreed with the IDVA in her words, one step she chose not to take; due
for review once her level changes; never seen by probation, which works with him."""

from concord import policy
from concord.demo import showcase
from concord.risk.services import judgement_record
from concord.safety import selectors

from .conftest import acting_as


def test_the_showcase_has_a_short_plan_that_probation_never_sees(seeded):
    case = showcase.find()
    idva = acting_as(showcase.login_email(showcase.WORKER))
    plan = selectors.safety_plan_of(policy.decide(idva, case))
    assert plan is not None and plan.version == 1
    steps = list(plan.steps.all())
    assert len(steps) == len(showcase.SAFETY_PLAN_STEPS)
    assert "not_taken" in {step.status for step in steps} and steps[0].in_her_words
    assert plan.review_due() == ""
    probation = acting_as(showcase.login_email("probation"))
    assert selectors.safety_plan_of(policy.decide(probation, case)) is None
    # Her last change is still her latest event.
    assert case.events.order_by("-occurred_at").first().kind.startswith("message_")


def test_the_plan_is_due_for_review_when_her_level_changes(seeded):
    case = showcase.find()
    idva = acting_as(showcase.login_email(showcase.WORKER))
    judgement_record(actor=idva, case=case, level="high", reason_kind="extreme_fear", reason="She is terrified")
    summary = selectors.summary_of(policy.decide(idva, case))
    assert summary is not None and summary.review_due == "risk_level_changed"


def test_seeding_the_plan_again_keeps_the_one_there(seeded):
    import datetime

    showcase.safety_plan_seed(datetime.date.today())
    assert showcase.find().safety_plan.versions.count() == 1
