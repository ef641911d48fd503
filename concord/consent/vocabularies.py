from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a consent decision covers."""

    SHARE_WITH_AGENCY = "share_agency", _("Share case information with an agency")
    SHARE_WITH_SECTOR = "share_sector", _("Share case information with a sector")
    REFER_TO_SERVICE = "refer", _("Refer her to a service")
    DISCUSS_AT_CONFERENCE = "conference", _("Discuss at a multi-agency conference")
    CONTACT_BY_CHANNEL = "contact", _("Contact her by a channel")


class Decision(models.TextChoices):
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Method(models.TextChoices):
    WRITTEN = "written", _("Written")
    VERBAL = "verbal", _("Verbal")


class Channel(models.TextChoices):
    PHONE_CALL = "phone_call", _("Phone call")
    TEXT_MESSAGE = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")


class LegalBasis(models.TextChoices):
    """Lawful grounds for sharing without (or against) consent; each override names one."""

    RISK_TO_LIFE = "risk_to_life", _("Serious risk to life or of serious harm")
    SAFEGUARDING_CHILD = "safeguarding_child", _("Safeguarding a child")
    SAFEGUARDING_ADULT = "safeguarding_adult", _("Safeguarding an adult at risk")
    PREVENTION_OF_CRIME = "prevention_of_crime", _("Prevention or detection of serious crime")
    COURT_ORDER = "court_order", _("Court order or legal duty")
