"""The escalation rules and the repeat flag, as plain functions over facts (no database), at every
window's edges. Windows count days back from today, both ends included: 365 days ago is in a 365-day
window, 366 is not."""

import datetime

import pytest

from concord.risk import rules as risk_rules
from concord.risk.escalation import IncidentFacts, escalation_reasons, repeat_reason
from concord.risk.rules import merged

TODAY = datetime.date(2026, 6, 30)
DEFAULT = merged(None)
AREA_180 = merged({"escalation": {"window_days": 180, "incident_count": 4}})


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def incident(days_ago: int, **facts) -> IncidentFacts:
    return IncidentFacts(occurred_on=ago(days_ago), **facts)


def fired(incidents, checklist=None, rules=DEFAULT, today=TODAY) -> dict[str, dict]:
    """The reasons that fire, by rule (each rule fires at most once)."""
    reasons = escalation_reasons(incidents, checklist, rules, today)
    by_rule = {reason["rule"]: reason for reason in reasons}
    assert len(by_rule) == len(reasons)
    assert all(reason["source"] == "escalation" for reason in reasons)
    return by_rule


# --- Incidents in the window -----------------------------------------------------------------------

def test_nothing_known_fires_nothing():
    assert escalation_reasons([], None, DEFAULT, TODAY) == []


def test_three_incidents_in_365_days_counting_today_and_365_days_ago():
    reason = fired([incident(0), incident(200), incident(365)])["incidents_in_window"]
    assert reason == {"source": "escalation", "rule": "incidents_in_window", "level": "high",
                      "count": 3, "window_days": 365, "at_least": 3}


def test_an_incident_366_days_ago_is_outside_the_window():
    assert "incidents_in_window" not in fired([incident(0), incident(200), incident(366)])


def test_two_incidents_are_not_three():
    assert "incidents_in_window" not in fired([incident(0), incident(1)])


def test_the_count_is_every_incident_in_the_window():
    reason = fired([incident(d) for d in (0, 30, 60, 90, 365, 366, 700)])["incidents_in_window"]
    assert reason["count"] == 5


def test_an_incident_dated_after_today_is_not_counted():
    assert "incidents_in_window" not in fired([incident(-1), incident(0), incident(10)])


def test_an_area_with_its_own_window_and_count():
    four = [incident(0), incident(60), incident(120), incident(180)]
    reason = fired(four, rules=AREA_180)["incidents_in_window"]
    assert (reason["count"], reason["window_days"], reason["at_least"]) == (4, 180, 4)
    # 181 days ago is outside its window; three are not its four; three in 365 days fire only the default.
    assert "incidents_in_window" not in fired([*four[:3], incident(181)], rules=AREA_180)
    assert "incidents_in_window" not in fired(four[:3], rules=AREA_180)
    assert "incidents_in_window" in fired([incident(0), incident(100), incident(300)])
    assert "incidents_in_window" not in fired([incident(0), incident(100), incident(300)], rules=AREA_180)


# --- A weapon or strangulation ---------------------------------------------------------------------

def test_a_weapon_365_days_ago_fires_for_the_first_time():
    reason = fired([incident(365, weapon_used="yes")])["weapon_or_strangulation"]
    assert reason == {"source": "escalation", "rule": "weapon_or_strangulation", "level": "high",
                      "what": ["weapon"], "window_days": 365, "first_time": True}


def test_a_weapon_366_days_ago_does_not_fire():
    assert "weapon_or_strangulation" not in fired([incident(366, weapon_used="yes", strangulation="yes")])


@pytest.mark.parametrize("answer", ["no", "unknown"])
def test_only_yes_is_a_weapon_or_strangulation(answer):
    assert "weapon_or_strangulation" not in fired([incident(1, weapon_used=answer, strangulation=answer)])


def test_strangulation_after_a_weapon_before_the_window_is_not_the_first_time():
    reason = fired([incident(400, weapon_used="yes"), incident(5, strangulation="yes")])["weapon_or_strangulation"]
    assert reason["what"] == ["strangulation"]  # only what happened in the window
    assert reason["first_time"] is False


def test_two_in_the_window_with_none_before_are_the_first_time():
    reason = fired([incident(600), incident(300, strangulation="yes"),
                    incident(10, weapon_used="yes")])["weapon_or_strangulation"]
    assert reason["what"] == ["strangulation", "weapon"]
    assert reason["first_time"] is True


def test_both_at_one_incident():
    reason = fired([incident(3, weapon_used="yes", strangulation="yes")])["weapon_or_strangulation"]
    assert (reason["what"], reason["first_time"]) == (["strangulation", "weapon"], True)


def test_an_areas_window_decides_what_is_before_it():
    history = [incident(200, weapon_used="yes"), incident(10, weapon_used="yes")]
    assert fired(history)["weapon_or_strangulation"]["first_time"] is True  # both in 365 days
    reason = fired(history, rules=AREA_180)["weapon_or_strangulation"]
    assert (reason["window_days"], reason["first_time"]) == (180, False)
    assert "weapon_or_strangulation" not in fired([incident(181, strangulation="yes")], rules=AREA_180)


# --- More frequent: the later half of the window against the earlier ----------------------------------

def test_more_frequent_when_the_later_half_has_more_and_at_least_two():
    # 365 // 2 = 182: 182 days ago is in the later half, 183 in the earlier.
    reason = fired([incident(183), incident(182), incident(0)])["more_frequent"]
    assert reason == {"source": "escalation", "rule": "more_frequent", "level": "medium",
                      "later": 2, "earlier": 1, "half_days": 182}


def test_the_half_window_boundary():
    assert "more_frequent" not in fired([incident(300), incident(183), incident(10), incident(0)])  # 2 and 2
    assert fired([incident(300), incident(182), incident(10), incident(0)])["more_frequent"]["later"] == 3


def test_one_later_incident_is_not_more_frequent():
    assert "more_frequent" not in fired([incident(0)])


def test_two_later_and_none_earlier_is_more_frequent():
    assert fired([incident(1), incident(0)])["more_frequent"]["earlier"] == 0


def test_incidents_before_the_window_are_not_the_earlier_half():
    reason = fired([incident(d) for d in (400, 500, 600, 700, 300, 20, 10)])["more_frequent"]
    assert (reason["later"], reason["earlier"]) == (2, 1)


def test_more_frequent_with_an_areas_window():
    # 180 // 2 = 90.
    reason = fired([incident(91), incident(90), incident(0)], rules=AREA_180)["more_frequent"]
    assert (reason["later"], reason["earlier"], reason["half_days"]) == (2, 1, 90)
    assert "more_frequent" not in fired([incident(92), incident(91), incident(90), incident(0)], rules=AREA_180)


# --- More severe: the latest incident hurt her more than every one before it ----------------------------

def test_more_severe_when_the_latest_is_more_injured_than_every_earlier():
    reason = fired([incident(100, injuries="none"), incident(50, injuries="minor"),
                    incident(1, injuries="serious")])["more_severe"]
    assert reason == {"source": "escalation", "rule": "more_severe", "level": "medium", "window_days": 365}


def test_equal_injury_is_not_more_severe():
    assert "more_severe" not in fired([incident(50, injuries="serious"), incident(1, injuries="serious")])
    assert "more_severe" not in fired([incident(50, injuries="none"), incident(1, injuries="unknown")])


def test_one_earlier_incident_as_injured_is_enough_to_not_be_more_severe():
    assert "more_severe" not in fired([incident(300, injuries="minor"), incident(200, injuries="none"),
                                       incident(1, injuries="minor")])


def test_every_earlier_incident_counts_even_before_the_window():
    assert "more_severe" not in fired([incident(700, injuries="serious"), incident(1, injuries="minor")])


def test_a_first_incident_is_not_more_severe():
    assert "more_severe" not in fired([incident(1, injuries="serious")])


def test_not_when_the_latest_is_outside_the_window():
    assert "more_severe" not in fired([incident(500, injuries="none"), incident(366, injuries="serious")])


def test_the_latest_is_the_latest_up_to_today():
    history = [incident(50, injuries="minor"), incident(1, injuries="serious"), incident(-3, injuries="none")]
    assert "more_severe" in fired(history)


def test_the_same_incident_recorded_twice_is_not_more_severe():
    # Two agencies record the same assault, with the same facts: it is not more severe than itself.
    history = [incident(50, injuries="minor"), incident(1, injuries="serious"), incident(1, injuries="serious")]
    assert "more_severe" not in fired(history)


# --- The checklist's own rules, and stalking from the incidents -----------------------------------------

@pytest.mark.parametrize(("item", "rule"), [("separation", "recent_separation"), ("pregnancy", "pregnancy"),
                                            ("breaches", "breach_of_order"), ("stalking", "stalking")])
def test_a_checklist_yes_fires_its_rule_and_says_only_its_name(item, rule):
    assert fired([], {item: "yes"}) == {rule: {"source": "escalation", "rule": rule, "level": "medium"}}
    for answer in ("no", "dont_know", "not_answered"):
        assert fired([], {item: answer}) == {}


def test_no_checklist_fires_no_checklist_rule():
    assert fired([incident(1)], None) == {}


def test_every_checklist_rule_at_once():
    answers = {"separation": "yes", "pregnancy": "yes", "breaches": "yes", "stalking": "yes", "fear": "yes"}
    assert list(fired([], answers)) == ["recent_separation", "pregnancy", "breach_of_order", "stalking"]


@pytest.mark.parametrize("violence", ["stalking", "harassment"])
def test_stalking_or_harassment_at_an_incident_in_the_window(violence):
    assert fired([incident(365, violence_types=("physical_assault", violence))])["stalking"]["level"] == "medium"
    assert "stalking" not in fired([incident(366, violence_types=(violence,))])
    assert "stalking" not in fired([incident(10, violence_types=(violence,))], rules=merged(
        {"escalation": {"window_days": 9}}))


def test_other_violence_is_not_stalking():
    assert "stalking" not in fired([incident(1, violence_types=("physical_assault", "coercive_control"))])


def test_stalking_in_the_checklist_and_at_an_incident_fires_once():
    assert list(fired([incident(1, violence_types=("stalking",))], {"stalking": "yes"})) == ["stalking"]


# --- The level of each rule comes from the rules ---------------------------------------------------------

EVERYTHING = [incident(400, injuries="none"), incident(100, injuries="minor"), incident(10, injuries="none"),
              incident(1, injuries="serious", weapon_used="yes", violence_types=("stalking",))]
ALL_CHECKLIST = {"separation": "yes", "pregnancy": "yes", "breaches": "yes"}


def test_every_rule_gives_the_default_level():
    levels = {rule: reason["level"] for rule, reason in fired(EVERYTHING, ALL_CHECKLIST).items()}
    assert levels == risk_rules.DEFAULTS["escalation"]["levels"]


def test_an_area_sets_the_level_of_one_rule():
    area = merged({"escalation": {"levels": {"more_severe": "high", "pregnancy": "standard"}}})
    levels = {rule: reason["level"] for rule, reason in fired(EVERYTHING, ALL_CHECKLIST, rules=area).items()}
    assert levels == {**risk_rules.DEFAULTS["escalation"]["levels"], "more_severe": "high", "pregnancy": "standard"}
    assert area.window_days == 365 and area.incident_count == 3  # the rest of "escalation" is kept


# --- Repeat: new abuse within the definition's window after the last referral ------------------------------

REFERRED = datetime.date(2025, 3, 1)


def on(days_after_referral: int, **facts) -> IncidentFacts:
    return IncidentFacts(occurred_on=REFERRED + datetime.timedelta(days=days_after_referral), **facts)


def test_no_referral_no_repeat():
    assert repeat_reason([on(1), on(2)], None, DEFAULT) is None


def test_an_incident_on_the_day_of_the_referral_is_not_a_repeat():
    assert repeat_reason([on(0), on(-30)], REFERRED, DEFAULT) is None


def test_the_day_after_is_a_repeat_named_by_its_definition():
    assert repeat_reason([on(1)], REFERRED, DEFAULT) == {
        "source": "repeat", "rule": "repeat", "level": "high", "definition": "any_agency_incident",
        "definition_version": 1, "referred_on": "2025-03-01"}


def test_365_days_after_is_a_repeat_and_366_is_not():
    assert repeat_reason([on(365)], REFERRED, DEFAULT) is not None
    assert repeat_reason([on(366)], REFERRED, DEFAULT) is None


def test_police_reported_counts_only_incidents_the_police_know_of():
    police_only = merged({"repeat": {"definition": "police_reported"}})
    assert repeat_reason([on(1), on(200)], REFERRED, police_only) is None
    reason = repeat_reason([on(1), on(200, police_reported=True)], REFERRED, police_only)
    assert reason is not None
    assert (reason["definition"], reason["definition_version"]) == ("police_reported", 1)
    assert repeat_reason([on(366, police_reported=True)], REFERRED, police_only) is None
    # The default definition counts any agency's incident, the police's too.
    assert (repeat_reason([on(1)], REFERRED, DEFAULT) or {}).get("definition") == "any_agency_incident"


def test_the_reason_keeps_the_definitions_own_version_and_the_areas_level(monkeypatch):
    monkeypatch.setitem(risk_rules.REPEAT_DEFINITIONS, "six_months",
                        {"version": 3, "window_days": 182, "police_only": False})
    area = merged({"repeat": {"definition": "six_months", "level": "medium"}})
    reason = repeat_reason([on(182)], REFERRED, area)
    assert reason is not None
    assert (reason["definition"], reason["definition_version"], reason["level"]) == ("six_months", 3, "medium")
    assert repeat_reason([on(183)], REFERRED, area) is None


def test_an_unknown_definition_is_refused():
    with pytest.raises(ValueError, match="unknown repeat definition"):
        merged({"repeat": {"definition": "whatever"}})


def test_a_breach_recorded_at_an_incident_in_the_window():
    assert fired([incident(365, order_breached="yes")])["breach_of_order"]["level"] == "medium"
    assert "breach_of_order" not in fired([incident(366, order_breached="yes")])
    assert "breach_of_order" not in fired([incident(3, order_breached="unknown")])
