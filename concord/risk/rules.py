"""An area's risk rules: Concord's defaults, overridden key by key by the area's own (AreaRiskRules).

Every number a partnership argues about is here, not in code: the checklist's bands, the escalation
window and count, the level each escalation rule gives, when to reassess, which repeat definition the
area uses, and the follow-ups a high level opens (who, and by when).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .vocabularies import RiskLevel, TaskKind

# Which definition of a repeat, and its version, produced a flag: the field has more than one in use.
REPEAT_DEFINITIONS: dict[str, dict[str, Any]] = {
    # SafeLives' MARAC definition: any further incident, known to any agency, within 12 months of
    # the last referral to the conference.
    "any_agency_incident": {"version": 1, "window_days": 365, "police_only": False},
    # Some areas count only incidents reported to or attended by the police.
    "police_reported": {"version": 1, "window_days": 365, "police_only": True},
}

DEFAULTS: dict[str, Any] = {
    # An instrument's own bands unless the area sets its own: {"checklist": [{"id": ..., ...}, ...]}.
    "bands": {},
    "escalation": {
        "window_days": 365,
        "incident_count": 3,
        # The level each rule gives when it fires.
        "levels": {
            "incidents_in_window": RiskLevel.HIGH,
            "weapon_or_strangulation": RiskLevel.HIGH,
            "more_frequent": RiskLevel.MEDIUM,
            "more_severe": RiskLevel.MEDIUM,
            "recent_separation": RiskLevel.MEDIUM,
            "pregnancy": RiskLevel.MEDIUM,
            "breach_of_order": RiskLevel.MEDIUM,
            "stalking": RiskLevel.MEDIUM,
        },
    },
    "repeat": {"definition": "any_agency_incident", "level": RiskLevel.HIGH},
    # Days from the last assessment to the next, by the case's level.
    "reassess_after_days": {RiskLevel.STANDARD: 90, RiskLevel.MEDIUM: 56, RiskLevel.HIGH: 28},
    # What a high level opens: the owner is "lead" (the lead agency) or a sector (the first involved
    # agency of that sector, else the lead agency); the deadline in hours from the change.
    "high_follow_ups": [
        {"kind": TaskKind.ADVOCATE_CONTACT, "owner": "specialist_advocacy", "due_hours": 24},
        {"kind": TaskKind.REFER_TO_CONFERENCE, "owner": "lead", "due_hours": 48},
        {"kind": TaskKind.SAFETY_PLAN_REVIEW, "owner": "lead", "due_hours": 7 * 24},
    ],
}


@dataclass(frozen=True)
class Rules:
    settings: Mapping[str, Any]

    @property
    def window_days(self) -> int:
        return int(self.settings["escalation"]["window_days"])

    @property
    def incident_count(self) -> int:
        return int(self.settings["escalation"]["incident_count"])

    def escalation_level(self, rule: str) -> str:
        return str(self.settings["escalation"]["levels"].get(rule, RiskLevel.MEDIUM))

    def bands_for(self, instrument_id: str):
        return self.settings["bands"].get(instrument_id)

    @property
    def repeat_definition(self) -> tuple[str, dict[str, Any]]:
        name = self.settings["repeat"]["definition"]
        return name, REPEAT_DEFINITIONS[name]

    @property
    def repeat_level(self) -> str:
        return str(self.settings["repeat"]["level"])

    def reassess_after_days(self, level: str) -> int:
        days = self.settings["reassess_after_days"]
        return int(days.get(level or RiskLevel.STANDARD, days[RiskLevel.STANDARD]))

    @property
    def high_follow_ups(self) -> list[dict[str, Any]]:
        return list(self.settings["high_follow_ups"])


def merged(overrides: Mapping[str, Any] | None) -> Rules:
    """The defaults with an area's own settings laid over them, one level of keys deep."""
    settings = copy.deepcopy(DEFAULTS)
    for key, value in (overrides or {}).items():
        if isinstance(value, Mapping) and isinstance(settings.get(key), dict):
            for inner, inner_value in value.items():
                if isinstance(inner_value, Mapping) and isinstance(settings[key].get(inner), dict):
                    settings[key][inner].update(inner_value)
                else:
                    settings[key][inner] = inner_value
        else:
            settings[key] = value
    if settings["repeat"]["definition"] not in REPEAT_DEFINITIONS:
        raise ValueError(f"unknown repeat definition {settings['repeat']['definition']!r}")
    return Rules(settings)


def rules_for(area) -> Rules:
    """The rules of an area (one query: its row, if it has one)."""
    from .models import AreaRiskRules

    row = AreaRiskRules.objects.filter(area_id=area.pk).first()
    return merged(row.settings if row else None)
