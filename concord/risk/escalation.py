"""Escalation from the whole history, and the repeat flag: plain functions over facts.

They read every incident any agency recorded on the case, and the latest checklist's answers,
whatever the reader may see; what they give back is only each rule that fired and its conclusion
(a count, a window, "for the first time"), never an incident's details or an answer's text beyond
the rule's own name.

Windows are counted in days back from today, both ends included: with a 365-day window, an incident
365 days ago is in it and one 366 days ago is not.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .rules import Rules
from .vocabularies import ReasonSource

_SEVERITY = {"none": 0, "unknown": 0, "minor": 1, "serious": 2}
_STALKING_TYPES = {"stalking", "harassment"}

# Checklist answers that are escalation rules of their own (rule -> checklist item).
_CHECKLIST_RULES = (("recent_separation", "separation"), ("pregnancy", "pregnancy"),
                    ("breach_of_order", "breaches"), ("stalking", "stalking"))


@dataclass(frozen=True)
class IncidentFacts:
    occurred_on: datetime.date
    weapon_used: str = "unknown"
    strangulation: str = "unknown"
    injuries: str = "unknown"
    violence_types: tuple[str, ...] = ()
    police_reported: bool = False
    order_breached: str = "unknown"


def _in_window(on: datetime.date, today: datetime.date, days: int) -> bool:
    return today - datetime.timedelta(days=days) <= on <= today


def escalation_reasons(incidents: Sequence[IncidentFacts], checklist: Mapping[str, str] | None,
                       rules: Rules, today: datetime.date, *, separated_on: datetime.date | None = None
                       ) -> list[dict]:
    """Every escalation rule that fires, as reasons: {"source", "rule", "level", ...its conclusion}.
    `separated_on`: the latest separation recorded on the case, if any."""
    window = rules.window_days
    history = sorted(incidents, key=lambda i: i.occurred_on)
    recent = [i for i in history if _in_window(i.occurred_on, today, window)]
    fired: list[dict] = []

    def fire(rule: str, **conclusion) -> None:
        fired.append({"source": ReasonSource.ESCALATION, "rule": rule, "level": rules.escalation_level(rule),
                      **conclusion})

    if len(recent) >= rules.incident_count:
        fire("incidents_in_window", count=len(recent), window_days=window, at_least=rules.incident_count)
    dangerous = [i for i in recent if "yes" in (i.weapon_used, i.strangulation)]
    if dangerous:
        first = dangerous[0]
        earlier = [i for i in history if i.occurred_on < first.occurred_on]
        what = sorted({name for i in dangerous for name, answer in
                       (("weapon", i.weapon_used), ("strangulation", i.strangulation)) if answer == "yes"})
        fire("weapon_or_strangulation", what=what, window_days=window,
             first_time=not any("yes" in (i.weapon_used, i.strangulation) for i in earlier))
    half = window // 2
    later = [i for i in recent if _in_window(i.occurred_on, today, half)]
    if len(later) >= 2 and len(later) > len(recent) - len(later):
        fire("more_frequent", later=len(later), earlier=len(recent) - len(later), half_days=half)
    if recent:
        # The latest incident hurt her more than any before it. By position, not by value: the same
        # incident recorded twice (two agencies, the same facts) is not more severe than itself.
        past = [i for i in history if i.occurred_on <= today]
        latest, before = past[-1], past[:-1]
        if before and _SEVERITY.get(latest.injuries, 0) > max(_SEVERITY.get(i.injuries, 0) for i in before):
            fire("more_severe", window_days=window)
    breached_incident = any(i.order_breached == "yes" for i in recent)
    stalking_incident = any(_STALKING_TYPES & set(i.violence_types) for i in recent)
    separated = separated_on is not None and _in_window(separated_on, today, window)
    for rule, item in _CHECKLIST_RULES:
        if rule == "recent_separation" and separated:
            fire(rule, recorded=True, window_days=window)
        elif ((checklist or {}).get(item) == "yes" or (rule == "stalking" and stalking_incident)
              or (rule == "breach_of_order" and breached_incident)):
            fire(rule)
    return fired


def repeat_reason(incidents: Sequence[IncidentFacts], last_referral_on: datetime.date | None,
                  rules: Rules) -> dict | None:
    """New abuse within the definition's window after the last referral to the conference, whatever
    the score: the case is a repeat. The reason names the definition and its version."""
    if last_referral_on is None:
        return None
    name, definition = rules.repeat_definition
    end = last_referral_on + datetime.timedelta(days=definition["window_days"])
    counted = [i for i in incidents if last_referral_on < i.occurred_on <= end
               and (i.police_reported or not definition["police_only"])]
    if not counted:
        return None
    return {"source": ReasonSource.REPEAT, "rule": "repeat", "level": rules.repeat_level, "definition": name,
            "definition_version": definition["version"], "referred_on": last_referral_on.isoformat()}
