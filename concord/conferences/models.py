"""Multi-agency risk conferences (issue 17): the area's conference series and its meetings; a case's
referral to the conference (why, on what consent, whether she knows), listed on a meeting's agenda in
order, capped, the rest waiting for the next one; what each invited agency holds on each agenda case
(research); who came; the discussion; and the actions agencies take away, each one theirs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency, Area
from concord.cases.models import Case
from concord.consent.models import ConsentDecision
from concord.consent.vocabularies import LegalBasis
from concord.crypto import EncryptedTextField

from . import vocabularies as v

DEFAULT_CAPACITY = 16  # cases a meeting, as the field runs them (12–15 minutes a case)


class ConferenceSeries(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="conference_series")
    name = models.CharField(_("name"), max_length=160)
    every_days = models.PositiveIntegerField(_("meets every (days)"), default=14)
    capacity = models.PositiveIntegerField(_("cases a meeting at most"), default=DEFAULT_CAPACITY)
    # An invited agency sees an agenda case's conference facets from the agenda's release until this
    # many days after the meeting.
    access_days_after = models.PositiveIntegerField(_("access after the meeting (days)"), default=28)
    # The agency whose conference coordinator receives referrals and builds agendas: its coordinators
    # read a referred case's conference item from the referral on (concord.access, Basis.COORDINATION).
    coordinating_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True,
                                            blank=True, verbose_name=_("coordinating agency"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "conference series"

    def __str__(self) -> str:
        return self.name

    def next_meeting_at(self):
        """When the schedule puts the next meeting: every `every_days` from the latest one, the first such
        date still to come (None before the first meeting)."""
        import datetime

        last = self.meetings.order_by("-held_at").values_list("held_at", flat=True).first()
        if last is None:
            return None
        step, now = datetime.timedelta(days=max(self.every_days, 1)), timezone.now()
        periods = max((now - last) // step + 1, 1)
        return last + periods * step


class Meeting(models.Model):
    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("meets at"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                              blank=True)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    invited = models.ManyToManyField(Agency, related_name="conference_meetings", blank=True)
    agenda_released_at = models.DateTimeField(null=True, blank=True)
    # The chair closes the meeting: what was not discussed waits for the next one; the minutes are final.
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_at", "id"]
        indexes = [models.Index(fields=["series", "held_at"], name="meeting_series_held")]

    def __str__(self) -> str:
        return f"{self.series} {self.held_at:%d %b %Y}"

    @property
    def access_ends_at(self):
        """When the invited agencies stop seeing its agenda cases' conference items."""
        import datetime

        return self.held_at + datetime.timedelta(days=self.series.access_days_after)

    @property
    def is_released(self) -> bool:
        return self.agenda_released_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ConferenceReferral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conference_referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    criteria = models.JSONField(default=list)  # Criterion codes, in the vocabulary's order
    judgement_reason = EncryptedTextField(blank=True)  # why, when professional judgement is a criterion
    # The repeat flag as the risk level gave it: which definition, and its version.
    repeat_definition = models.CharField(max_length=40, blank=True)
    repeat_definition_version = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=12, blank=True)  # the level when referred, for the agenda's order
    consent_basis = models.CharField(max_length=10, choices=v.ConsentBasis.choices)
    consent_decision = models.ForeignKey(ConsentDecision, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    legal_basis = models.CharField(max_length=32, choices=LegalBasis.choices, blank=True)
    override_reason = EncryptedTextField(blank=True)
    she_knows = models.CharField(_("does she know of the referral"), max_length=4, choices=v.SheKnows.choices)
    why_not_told = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=v.ConferenceReferralStatus.choices,
                              default=v.ConferenceReferralStatus.PENDING)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda")
    position = models.PositiveIntegerField(null=True, blank=True)  # on the meeting's agenda, from 1
    # Children in her household when referred (for the conference's figures; None: not known).
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    # The meeting's shared summary of its discussion of this case, when discussed.
    discussion_summary = EncryptedTextField(blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["referred_at", "id"]
        constraints = [
            # One referral waiting or listed per case at a time.
            models.UniqueConstraint(fields=["case"], condition=Q(status__in=["pending", "listed"]),
                                    name="one_live_conference_referral"),
        ]
        indexes = [models.Index(fields=["status", "referred_at"], name="conf_referral_waiting")]

    @property
    def is_repeat(self) -> bool:
        return v.Criterion.REPEAT in self.criteria


class Attendance(models.Model):
    """Whether an invited agency was at the meeting, and who came for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=v.AttendanceStatus.choices)
    names = models.CharField(_("who attended"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")]


# Research's free-text fields, in the form's order.
RESEARCH_TEXTS = ("involvement", "incidents", "risks", "children", "her_views")


def withholds_her_views(agency: Agency) -> bool:
    """Her views and wishes, as her advocate brings them, never reach (nor come from) an agency that
    works with the person causing harm, as her risk answers never do (concord.access.facets)."""
    return agency.is_perpetrator_facing


class Research(models.Model):
    """What one invited agency holds on one agenda case, recorded before the meeting: its own record,
    read by the meeting under the conference basis; edited only by that agency."""

    referral = models.ForeignKey(ConferenceReferral, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    involvement = EncryptedTextField(_("your agency's involvement"), blank=True)
    incidents = EncryptedTextField(_("relevant incidents"), blank=True)
    risks = EncryptedTextField(_("risks you know of"), blank=True)
    children = EncryptedTextField(_("children"), blank=True)
    # Her views and wishes, as her advocate brings them to the meeting; never read by an agency that
    # works with the person causing harm.
    her_views = EncryptedTextField(_("her views and wishes"), blank=True)
    nothing_held = models.BooleanField(_("we hold nothing on her"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["referral", "agency"], name="one_research_per_agency")]


class ConferenceAction(models.Model):
    """An action agreed at the meeting. The conference does not own it: the owner agency does, and
    sees it as a task (risk.Task, opened with it) with a reminder before the deadline and escalation
    after. Blocked by a change in her circumstances is told apart from not done."""

    referral = models.ForeignKey(ConferenceReferral, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="conference_actions",
                                     verbose_name=_("agency responsible"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                               blank=True, verbose_name=_("named worker"))
    description = EncryptedTextField(_("action"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=v.ActionStatus.choices,
                              default=v.ActionStatus.OPEN)
    status_reason = EncryptedTextField(_("what happened"), blank=True)
    task = models.OneToOneField("risk.Task", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="conference_action")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["owner_agency", "status", "due_at"], name="conf_action_owner")]

    @property
    def subject(self) -> str:
        return f"conference_action:{self.pk}"

    @property
    def on_time(self) -> bool | None:
        if self.status != v.ActionStatus.DONE or self.closed_at is None:
            return None
        return self.closed_at <= self.due_at


class AreaConferenceProfile(models.Model):
    """What the area's conference figures are read against: its adult women (for the rate per 10,000),
    the smallest count it publishes, and the share of referrals it expects from each group."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="conference_profile")
    adult_women = models.PositiveIntegerField(_("adult women in the area"), null=True, blank=True)
    suppress_below = models.PositiveSmallIntegerField(_("suppress counts below"), default=5)
    # {"minoritised": 8.0, "lgbt": 2.5, ...}: percentages of referrals expected (vocabularies.Group).
    expected = models.JSONField(default=dict, blank=True)
