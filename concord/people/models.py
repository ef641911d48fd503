"""People known to the partnership: survivors, persons causing harm, children, other adults.

A person belongs to one area and may appear in several cases; what a worker may see of a person
always follows from the cases their agency may see (concord.policy).
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.accounts.models import Area
from concord.crypto import EncryptedTextField

from . import vocabularies as v
from .pronouns import PronounForms, pronoun_forms


def name_key(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a name, for search and duplicate checks."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("-", " ").replace("'", "").split())


def _whole_years(start: datetime.date, day: datetime.date) -> int:
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


class Person(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    known_as = models.CharField(_("known as"), max_length=100, blank=True,
                                help_text=_("The name she uses, if different."))
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, help_text=_("Only when the date of birth is not known.")
    )
    estimated_age_on = models.DateField(_("age estimated on"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=24, choices=v.Gender.choices, blank=True)
    gender_self_description = models.CharField(_("gender, in her words"), max_length=100, blank=True)
    # Blank: not recorded; the words about the person then follow the gender (pronoun_forms).
    pronouns = models.CharField(_("pronouns"), max_length=16, choices=v.Pronouns.choices, blank=True)

    # Voluntary demographics: blank = not asked yet; "prefer not to say" is always allowed.
    ethnicity = models.CharField(_("ethnicity"), max_length=24, choices=v.Ethnicity.choices, blank=True)
    disability = models.CharField(_("disability"), max_length=24, choices=v.YesNoPreferNot.choices, blank=True)
    sexual_orientation = models.CharField(
        _("sexual orientation"), max_length=24, choices=v.SexualOrientation.choices, blank=True
    )
    gender_identity = models.CharField(
        _("gender identity"), max_length=24, choices=v.GenderIdentity.choices, blank=True
    )
    immigration_status = models.CharField(
        _("immigration status"), max_length=24, choices=v.ImmigrationStatus.choices, blank=True
    )
    first_language = models.CharField(_("first language"), max_length=60, blank=True)
    interpreter_needed = models.CharField(
        _("interpreter needed"), max_length=24, choices=v.InterpreterNeeded.choices, blank=True
    )
    income_band = models.CharField(_("income band"), max_length=24, choices=v.IncomeBand.choices, blank=True)

    name_key = models.CharField(max_length=320, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["name_key", "updated_at"])

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["area", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = " ".join(part for part in [self.given_name, self.family_name] if part)
        return f"{name} ({self.known_as})" if self.known_as else name

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth cannot be in the future.")})
        if self.date_of_birth and self.date_of_birth.year < 1900:
            raise ValidationError({"date_of_birth": _("Check the year of birth.")})
        if self.estimated_age is not None and self.estimated_age > 120:
            raise ValidationError({"estimated_age": _("Enter an age of 120 or less.")})
        if self.date_of_birth and self.estimated_age is not None:
            # Two ages that may disagree: which would a worker trust? The estimate is for when the
            # date is not known, so once the date is known the estimate must go.
            raise ValidationError({"estimated_age": _(
                "Give a date of birth or an estimated age, not both: clear the estimate once the date "
                "of birth is known.")})

    def save(self, *args, **kwargs):
        self.name_key = name_key(f"{self.given_name} {self.family_name} {self.known_as}")
        if self.estimated_age is not None and not self.estimated_age_on:
            self.estimated_age_on = timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def pronoun_forms(self) -> PronounForms:
        """she/her/her, he/him/his or they/them/their, from the person's own fields: no query."""
        return pronoun_forms(pronouns=self.pronouns, gender=self.gender)

    @property
    def first_language_label(self) -> str:
        if self.first_language == v.FIRST_LANGUAGE_PREFER_NOT:
            return str(v.PREFER_NOT[1])
        return self.first_language

    def age_on(self, day: datetime.date | None = None) -> int | None:
        day = day or timezone.localdate()
        if self.date_of_birth:
            return _whole_years(self.date_of_birth, day)
        if self.estimated_age is not None:
            # A year older on each anniversary of the estimate (leap days counted as the calendar does).
            return self.estimated_age + max(0, _whole_years(self.estimated_age_on or day, day))
        return None

    @property
    def age_band(self) -> str:
        """Derived, never stored: a date of birth or estimate moves her into the next band."""
        age = self.age_on()
        if age is None:
            return str(_("Not known"))
        return next((str(label) for low, high, label in v.AGE_BANDS if low <= age <= high), str(_("Not known")))


class PersonAlias(models.Model):
    """Aliases and previous names: a survivor may have changed her name to be safe."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=v.AliasKind.choices, default=v.AliasKind.ALIAS)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("alias or previous name")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class ContactPoint(models.Model):
    """A way to reach a person, as she gave it on one case. The value and the note are protected:
    encrypted at rest, the value found only by blind index.

    It belongs to the case it was recorded on, because need-to-know is granted per case: an agency
    that opens a second case for the same person must not inherit what she told the first one.
    `safe_to_use` records whether she says this channel is safe (the perpetrator may read it).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("kind"), max_length=16, choices=v.ContactKind.choices)
    value = EncryptedTextField(_("number or address"))
    search_index = models.CharField(max_length=64, editable=False, db_index=True)
    safe_to_use = models.BooleanField(
        _("safe to use"), null=True, blank=True, help_text=_("Does she say this is safe to contact her on?")
    )
    # "He has access to this phone" is as protected as the number itself.
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contact point")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def masked_value(self) -> str:
        """Enough to tell two numbers or addresses apart, not enough to use: for one she says is not
        safe, shown until someone asks for the whole of it ("••• ••• •123", "a•••@example.org")."""
        value = self.value or ""
        if self.kind == v.ContactKind.EMAIL and "@" in value:
            local, _at, domain = value.partition("@")
            return f"{local[:1]}•••@{domain}"
        digits = [c for c in value if c.isdigit()]
        return f"••• ••• •{''.join(digits[-3:])}" if len(digits) > 3 else "•••"

    def save(self, *args, **kwargs):
        from .selectors import contact_search_index

        self.search_index = contact_search_index(self.kind, self.value)
        super().save(*args, **kwargs)


class ProtectedLocation(models.Model):
    """Where she can be found: every one is a protected field, encrypted at rest and shown only on
    need-to-know (concord.policy.can_see_protected). A refuge location is never exported, listed,
    searched or put in a notification. Like a contact point, it belongs to the case it was recorded on."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="locations")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="protected_locations")
    kind = models.CharField(_("kind"), max_length=24, choices=v.LocationKind.choices)
    address = EncryptedTextField(_("address"))
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("protected location")

    def __str__(self) -> str:
        return self.get_kind_display()
