"""Voluntary demographics. "Prefer not to say" is always allowed; blank means "not asked yet".

These categories let every indicator be disaggregated later (principle 3: differential impacts).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT = "prefer_not_to_say", _("Prefer not to say")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "self_described", _("In another way")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Pronouns(models.TextChoices):
    """How the person asks to be spoken of. Blank: not recorded (the words follow the gender, else
    they are neutral: concord.people.pronouns)."""

    SHE = "she_her", _("She/her")
    HE = "he_him", _("He/him")
    THEY = "they_them", _("They/them")


class Ethnicity(models.TextChoices):
    ASIAN = "asian", _("Asian or Asian British")
    BLACK = "black", _("Black, Black British, Caribbean or African")
    MIXED = "mixed", _("Mixed or multiple ethnic groups")
    WHITE = "white", _("White")
    WHITE_MINORITY = "white_minority", _("White minority (e.g. Gypsy, Roma, Traveller)")
    ARAB = "arab", _("Arab")
    OTHER = "other", _("Another ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT


class YesNoPreferNot(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", _("Heterosexual / straight")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT


class GenderIdentity(models.TextChoices):
    """Is her gender the same as the sex registered at birth?"""

    CISGENDER = "same_as_birth", _("Same as sex registered at birth")
    TRANS = "trans", _("Different from sex registered at birth (trans)")
    PREFER_NOT_TO_SAY = PREFER_NOT


class ImmigrationStatus(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    SETTLED = "settled", _("Settled / indefinite leave")
    LIMITED_LEAVE = "limited_leave", _("Limited leave to remain")
    SPOUSAL_VISA = "spousal_visa", _("Visa dependent on partner")
    NO_RECOURSE = "no_recourse", _("No recourse to public funds")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee status")
    UNDOCUMENTED = "undocumented", _("Undocumented")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT_TO_SAY = PREFER_NOT


class IncomeBand(models.TextChoices):
    NONE = "none", _("No income of her own")
    LOW = "low", _("Low")
    MIDDLE = "middle", _("Middle")
    HIGH = "high", _("High")
    PREFER_NOT_TO_SAY = PREFER_NOT


class InterpreterNeeded(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT_TO_SAY = PREFER_NOT


# First language is free text; this value records that she was asked and prefers not to say (the
# same code as every other voluntary answer), so "not asked yet" (blank) stays distinguishable.
FIRST_LANGUAGE_PREFER_NOT = PREFER_NOT[0]


class ContactKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile phone")
    LANDLINE = "landline", _("Landline")
    EMAIL = "email", _("E-mail")


class LocationKind(models.TextChoices):
    CURRENT_ADDRESS = "current_address", _("Current address")
    SAFE_ADDRESS = "safe_address", _("Safe address")
    REFUGE = "refuge", _("Refuge location")
    WORKPLACE = "workplace", _("Workplace")
    CHILDS_SCHOOL = "childs_school", _("Child's school or nursery")


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Also known as")
    PREVIOUS_NAME = "previous_name", _("Previous name")
    NICKNAME = "nickname", _("Nickname")


AGE_BANDS = [
    (0, 15, _("Under 16")),
    (16, 17, _("16–17")),
    (18, 24, _("18–24")),
    (25, 34, _("25–34")),
    (35, 44, _("35–44")),
    (45, 54, _("45–54")),
    (55, 64, _("55–64")),
    (65, 200, _("65 and over")),
]
