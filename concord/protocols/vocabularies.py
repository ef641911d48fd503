"""The words of the area's written procedures: what sets a protocol off, who answers it, how a
review of it ended."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk reached")
    POLICE_INCIDENT = "police_incident", _("A police-attended incident recorded")
    ARREST = "arrest", _("An arrest")
    REFERRAL_SENT = "referral_sent", _("A referral sent")
    ORDER_BREACHED = "order_breached", _("An order breached")
    SAFETY_PLAN_DUE = "safety_plan_due", _("A safety plan review due")


# Who answers a protocol: the case's lead agency, the agency a referral went to, or the first agency
# of a sector on the case (the lead agency when none is).
LEAD, RECEIVER = "lead", "receiver"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    IN_FORCE = "in_force", _("In force")
    RETIRED = "retired", _("Replaced")


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("Keep as it is")
    REVISE = "revise", _("Revise it")


class Compliance(models.TextChoices):
    """Where a protocol's task stands against its deadline."""

    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Done late")
    OPEN = "open", _("Open, within its deadline")
    BREACHED = "breached", _("Open past its deadline")
