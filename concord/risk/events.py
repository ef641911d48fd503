"""The risk app's timeline events, registered by RiskConfig.ready(). All are in the core record: every
agency on the case reads that an assessment was done, its result, the level and its reasons, never
an answer or her words (the risk-answers facet, on the case page)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.cases.events import EventKind, label_of, register


class RiskEventKind(models.TextChoices):
    ASSESSMENT_RECORDED = "risk_assessment_recorded", gettext_lazy("Risk assessment recorded")
    JUDGEMENT_RECORDED = "risk_judgement_recorded", gettext_lazy("Professional judgement recorded")
    LEVEL_CHANGED = "risk_level_changed", gettext_lazy("Risk level changed")
    SEPARATION_RECORDED = "separation_recorded", gettext_lazy("Separation recorded")
    TASK_OPENED = "task_opened", gettext_lazy("Task opened")
    TASK_CLOSED = "task_closed", gettext_lazy("Task closed")
    TASK_ESCALATED = "task_escalated", gettext_lazy("Task past its deadline, escalated")
    TASK_REMINDED = "task_reminded", gettext_lazy("Reminder: a task's deadline is near")


def _assessment(params, reader):
    from .reasons import level_label, result_text

    text = result_text(params)
    if params.get("scale_level"):
        text += " — " + level_label(params["scale_level"])
    return text


def _judgement(params, reader):
    from .reasons import level_label
    from .vocabularies import JudgementReason

    return _("Raised to %(level)s: %(reason)s") % {"level": level_label(params.get("level", "")),
                                                   "reason": label_of(JudgementReason, params.get("reason_kind"))}


def _level(params, reader):
    from .reasons import level_label, reason_lines

    text = _("%(from)s → %(to)s") % {"from": level_label(params.get("from", "")),
                                     "to": level_label(params.get("to", ""))}
    lines = [line["text"] for line in reason_lines(params.get("reasons", []))]
    return text + (". " + _("Because: %(reasons)s") % {"reasons": "; ".join(lines)} if lines else "")


def _separation(params, reader):
    from concord.cases.events import day

    return _("On %(date)s") % {"date": day(params.get("separated_on"))}


def _when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date_format(datetime.datetime.fromisoformat(value), "j M Y, H:i")
    except ValueError:
        return value


def _task(params, reader):
    from .vocabularies import TaskKind, TaskStatus

    who = params.get("agency", "")
    if params.get("worker"):
        who = f"{who} ({params['worker']})"
    text = _("%(task)s — %(who)s, due %(due)s") % {"task": label_of(TaskKind, params.get("kind")), "who": who,
                                                   "due": _when(params.get("due_at"))}
    if params.get("protocol"):
        text += " · " + _("protocol: %(protocol)s") % {"protocol": params["protocol"]}
    if params.get("escalated_to"):
        text += " · " + _("escalated to %(supervisor)s") % {"supervisor": params["escalated_to"]}
    if params.get("status") and params["status"] != TaskStatus.OPEN:
        text += f": {label_of(TaskStatus, params['status'])}"
        if params.get("outcome"):
            text += f" ({params['outcome']})"
    return text


K = RiskEventKind


def _task_facet(params) -> str:
    """A conference action's task says the case was at the conference: the conference item's facet."""
    from .vocabularies import TaskKind

    return Facet.CONFERENCE_ITEM if params.get("kind") == TaskKind.CONFERENCE_ACTION else Facet.CORE


def register_kinds() -> None:
    register(
        EventKind(K.ASSESSMENT_RECORDED, K.ASSESSMENT_RECORDED.label, Facet.CORE, AuditAction.CREATE,
                  "risk_assessment", _assessment),
        EventKind(K.JUDGEMENT_RECORDED, K.JUDGEMENT_RECORDED.label, Facet.CORE, AuditAction.CREATE,
                  "risk_judgement", _judgement),
        EventKind(K.LEVEL_CHANGED, K.LEVEL_CHANGED.label, Facet.CORE, AuditAction.UPDATE, "risk_level", _level),
        EventKind(K.SEPARATION_RECORDED, K.SEPARATION_RECORDED.label, Facet.CORE, AuditAction.CREATE,
                  "separation", _separation),
        EventKind(K.TASK_OPENED, K.TASK_OPENED.label, Facet.CORE, AuditAction.CREATE, "task", _task, _task_facet),
        EventKind(K.TASK_CLOSED, K.TASK_CLOSED.label, Facet.CORE, AuditAction.UPDATE, "task", _task, _task_facet),
        EventKind(K.TASK_ESCALATED, K.TASK_ESCALATED.label, Facet.CORE, AuditAction.UPDATE, "task", _task,
                  _task_facet),
        EventKind(K.TASK_REMINDED, K.TASK_REMINDED.label, Facet.CORE, AuditAction.UPDATE, "task", _task,
                  _task_facet),
    )
