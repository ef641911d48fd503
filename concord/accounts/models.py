"""The partnership's structure: areas, agencies, staff and what role each plays for an agency."""

import datetime
import hashlib
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_holiday_calendar(value: str) -> None:
    from concord.protocols.calendar import UnknownCalendar, check_calendar

    try:
        check_calendar(value)
    except UnknownCalendar:
        raise ValidationError(_("%(value)s is not a known public-holiday calendar (e.g. GB-ENG, GB-SCT)."),
                              params={"value": value}) from None


class Area(models.Model):
    """A local partnership. Everything in a case belongs to exactly one area."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(
        _("code"), max_length=12, unique=True, help_text=_("Short code used in case references, e.g. NTH.")
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/London",
                                 validators=[validate_time_zone])
    # Its public holidays, for deadlines in working days: a country and subdivision of the holidays
    # package ("GB-ENG" England, "GB-WLS" Wales, "GB-SCT" Scotland, "GB-NIR" Northern Ireland).
    holiday_calendar = models.CharField(_("public-holiday calendar"), max_length=12, default="GB-ENG",
                                        validators=[validate_holiday_calendar])
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
    # Another system's identity (a records feed): it holds API tokens and never signs in; no
    # password is ever set for it and the sign-in refuses it (accounts.adapter, accounts.middleware).
    is_service_account = models.BooleanField(
        _("service account"), default=False,
        help_text=_("Another system, not a person: it calls the API with approved tokens and cannot sign in."),
    )

    # Set when an administrator gives the password: she chooses her own at first sign-in, before
    # anything else (accounts.first_sign_in).
    password_is_temporary = models.BooleanField(
        _("temporary password"), default=False,
        help_text=_("Given by an administrator; they choose their own at their next sign-in."),
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


class MembershipQuerySet(models.QuerySet):
    def in_force(self) -> "MembershipQuerySet":
        """Memberships that count: active, at an active agency, and approved if the role works cases.
        The same rule as `Membership.is_in_force`; agency choice, API tokens and the access rule use it."""
        return self.filter(is_active=True, agency__is_active=True).filter(
            ~Q(role__in=CASEWORK_ROLES) | Q(approved_at__isnull=False))

    def awaiting_approval(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, agency__is_active=True, role__in=CASEWORK_ROLES,
                           approved_at__isnull=True, user__is_active=True)


class Membership(models.Model):
    """A staff user's role for one agency. A user may belong to several agencies.

    A casework role (it opens case records) counts only once approved by a supervisor of the agency or
    an approver the area names, never by an administrator alone (accounts.approvals, decision 9). The
    approval is for this person in this role at this agency: a change of any of them, or of activity,
    withdraws it (`save`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    # Empty with approved_at set: approved without a person (the migration that introduced approvals,
    # or demo seeding), and approval_note says which.
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                    related_name="+", verbose_name=_("approved by"))
    approval_note = models.CharField(_("approval note"), max_length=200, blank=True, editable=False)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"

    @property
    def needs_approval(self) -> bool:
        return self.role in CASEWORK_ROLES

    @property
    def is_approved(self) -> bool:
        return not self.needs_approval or self.approved_at is not None

    @property
    def is_in_force(self) -> bool:
        """As `MembershipQuerySet.in_force`, for a membership in hand."""
        return self.is_active and self.agency.is_active and self.is_approved

    @property
    def does_casework(self) -> bool:
        return self.role in CASEWORK_ROLES and self.approved_at is not None

    def save(self, *args, **kwargs):
        if self.pk is not None and self.approved_at is not None:
            before = (type(self).objects.filter(pk=self.pk)
                      .values_list("user_id", "agency_id", "role", "is_active").first())
            if before is not None and before != (self.user_id, self.agency_id, self.role, self.is_active):
                self.approved_at, self.approved_by, self.approval_note = None, None, ""
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "approved_at", "approved_by", "approval_note"}
        super().save(*args, **kwargs)


class AreaApprover(models.Model):
    """Someone the area names to approve casework memberships and service tokens at any of its agencies
    (a new agency has no supervisor yet). Named by the operator with `manage.py area_approvers`, never
    in the web app, so that the administrator role cannot name itself."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="approvers")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)
    named_by = models.CharField(max_length=200, help_text=_("Who ran the command, as they gave it."))
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "user"], condition=Q(removed_at__isnull=True),
                                               name="one_current_naming_per_approver")]

    def __str__(self) -> str:
        return f"{self.user} ({self.area})"


class TokenScope(models.TextChoices):
    """What a service token may do, by the API's operations (concord.api.urls maps each router to one
    resource; reading is GET, writing anything else)."""

    CASES_READ = "cases:read", _("Read cases, incidents, needs, notes and risk")
    CASES_WRITE = "cases:write", _("Open cases, record and change incidents, needs and notes, assess risk")
    PEOPLE_READ = "people:read", _("Read and match people")
    PEOPLE_WRITE = "people:write", _("Correct people on a case")
    PARTNERSHIP_READ = "partnership:read", _("Read the area, its agencies and the risk instruments")


TOKEN_MAX_LIFETIME = datetime.timedelta(days=366)


class ServiceTokenQuerySet(models.QuerySet):
    def usable(self, at: datetime.datetime | None = None) -> "ServiceTokenQuerySet":
        """Approved, not revoked, not expired, held by an active service account whose membership is in
        force."""
        memberships = Membership.objects.in_force().filter(user__is_active=True, user__is_service_account=True)
        return self.filter(approved_at__isnull=False, revoked_at__isnull=True, expires_at__gt=at or timezone.now(),
                           membership__in=memberships)

    def awaiting_approval(self) -> "ServiceTokenQuerySet":
        return self.filter(approved_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now(),
                           membership__user__is_service_account=True)


def validate_scopes(value) -> None:
    known = set(TokenScope.values)
    if not isinstance(value, list) or not value or any(scope not in known for scope in value):
        raise ValidationError(_("Choose one or more of: %(scopes)s."), params={"scopes": ", ".join(sorted(known))})


class ServiceToken(models.Model):
    """An API credential of a service account (another system) acting for its agency. Only a hash is
    stored. It works once approved, as a casework membership is, within its scopes and until it expires;
    the access log names the token itself (policy.Actor.label)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="service_tokens",
                                   help_text=_("The service account's membership: the agency and role it acts as."))
    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, validators=[validate_scopes])
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                     related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                    related_name="+", verbose_name=_("approved by"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def label(self) -> str:
        """The token as the access log names it."""
        return f'service token "{self.name}" ({self.prefix}…) #{self.pk}'

    @staticmethod
    def hash(raw: str) -> str:
        # The token is 256 random bits, so a fast hash is enough: nothing to brute-force.
        return hashlib.sha256(raw.encode()).hexdigest()

    def clean(self) -> None:
        if self.membership_id is not None and not self.membership.user.is_service_account:
            raise ValidationError({"membership": _("Tokens belong to service accounts, not to a person.")})
        if self.expires_at is not None:
            start = self.created_at or timezone.now()
            if self.expires_at <= timezone.now() and self.pk is None:
                raise ValidationError({"expires_at": _("The expiry must be in the future.")})
            if self.expires_at > start + TOKEN_MAX_LIFETIME:
                raise ValidationError({"expires_at": _("A token lasts at most a year.")})

    @classmethod
    def issue(cls, *, membership: Membership, name: str, scopes: list[str], expires_at: datetime.datetime,
              requested_by: User | None = None) -> tuple["ServiceToken", str]:
        """A new token, awaiting approval (accounts.approvals). The raw value is returned once."""
        raw = "cc_" + secrets.token_urlsafe(32)
        token = cls(membership=membership, name=name, token_hash=cls.hash(raw), prefix=raw[:8],
                    scopes=sorted(set(scopes)), expires_at=expires_at, requested_by=requested_by)
        token.full_clean()
        token.save()
        return token, raw
