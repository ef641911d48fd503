"""Risk on the seeded cases: completed checklists scored by the instrument's rule, every case's level
as reconsider() would keep it, and the showcase case the demo is tried on."""

import datetime
import io
from collections import Counter

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from concord import policy
from concord.access.models import AgencyAccess
from concord.accounts.models import Area, Sector
from concord.cases.models import Case, CaseAgency, CaseEvent, CaseWorker
from concord.consent.models import ConsentDecision
from concord.demo import risk, seeding, showcase
from concord.risk import catalogue, scoring, selectors, services
from concord.risk import vocabularies as rv
from concord.risk.models import Assessment, CaseRisk, RiskLevelChange, Task
from concord.risk.rules import rules_for
from concord.risk.services import BeforeQuestions

from .conftest import acting_as

ASSESSING = {Sector.SPECIALIST_ADVOCACY, Sector.POLICE}
KEPT = ("level", "reasons", "reassess_due", "reassess_because", "repeat_definition", "repeat_definition_version")


def _kept() -> dict[str, tuple]:
    return {risk.case.reference: tuple(getattr(risk, name) for name in KEPT)
            for risk in CaseRisk.objects.select_related("case")}


def _without_ids(reasons: list[dict]) -> list[dict]:
    return [{key: value for key, value in reason.items() if key != "assessment_id"} for reason in reasons]


def test_seeded_checklists_are_complete_and_scored_by_the_instrument(run_demo):
    run_demo(cases=150)
    instrument = catalogue.instrument("checklist")
    area = Area.objects.get()
    assert rules_for(area).bands_for("checklist") is None  # the instrument's own bands
    assessments = list(Assessment.objects.select_related("case__lead_agency", "recorded_by", "recorded_for"))
    assert len(assessments) > 20
    scored = [item.id for item in instrument.scored_items]
    for assessment in assessments:
        case = assessment.case
        assert (assessment.instrument, assessment.instrument_version) == ("checklist", instrument.version)
        assert set(scored) <= assessment.answers.keys()
        assert {assessment.answers[item] for item in scored} <= {"yes", "no", "dont_know"}
        result = scoring.score(instrument, assessment.answers)
        assert services.scored_fields(instrument, result) == {
            "score": assessment.score, "level": assessment.level, "scale_level": assessment.scale_level,
            "result": assessment.result}
        # Before the questions, her view and her words, as assessment_record would accept them.
        assert assessment.safe_to_talk in (rv.SafeToTalk.YES, rv.SafeToTalk.NOT_SURE)
        assert assessment.channel in rv.AssessmentChannel.values
        assert assessment.interpreter_used == bool(assessment.interpreter_language)
        assert assessment.her_view in rv.HerViewOfRisk.values
        assert assessment.answers.get("what_she_fears", "") == assessment.her_words
        assert len(assessment.her_words) < 80
        # By the lead agency, inside the case's own dates, after its first incident.
        assert assessment.recorded_for == case.lead_agency
        assert assessment.recorded_by.memberships.filter(agency=case.lead_agency).exists()
        assert case.opened_at < assessment.recorded_at <= (case.closed_at or timezone.now())
        assert assessment.assessed_on == timezone.localdate(assessment.recorded_at)
        assert assessment.assessed_on >= min(case.incidents.values_list("occurred_on", flat=True))
        event = CaseEvent.objects.get(case=case, kind="risk_assessment_recorded")
        assert (event.occurred_at, event.actor, event.agency) == (assessment.recorded_at, assessment.recorded_by,
                                                                  assessment.recorded_for)
        assert event.params["score"] == assessment.score and event.facet == "core"


def test_a_realistic_share_is_assessed_mostly_standard_some_medium_a_few_high(run_demo):
    run_demo(cases=300)
    led = Counter(Case.objects.values_list("lead_agency__sector", flat=True))
    assessed = Counter(Assessment.objects.values_list("case__lead_agency__sector", flat=True))
    assert set(assessed) <= ASSESSING
    share = sum(assessed.values()) / sum(led[sector] for sector in ASSESSING)
    assert 0.35 <= share <= 0.55
    assert Assessment.objects.values("case").distinct().count() == Assessment.objects.count()  # one each
    levels = Counter(Assessment.objects.values_list("scale_level", flat=True))
    total = sum(levels.values())
    assert levels["standard"] / total > 0.6
    assert levels["medium"] > levels["high"] > 0
    assert 0.07 <= levels["high"] / total <= 0.16
    # The case's level: every case has one worked out; the history raises some unassessed cases.
    assert CaseRisk.objects.count() == Case.objects.count()
    case_levels = Counter(CaseRisk.objects.values_list("level", flat=True))
    assert set(case_levels) == {"", "standard", "medium", "high"}
    assert case_levels["high"] / Case.objects.count() < 0.25
    assert CaseRisk.objects.filter(level="high", case__risk_assessments__isnull=True).exists()


def test_reconsider_changes_nothing_on_seeded_cases(run_demo):
    run_demo(cases=120)
    kept = _kept()
    rows = (RiskLevelChange.objects.count(), CaseEvent.objects.count(), Task.objects.count())
    assert rows[0] > 10 and rows[2] > 0

    for case in Case.objects.select_related("area", "lead_agency"):
        services.reconsider(case)

    assert _kept() == kept
    assert (RiskLevelChange.objects.count(), CaseEvent.objects.count(), Task.objects.count()) == rows


def _seeded_risk(run_demo, **options) -> dict:
    """Seed into an empty database, read every case's level, first change and follow-ups back, and
    roll everything back again."""
    with transaction.atomic():
        run_demo(**options)
        found = {}
        for case in Case.objects.order_by("reference"):
            level = case.risk
            found[case.reference] = (
                level.level, _without_ids(level.reasons), level.reassess_due, level.reassess_because,
                [(c.from_level, c.to_level, _without_ids(c.reasons)) for c in case.risk_level_changes.all()],
                sorted((t.kind, t.owner_agency.name, str(t.worker or ""))
                       for t in case.tasks.exclude(kind=rv.TaskKind.CONFERENCE_ACTION)))
        transaction.set_rollback(True)
    return found


def test_the_seeded_levels_are_those_reconsider_works_out(run_demo, monkeypatch):
    anchor = timezone.localdate()
    seeded = _seeded_risk(run_demo, cases=60, anchor=anchor)

    def one_by_one(cases, *, today, end):
        for case in cases:
            services.reconsider(case, today=today)

    monkeypatch.setattr(seeding.risk, "levels", one_by_one)
    assert _seeded_risk(run_demo, cases=60, anchor=anchor) == seeded
    assert {level for level, *_rest in seeded.values()} == {"", "standard", "medium", "high"}


def test_batch_size_does_not_change_the_levels(run_demo):
    assert _seeded_risk(run_demo, cases=30, batch_size=4) == _seeded_risk(run_demo, cases=30)


def test_each_level_has_its_first_change_and_a_high_level_its_follow_ups(run_demo):
    anchor = timezone.localdate() - datetime.timedelta(days=10)
    run_demo(cases=100, anchor=anchor)
    high = 0
    for level in CaseRisk.objects.select_related("case"):
        case = level.case
        changes = list(case.risk_level_changes.all())
        events = list(case.events.filter(kind="risk_level_changed"))
        if not level.level:
            assert not changes and not events
            continue
        [change], [event] = changes, events
        assert (change.from_level, change.to_level, change.reasons) == ("", level.level, level.reasons)
        assert event.system_actor == services.RISK_PROCESS.process and event.actor is None
        assert event.occurred_at == change.changed_at == level.computed_at
        # When the services last reconsidered it: its latest incident or assessment.
        moments = [*case.incidents.values_list("recorded_at", flat=True),
                   *case.risk_assessments.values_list("recorded_at", flat=True)]
        assert change.changed_at == max(moments)
        # The risk rules' follow-ups (a conference's actions are the agencies' own tasks).
        tasks = list(case.tasks.exclude(kind=rv.TaskKind.CONFERENCE_ACTION))
        if level.level != "high":
            assert not tasks
            continue
        high += 1
        assert {task.kind for task in tasks} == {rv.TaskKind.ADVOCATE_CONTACT, rv.TaskKind.REFER_TO_CONFERENCE,
                                                 rv.TaskKind.SAFETY_PLAN_REVIEW}
        for task in tasks:
            assert task.opened_at == change.changed_at
            assert case.events.filter(kind="task_opened", object_id=str(task.pk)).count() == 1
            closed = case.events.filter(kind="task_closed", object_id=str(task.pk))
            if task.is_open:
                assert case.closed_at is None and not closed.exists()
                continue
            assert task.done_at <= (case.closed_at or timezone.make_aware(datetime.datetime.combine(
                anchor, datetime.time())))
            assert task.outcome and closed.get().actor == task.done_by
            if task.done_by is None:  # closed by the system: she was referred to the conference
                assert closed.get().system_actor and case.conference_referrals.exists()
                continue
            # By the agency it belongs to, or by the lead; either may open the case then.
            assert task.done_for in (task.owner_agency, case.lead_agency)
            assert AgencyAccess.objects.valid_at(task.done_at).opening().filter(case=case,
                                                                                agency=task.done_for).exists()
        assert case.updated_at == max(case.events.values_list("occurred_at", flat=True))
    assert high > 5
    assert Task.objects.filter(status="done").exists()


def test_the_showcase_case_is_led_by_the_idva_with_probation_involved_and_no_assessment(seeded):
    case = showcase.find()
    assert case is not None
    assert case.reference == Case.objects.order_by("-opened_at").first().reference  # the latest opened
    assert case.status == "open" and case.lead_agency.name == "Northshire IDVA Service"
    assert case.created_by.email == "idva@demo.concord.test"
    assert CaseWorker.objects.get(case=case, agency=case.lead_agency).worker.get_full_name() == "Hannah Mercer"
    probation = CaseAgency.objects.get(case=case, agency__sector=Sector.PROBATION)
    assert probation.ended_at is None
    decisions = ConsentDecision.objects.filter(case=case, agency=probation.agency).order_by("-decided_at")
    assert decisions.first().decision == "given"
    officer = acting_as("probation@demo.concord.test")
    assert policy.can_view_case(officer, case)
    assert CaseWorker.objects.get(case=case, agency=probation.agency).worker == officer.user
    assert case.incidents.count() == 2
    assert not Assessment.objects.filter(case=case).exists()
    assert case.risk.level == "medium" and case.risk.reassess_because == "never_assessed"


def test_the_showcase_goes_high_when_the_idva_assesses_and_probation_sees_why(seeded):
    case = showcase.find()
    idva = acting_as("idva@demo.concord.test")
    items = [item.id for item in catalogue.instrument("checklist").scored_items]
    answers = {item: "yes" if n < 14 else "no" for n, item in enumerate(items)}

    services.assessment_record(actor=idva, case=policy.get_case(idva, case.reference), instrument_id="checklist",
                               answers=answers, before=BeforeQuestions(safe_to_talk="yes", channel="in_person"),
                               her_view="very", her_words="That he'll find out where I'm staying.")

    assert CaseRisk.objects.get(case=case).level == "high"
    assert Task.objects.filter(case=case, status="open").count() == 3
    officer = acting_as("probation@demo.concord.test")
    picture = selectors.risk_picture(policy.decide(officer, policy.get_case(officer, case.reference)))
    assert picture.level == "high" and not picture.sees_answers
    assert any("14 of 23" in reason["text"] and reason["level"] == "high" for reason in picture.reasons)
    assert picture.latest and picture.latest[0].her_words is None and picture.latest[0].answers is None


def test_demo_logins_names_the_showcase_case(seeded):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Try:"))
    assert line.startswith("Try: as idva, open " + showcase.find().reference)
    assert "as probation" in line


def test_the_showcase_is_the_same_for_a_seed(run_demo):
    def seeded_showcase():
        with transaction.atomic():
            run_demo()
            case = showcase.find()
            found = (case.reference, case.survivor.full_name, list(case.incidents.order_by("occurred_on")
                                                                    .values_list("occurred_on", "injuries")))
            transaction.set_rollback(True)
        return found

    assert seeded_showcase() == seeded_showcase()


def test_the_assessment_draws_leave_the_rest_of_the_case_as_it_was(run_demo, monkeypatch):
    def events_after_seeding():
        with transaction.atomic():
            run_demo()
            found = list(CaseEvent.objects.exclude(kind__startswith="risk").exclude(kind__startswith="task")
                         .order_by("case__reference", "occurred_at", "kind").values_list("case__reference", "kind",
                                                                                         "occurred_at"))
            transaction.set_rollback(True)
        return found

    with_risk = events_after_seeding()
    monkeypatch.setattr(risk, "ASSESSED", 0.0)
    assert events_after_seeding() == with_risk


def test_the_showcase_text_reminder_was_refused_by_her_contact_rules(seeded):
    from concord.cases.models import CaseEvent
    from concord.contact.models import OutboundMessage
    from concord.demo import showcase

    case = showcase.find()
    message = OutboundMessage.objects.get(case=case)
    assert message.status == "refused" and "channel_not_safe" in message.refusals
    assert CaseEvent.objects.filter(case=case, kind="message_refused").exists()
