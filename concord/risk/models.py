"""Risk assessments, professional judgement, the case's risk level and the follow-up tasks it opens.

What the survivor answered and said (an assessment's answers, her view, her words, a judgement's
written reason) is the risk-answers facet. The level and its reasons, and the tasks, are part of the
core record: every agency that may see the case sees them, an agency working with the person causing
harm included (concord.access.facets).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency, Area
from concord.cases.models import Case

from . import vocabularies as v


class Assessment(models.Model):
    """One instrument completed with her (or about her), kept with the version it was scored with:
    a later version of the instrument never rescores it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    instrument = models.CharField(_("instrument"), max_length=40)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    # Before the questions.
    safe_to_talk = models.CharField(_("is it safe for her to talk now?"), max_length=12,
                                    choices=v.SafeToTalk.choices)
    interpreter_used = models.BooleanField(_("an interpreter is being used"), default=False)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=60, blank=True)
    channel = models.CharField(_("how the assessment is done"), max_length=12, choices=v.AssessmentChannel.choices)
    # Her own view of her risk, and her fears in her words: shown beside the score.
    her_view = models.CharField(_("her own view of her risk"), max_length=12, choices=v.HerViewOfRisk.choices)
    her_words = models.TextField(_("what she fears, in her words"), blank=True)
    # item id -> "yes" | "no" | "dont_know" | "not_answered" (her words for a free-text item).
    answers = models.JSONField(_("answers"), default=dict)
    practitioner_believes_high = models.BooleanField(_("the practitioner believes she is at high risk"),
                                                     default=False)
    spoke_to_advocacy = models.CharField(_("spoke to the advocacy service straight away"), max_length=12,
                                         blank=True)
    # The result, as scored when recorded.
    score = models.PositiveIntegerField(_("score"))
    level = models.CharField(_("instrument level"), max_length=40, blank=True)  # the instrument's own level id
    scale_level = models.CharField(_("risk level"), max_length=12, choices=v.RiskLevel.choices, blank=True)
    result = models.JSONField(default=dict)  # yes, dont_know, not_answered, screened_in, how, area_bands
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("risk assessment")
        indexes = [models.Index(fields=["case", "instrument", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.instrument_version} on {self.case_id} ({self.score})"


class Judgement(models.Model):
    """A practitioner's professional judgement raising the level, with the reason written down. It
    stands until the next assessment; it can raise the level, never lower it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_judgements")
    level = models.CharField(_("level it raises to"), max_length=12, choices=v.RiskLevel.choices)
    reason_kind = models.CharField(_("reason"), max_length=24, choices=v.JudgementReason.choices)
    reason = models.TextField(_("why, in the practitioner's words"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("professional judgement")
        indexes = [models.Index(fields=["case", "recorded_at"])]


class Separation(models.Model):
    """She has separated from the person causing harm (or tried to): a time of greater danger, so it
    raises the level (the recent-separation rule) and makes a reassessment due, as a new incident does."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="separations")
    separated_on = models.DateField(_("date of the separation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-separated_on", "-id"]
        verbose_name = _("separation")
        indexes = [models.Index(fields=["case", "separated_on"])]


class CaseRisk(models.Model):
    """The case's risk level now: the highest of the instruments', the judgement's and the history's,
    with every reason (as data, rendered for each reader), the repeat flag and when to reassess.
    Kept beside the case so that lists show the level without computing it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="risk")
    level = models.CharField(_("risk level"), max_length=12, choices=v.RiskLevel.choices, blank=True)
    reasons = models.JSONField(default=list)
    # Repeat: which definition, and its version, made the case a repeat ("" when it is not one).
    repeat_definition = models.CharField(max_length=40, blank=True)
    repeat_definition_version = models.PositiveIntegerField(null=True, blank=True)
    reassess_due = models.DateField(_("reassessment due"), null=True, blank=True)
    reassess_because = models.CharField(max_length=24, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case risk level")
        indexes = [models.Index(fields=["level"], name="case_risk_level")]

    @property
    def is_repeat(self) -> bool:
        return bool(self.repeat_definition)


class RiskLevelChange(models.Model):
    """Each change of the case's level, with the reasons that held then: the level over time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_level_changes")
    from_level = models.CharField(max_length=12, choices=v.RiskLevel.choices, blank=True)
    to_level = models.CharField(max_length=12, choices=v.RiskLevel.choices, blank=True)
    reasons = models.JSONField(default=list)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["case", "changed_at"])]


class Task(models.Model):
    """Something an agency must do on a case by a deadline: opened by a rule (a high level's follow-ups;
    the protocols of a later issue) or by a person. The owner agency does it; a named worker where
    there is one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=40, choices=v.TaskKind.choices)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks",
                                     verbose_name=_("agency responsible"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks",
                               null=True, blank=True, verbose_name=_("named worker"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=v.TaskStatus.choices, default=v.TaskStatus.OPEN)
    # What opened it: "risk_level:high", a protocol's id and version, or "" for a person.
    opened_by_rule = models.CharField(max_length=80, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                null=True, blank=True)
    done_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    outcome = models.CharField(_("what was done"), max_length=300, blank=True)
    # Opened by an interagency protocol (issue 16): the version that opened it, and what it is about
    # ("referral:12", "incident:40"; "" for the case itself). A protocol opens one task per subject.
    protocol_version = models.ForeignKey("protocols.ProtocolVersion", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="tasks")
    subject = models.CharField(max_length=40, blank=True, default="")
    # A task about a referral: its receiver answers it from the packet, before it may see the case.
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="tasks")
    # A breach goes to a supervisor of the owner agency at escalate_at (the deadline, or later where the
    # protocol allows): once, whoever's worker gets there first.
    escalate_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    # A reminder before the deadline (a conference action's): the sweep marks it once, on the timeline.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        constraints = [
            # A rule opens one task of a kind on a case (and subject) at a time.
            models.UniqueConstraint(fields=["case", "kind", "subject"], condition=Q(status="open"),
                                    name="one_open_task_per_kind_and_subject"),
        ]
        indexes = [models.Index(fields=["owner_agency", "status", "due_at"], name="task_agency_due"),
                   models.Index(fields=["worker", "status", "due_at"], name="task_worker_due"),
                   # The sweep's question: open tasks past their escalation time, not yet escalated.
                   models.Index(fields=["escalate_at"], condition=Q(status="open", escalated_at__isnull=True),
                                name="task_to_escalate"),
                   models.Index(fields=["remind_at"], condition=Q(status="open", reminded_at__isnull=True),
                                name="task_to_remind"),
                   # Compliance over a period: the protocols' tasks by when they opened.
                   models.Index(fields=["opened_at"], condition=Q(protocol_version__isnull=False),
                                name="task_protocol_opened")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id}, due {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.status == v.TaskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class AreaRiskRules(models.Model):
    """An area's own settings for risk: the checklist's bands, the escalation rules' window and count,
    when to reassess, which repeat definition it uses, and the follow-ups of a high level. Anything
    left empty takes Concord's default (concord.risk.rules.DEFAULTS)."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, primary_key=True, related_name="risk_rules")
    settings = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("area risk rules")
        verbose_name_plural = _("area risk rules")
