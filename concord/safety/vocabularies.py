"""The words of a safety plan: who takes a step, where it stands, and why a review is due. A step she
chose not to take is recorded as her choice, in the same plain words as one she took (issue 16 §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepOwner(models.TextChoices):
    HER = "her", _("She does")
    AGENCY = "agency", _("An agency does")
    SOMEONE = "someone", _("Someone she names does")


class StepStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    DONE = "done", _("Done")
    NOT_TAKEN = "not_taken", _("She chose not to")


class ReviewReason(models.TextChoices):
    SCHEDULED = "scheduled", _("Review date reached")
    NEW_INCIDENT = "new_incident", _("A new incident")
    RISK_LEVEL_CHANGED = "risk_level_changed", _("The risk level changed")
