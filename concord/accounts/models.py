"""The partnership's structure: areas, agencies, staff and what role each plays for an agency."""

import hashlib
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Area(models.Model):
    """A local partnership. Everything in a case belongs to exactly one area."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(
        _("code"), max_length=12, unique=True, help_text=_("Short code used in case references, e.g. NTH.")
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/London",
                                 validators=[validate_time_zone])
    # Case references are numbered per area; the counter row is locked while a case is opened.
    next_case_number = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # One spelling only: references print the code in capitals, so "nth" and "NTH" are one area.
        self.code = self.code.upper()
        super().save(*args, **kwargs)


class Sector(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    PROBATION = "probation", _("Probation")
    HEALTH = "health", _("Health")
    SPECIALIST_ADVOCACY = "specialist_advocacy", _("Specialist advocacy")
    REFUGE = "refuge", _("Refuge / shelter")
    HOUSING = "housing", _("Housing")
    CHILDRENS_SERVICES = "childrens_services", _("Children's services")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    EDUCATION = "education", _("Education")
    IMMIGRATION = "immigration", _("Immigration")
    MENTAL_HEALTH_SUBSTANCE_USE = "mental_health_substance_use", _("Mental health & substance use")
    COMMUNITY_FAITH = "community_faith", _("Community / faith organisation")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")


# Agencies that work with the person causing harm. They never see protected information about
# the survivor, whatever else is granted (the access rule relies on this set).
PERPETRATOR_FACING_SECTORS = frozenset({Sector.PROBATION, Sector.PERPETRATOR_PROGRAMME})


class Agency(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=160)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Who changed an agency's sector or activity, and when: the sector decides what it may see.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="agency_name_unique_in_area")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_perpetrator_facing(self) -> bool:
        return self.sector in PERPETRATOR_FACING_SECTORS


class StaffUserManager(UserManager):
    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, username, email, password, **extra_fields):
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff. Logs in with e-mail; acts for one of their agencies at a time."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    is_demo_account = models.BooleanField(
        _("demo account"), default=False,
        help_text=_("Printed by `make run`; may skip TOTP only while the server runs in demo mode."),
    )

    USERNAME_FIELD = "email"  # type: ignore[misc]
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = StaffUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("staff user")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SUPERVISOR = "supervisor", _("Supervisor")
    CONFERENCE_COORDINATOR = "conference_coordinator", _("Conference coordinator")
    ANALYST = "analyst", _("Analyst")
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    SURVIVOR_PANEL_MEMBER = "survivor_panel_member", _("Survivor-panel member")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that work individual cases. Everyone else sees aggregates only (later issues), and
# administrators manage users and agencies but never see case content.
CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.CONFERENCE_COORDINATOR})


class Membership(models.Model):
    """A staff user's role for one agency. A user may belong to several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"

    @property
    def does_casework(self) -> bool:
        return self.role in CASEWORK_ROLES


class ServiceToken(models.Model):
    """An API credential for another system acting for one agency. Only a hash is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="service_tokens")
    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        # The token is 256 random bits, so a fast hash is enough: nothing to brute-force.
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, membership: Membership, name: str) -> tuple["ServiceToken", str]:
        raw = "cc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(membership=membership, name=name, token_hash=cls.hash(raw), prefix=raw[:8])
        return token, raw
