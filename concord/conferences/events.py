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

from .vocabularies import ConsentBasis, Criterion


class ConferenceEventKind(models.TextChoices):
    REFERRED = "conference_referred", gettext_lazy("Referred to the multi-agency risk conference")
    LISTED = "conference_listed", gettext_lazy("On a conference agenda")
    WITHDRAWN = "conference_referral_withdrawn", gettext_lazy("Conference referral withdrawn")


def _referred(params, reader):
    text = ", ".join(label_of(Criterion, code) for code in params.get("criteria", []))
    if params.get("basis") == ConsentBasis.OVERRIDE:
        text += ". " + _("Without her consent, on a supervisor's authority")
    return text


def _listed(params, reader):
    return _("Meeting of %(date)s, item %(position)s") % {"date": day(params.get("meeting_on")),
                                                          "position": params.get("position")}


K = ConferenceEventKind


def register_kinds() -> None:
    register(
        EventKind(K.REFERRED, K.REFERRED.label, Facet.CONFERENCE_ITEM, AuditAction.CREATE, "conference_referral",
                  _referred),
        EventKind(K.LISTED, K.LISTED.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_referral",
                  _listed),
        EventKind(K.WITHDRAWN, K.WITHDRAWN.label, Facet.CONFERENCE_ITEM, AuditAction.UPDATE, "conference_referral"),
    )
