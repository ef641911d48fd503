"""The risk level's reasons in words, for each reader and in the reader's language. A reason is kept
as data (concord.risk.services); what it says is decided here, once, for the case page, the summary,
the PDF, the timeline and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.cases.events import day, label_of

from . import catalogue
from .rules import REPEAT_DEFINITIONS
from .vocabularies import LEVEL_ORDER, JudgementReason, ReasonSource, RiskLevel

_SCREEN_HOW = {
    "first_three": lambda: _("a “yes” to one of the first three questions"),
    "four_of_rest": lambda: _("4 or more “yes” among the other questions"),
    "practitioner_belief": lambda: _("the practitioner's belief"),
}

_REPEAT_DEFINITION = {
    "any_agency_incident": lambda: _("any new incident known to any agency"),
    "police_reported": lambda: _("a new incident reported to the police"),
}


def level_label(level: str) -> str:
    return str(RiskLevel(level).label) if level in RiskLevel.values else _("Not assessed")


def instrument_title(instrument_id: str, version: int | None = None) -> str:
    try:
        return catalogue.instrument(instrument_id, version).title
    except KeyError:
        return instrument_id


def result_text(params: Mapping[str, Any]) -> str:
    """An instrument's result: "Risk identification checklist (version 1): 14 of 23 “yes”"."""
    title = _("%(title)s (version %(version)s)") % {
        "title": instrument_title(params["instrument"], params.get("version")), "version": params.get("version")}
    how = params.get("how") or []
    if params.get("screened_in") or (how and params.get("level") in (None, "", "screened_in")):
        ways = ", ".join(_SCREEN_HOW[way]() for way in how if way in _SCREEN_HOW)
        return _("%(title)s: screened in (%(how)s)") % {"title": title, "how": ways}
    if params.get("screened_in") is False:
        return _("%(title)s: not screened in") % {"title": title}
    if params.get("highest") is not None:
        return _("%(title)s: %(score)s of %(highest)s “yes”") % {"title": title, "score": params["score"],
                                                                 "highest": params["highest"]}
    return _("%(title)s: score %(score)s") % {"title": title, "score": params["score"]}


def _escalation(reason: Mapping[str, Any]) -> str:
    rule = reason.get("rule")
    if rule == "incidents_in_window":
        return ngettext("%(count)s incident in the past %(days)s days (%(least)s or more raise the level)",
                        "%(count)s incidents in the past %(days)s days (%(least)s or more raise the level)",
                        reason["count"]) % {"count": reason["count"], "days": reason["window_days"],
                                            "least": reason["at_least"]}
    if rule == "weapon_or_strangulation":
        what = set(reason.get("what", []))
        if what == {"weapon", "strangulation"}:
            text = _("A weapon used, and strangulation, in the past %(days)s days")
        elif what == {"weapon"}:
            text = _("A weapon used in the past %(days)s days")
        else:
            text = _("Strangulation or choking in the past %(days)s days")
        text = text % {"days": reason["window_days"]}
        return text + (" " + _("(for the first time)") if reason.get("first_time") else "")
    if rule == "more_frequent":
        return _("Incidents more frequent: %(later)s in the past %(half)s days, %(earlier)s in the %(half)s days "
                 "before") % {"later": reason["later"], "earlier": reason["earlier"], "half": reason["half_days"]}
    if rule == "more_severe":
        return _("The latest incident caused more harm than any before it")
    if rule == "recent_separation" and reason.get("recorded"):
        return _("A separation in the past %(days)s days") % {"days": reason.get("window_days")}
    texts = {
        "recent_separation": _("A recent separation (the latest checklist)"),
        "pregnancy": _("Pregnancy, or a baby in the past 18 months (the latest checklist)"),
        "breach_of_order": _("A breach of bail or of an order (the latest checklist)"),
        "stalking": _("Stalking or harassment"),
    }
    return texts.get(str(rule), str(rule))


def reason_text(reason: Mapping[str, Any]) -> str:
    """One reason, without its level (shown beside it)."""
    source = reason.get("source")
    if source == ReasonSource.INSTRUMENT:
        return result_text({**reason, "screened_in": True if reason.get("how") else None})
    if source == ReasonSource.JUDGEMENT:
        return _("Professional judgement: %(reason)s") % {
            "reason": label_of(JudgementReason, reason.get("reason_kind"))}
    if source == ReasonSource.REPEAT:
        name = str(reason.get("definition", ""))
        definition = _REPEAT_DEFINITION.get(name, lambda: name)()
        return _("Repeat: %(definition)s within %(days)s days of the conference referral of %(date)s "
                 "(definition “%(name)s”, version %(version)s)") % {
            "definition": definition, "days": REPEAT_DEFINITIONS.get(name, {}).get("window_days", ""),
            "date": day(reason.get("referred_on")), "name": name, "version": reason.get("definition_version")}
    return _escalation(reason)


def reason_lines(reasons) -> list[dict[str, str]]:
    """Each reason as {"source", "level", "text"}, highest level first, for a page or an API body."""
    ordered = sorted(reasons, key=lambda r: -LEVEL_ORDER.get(r.get("level", ""), -1))
    return [{"source": str(label_of(ReasonSource, r.get("source"))), "source_code": str(r.get("source", "")),
             "rule": str(r.get("rule") or r.get("instrument") or r.get("reason_kind") or ""),
             "level": str(r.get("level", "")), "level_label": level_label(r.get("level", "")),
             "text": reason_text(r)} for r in ordered]


def due_text(due: datetime.date | None, because: str) -> str:
    if due is None:
        return ""
    why = {"never_assessed": _("not assessed yet, and there is an incident"),
           "new_incident": _("a new incident since the last assessment"),
           "separation": _("a separation since the last assessment"),
           "interval": _("the area's interval for this level")}.get(because, because)
    return _("%(date)s (%(why)s)") % {"date": day(due.isoformat()), "why": why}
