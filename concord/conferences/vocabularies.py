"""The words of the multi-agency risk conference (issue 17): why a case is referred to it, where a
referral stands, whether she knows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    VISIBLE_HIGH = "visible_high", _("Visible high risk (the risk instrument)")
    PROFESSIONAL_JUDGEMENT = "professional_judgement", _("Professional judgement")
    ESCALATION = "escalation", _("Potential escalation")
    REPEAT = "repeat", _("Repeat")


class ConferenceReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a meeting")
    LISTED = "listed", _("On a meeting's agenda")
    DISCUSSED = "discussed", _("Discussed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SheKnows(models.TextChoices):
    YES = "yes", _("She knows of the referral")
    NO = "no", _("She does not know of it")


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("Her consent to be discussed")
    OVERRIDE = "override", _("Without her consent, on a supervisor's authority")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Attended")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Did not attend")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    # Her circumstances changed (she moved away, withdrew, the risk changed): not a failure to act.
    BLOCKED = "blocked", _("Blocked by a change in her circumstances")
    NOT_DONE = "not_done", _("Not done")


class Group(models.TextChoices):
    """The groups whose representation the conference's figures compare with the area's expectation."""

    MINORITISED = "minoritised", _("Black, Asian and minoritised women")
    LGBT = "lgbt", _("LGBT+ people")
    DISABLED = "disabled", _("Disabled people")
    MEN = "men", _("Men")
    AGED_16_17 = "aged_16_17", _("Aged 16–17")
