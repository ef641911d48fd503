"""The safety plan on the case's timeline: that it was saved (its version, how many steps, when it is
next reviewed) and that a review is due. Never a step's words: the steps are read on the plan's page.
Both belong to the safety-plan facet, so an agency that does not hold the plan does not learn from
the timeline that she has one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.cases.events import EventKind, day, label_of, register

from .vocabularies import ReviewReason


class SafetyEventKind(models.TextChoices):
    SAVED = "safety_plan_saved", gettext_lazy("Safety plan saved")
    REVIEW_DUE = "safety_plan_review_due", gettext_lazy("Safety plan review due")


def _saved(params, reader):
    steps = int(params.get("steps", 0))
    text = _("Version %(version)s: %(steps)s") % {
        "version": params.get("version", ""),
        "steps": ngettext("%(count)s step", "%(count)s steps", steps) % {"count": steps}}
    if params.get("next_review_on"):
        text += "; " + _("next review %(date)s") % {"date": day(params["next_review_on"])}
    return text


def _review_due(params, reader):
    return label_of(ReviewReason, params.get("reason"))


def register_kinds() -> None:
    register(
        EventKind(SafetyEventKind.SAVED, SafetyEventKind.SAVED.label, Facet.SAFETY_PLAN, AuditAction.UPDATE,
                  "safety_plan", _saved),
        EventKind(SafetyEventKind.REVIEW_DUE, SafetyEventKind.REVIEW_DUE.label, Facet.SAFETY_PLAN,
                  AuditAction.UPDATE, "safety_plan", _review_due),
    )
