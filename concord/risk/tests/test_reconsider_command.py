"""`manage.py risk_reconsider`: the windows slide with time, and the nightly run brings levels down
(or up) with them, a case per transaction, safe to interrupt and run again."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from concord.cases import services as case_services
from concord.cases.models import Case, CaseEvent
from concord.cases.records import IncidentDetails
from concord.risk import services
from concord.risk.models import CaseRisk, RiskLevelChange
from concord.testing.factories import make_actor, make_agency, make_area, make_case

pytestmark = pytest.mark.django_db

# What the weapon rule gave when the incident was recent.
WEAPON = {"source": "escalation", "rule": "weapon_or_strangulation", "level": "high", "what": ["weapon"],
          "window_days": 365, "first_time": True}


def old_weapon_case(actor, days_ago: int = 400) -> Case:
    """A case whose only incident, with a weapon, is `days_ago` days old, and whose level is still
    the "high" it had when the incident was recent (as if nothing had run since)."""
    case = make_case(actor, incident=False)
    case_services.incident_record(actor=actor, case=case, details=IncidentDetails(
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago), violence_types=("physical_assault",),
        weapon_used="yes"))
    CaseRisk.objects.filter(case=case).update(level="high", reasons=[WEAPON])
    return case


def run(*args) -> str:
    out = io.StringIO()
    call_command("risk_reconsider", *args, stdout=out)
    return out.getvalue()


def level_changes(case):
    return CaseEvent.objects.filter(case=case, kind="risk_level_changed")


def test_an_incident_past_the_window_no_longer_makes_the_case_high(advocate):
    case = old_weapon_case(advocate)
    events_before = level_changes(case).count()
    output = run()
    risk = CaseRisk.objects.get(case=case)
    assert (risk.level, risk.reasons) == ("", [])
    change = RiskLevelChange.objects.filter(case=case).first()
    assert change is not None and (change.from_level, change.to_level) == ("high", "")
    event = level_changes(case).order_by("-pk").first()
    assert level_changes(case).count() == events_before + 1
    assert event is not None and event.by_system and (event.params["from"], event.params["to"]) == ("high", "")
    assert "1 / 1" in output and "1 open cases: 1 changed" in output
    # Nothing has changed since: a second run changes nothing.
    assert "0 changed" in run()
    assert level_changes(case).count() == events_before + 1


def test_an_incident_still_in_the_window_keeps_the_case_high(advocate):
    case = old_weapon_case(advocate, days_ago=365)
    run()
    assert CaseRisk.objects.get(case=case).level == "high"
    assert not RiskLevelChange.objects.filter(case=case, to_level="").exists()


def test_progress_every_batch(advocate):
    for _ in range(3):
        old_weapon_case(advocate)
    output = run("--batch", "2")
    assert output.splitlines()[:2] == ["2 / 3", "3 / 3"]
    assert set(CaseRisk.objects.values_list("level", flat=True)) == {""}


def test_only_open_cases_and_only_the_area_asked_for(advocate, area):
    here, closed = old_weapon_case(advocate), old_weapon_case(advocate)
    Case.objects.filter(pk=closed.pk).update(status="closed", closure_reason="needs_met")
    elsewhere_actor = make_actor(make_agency(make_area(name="Southshire", code="sth")))
    elsewhere = old_weapon_case(elsewhere_actor)
    output = run("--area", "NTH")  # codes match whatever their case
    assert "1 / 1" in output
    levels = dict(CaseRisk.objects.values_list("case_id", "level"))
    assert levels == {here.pk: "", closed.pk: "high", elsewhere.pk: "high"}
    run()
    assert dict(CaseRisk.objects.values_list("case_id", "level"))[elsewhere.pk] == ""
    with pytest.raises(CommandError, match="No area with code 'XXX'"):
        run("--area", "XXX")
    with pytest.raises(CommandError, match="at least 1"):
        run("--batch", "0")


def test_interrupted_it_keeps_each_case_done_and_running_it_again_is_safe(advocate):
    first, second, third = (old_weapon_case(advocate) for _ in range(3))
    real_record_event = services.record_event
    calls = []

    def interrupt_the_second(**kwargs):
        # Ctrl-C inside the second case's transaction, after its level and change were written.
        calls.append(kwargs["object_id"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_record_event(**kwargs)

    with mock.patch("concord.risk.services.record_event", side_effect=interrupt_the_second), \
            pytest.raises(CommandError, match="after 1 of 3 open cases") as interrupted:
        run("--batch", "2")
    assert interrupted.value.returncode == 130
    assert "rolled back" in str(interrupted.value) and "again is safe" in str(interrupted.value)
    levels = dict(CaseRisk.objects.values_list("case_id", "level"))
    assert levels == {first.pk: "", second.pk: "high", third.pk: "high"}
    assert not RiskLevelChange.objects.filter(case=second).exists()  # rolled back with its level

    output = run("--batch", "2")
    assert "3 open cases: 2 changed" in output
    assert set(CaseRisk.objects.values_list("level", flat=True)) == {""}
    assert [RiskLevelChange.objects.filter(case=case).count() for case in (first, second, third)] == [1, 1, 1]
