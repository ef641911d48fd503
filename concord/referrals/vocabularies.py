"""The words of a referral: where it stands, how urgent it is, why a service declined it and how it ended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for a reply")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A referral that has been answered, one way or another.
CLOSED_STATUSES = frozenset({ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN})


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate: she is in danger now")


class DeclineReason(models.TextChoices):
    OUTSIDE_CRITERIA = "outside_criteria", _("Outside the service's criteria")
    NO_CAPACITY = "no_capacity", _("No capacity at present")
    SHE_DECLINED = "she_declined", _("She did not want the service")
    ALREADY_SUPPORTED = "already_supported", _("Already supported by us")
    NOT_SAFE_TO_CONTACT = "not_safe", _("Could not contact her safely")
    OTHER = "other", _("Another reason (say which)")


class Outcome(models.TextChoices):
    NEED_MET = "need_met", _("Her need was met")
    PARTLY_MET = "partly_met", _("Partly met")
    SHE_ENDED = "she_ended", _("She ended the support")
    NOT_MET = "not_met", _("Not met")


class ConsentBasis(models.TextChoices):
    """What let the referral through: her consent to be referred to that agency, or a supervisor's
    override with a legal basis when she has not agreed (or cannot be asked)."""

    CONSENT = "consent", _("Her consent")
    OVERRIDE = "override", _("Supervisor's override")
