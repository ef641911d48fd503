"""A conference referral on the case's timeline: that she was referred, why (the criteria, never the
judgement's words), and the meeting that lists her. Conference-item facet: never a perpetrator-facing
agency's reading unless the rule gives it the item."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.access.facets import Facet
from concord.audit.models import AuditAction
from concord.cases.events import EventKind, day, label_of, register

from .vocabularies import ActionStatus, ConsentBasis, Criterion


class ConferenceEventKind(models.TextChoices):
    REFERRED = "conference_referred", gettext_lazy("Referred to the multi-agency risk conference")
    LISTED = "conference_listed", gettext_lazy("On a conference agenda")
    WITHDRAWN = "conference_referral_withdrawn", gettext_lazy("Conference referral withdrawn")
    RESEARCH = "conference_research", gettext_lazy("Research for the conference recorded")
    DISCUSSED = "conference_discussed", gettext_lazy("Discussed at the conference")
    ACTION_AGREED = "conference_action_agreed", gettext_lazy("Conference action agreed")
    ACTION_CLOSED = "conference_action_closed", gettext_lazy("Conference action closed")


def _referred(params, reader):
    text = ", ".join(label_of(Criterion, code) for code in params.get("criteria", []))
    if params.get("basis") == ConsentBasis.OVERRIDE:
        text += ". " + _("Without her consent, on a supervisor's authority")
    return text


def _listed(params, reader):
    return _("Meeting of %(date)s, item %(position)s") % {"date": day(params.get("meeting_on")),
                                                          "position": params.get("position")}


def _by_agency(params, reader):
    return params.get("agency", "")


def _discussed(params, reader):
    return _("Meeting of %(date)s") % {"date": day(params.get("meeting_on"))}


def _action_agreed(params, reader):
    return _("%(agency)s, due %(date)s") % {"agency": params.get("agency", ""), "date": day(params.get("due"))}


def _action_closed(params, reader):
    return _("%(agency)s: %(status)s") % {"agency": params.get("agency", ""),
                                          "status": label_of(ActionStatus, params.get("status"))}


K = ConferenceEventKind


def register_kinds() -> None:
    register(
        EventKind(K.REFERRED, K.REFERRED.label, Facet.CONFERENCE_ITEM, AuditAction.CREATE, "conference_referral",
                  _referred),
        EventKind(K.LISTED, K.LISTED.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_referral",
                  _listed),
        EventKind(K.WITHDRAWN, K.WITHDRAWN.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_referral",
                  _by_agency),
        EventKind(K.RESEARCH, K.RESEARCH.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_research",
                  _by_agency),
        EventKind(K.DISCUSSED, K.DISCUSSED.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_referral",
                  _discussed),
        EventKind(K.ACTION_AGREED, K.ACTION_AGREED.label, Facet.CONFERENCE_ITEM, AuditAction.CREATE,
                  "conference_action", _action_agreed),
        EventKind(K.ACTION_CLOSED, K.ACTION_CLOSED.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE,
                  "conference_action", _action_closed),
    )
