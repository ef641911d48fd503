"""The survivor-centred case record: one case per survivor's journey, shared by the agencies on it."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.accounts.models import Agency, Area
from concord.people.models import Person

from . import vocabularies as v


class Case(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("case reference"), max_length=32, editable=False)
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases_as_survivor",
                                 verbose_name=_("survivor"))
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases",
                                    verbose_name=_("lead agency"))
    status = models.CharField(_("status"), max_length=12, choices=v.CaseStatus.choices,
                              default=v.CaseStatus.OPEN)
    closure_reason = models.CharField(_("closure reason"), max_length=24, choices=v.ClosureReason.choices,
                                      blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, db_index=True)
    # A restricted case is seen only by named staff (e.g. she, or the person causing harm, works in
    # a partner agency), whatever their agency's involvement.
    is_restricted = models.BooleanField(_("restricted"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(fields=["area", "reference"], name="case_reference_unique_in_area"),
            models.CheckConstraint(
                condition=Q(status=v.CaseStatus.OPEN) | ~Q(closure_reason=""), name="closed_case_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["lead_agency", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == v.CaseStatus.OPEN


class CaseAgency(models.Model):
    """An agency involved in a case. Ending involvement keeps the row, so the timeline stays whole."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_involvements")
    reason = models.CharField(_("why this agency is involved"), max_length=200, blank=True)
    # The lead agency may let an involved agency correct her details and the people on the case.
    may_correct_details = models.BooleanField(_("may correct her details"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("involved agency")
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], condition=Q(ended_at__isnull=True),
                                    name="one_current_involvement_per_agency"),
        ]
        indexes = [models.Index(fields=["agency", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.agency} on {self.case}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class CaseParticipant(models.Model):
    """Everyone on the case other than the primary survivor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(_("role"), max_length=24, choices=v.ParticipantRole.choices)
    relationship = models.CharField(_("relationship to her"), max_length=24, choices=v.Relationship.choices,
                                    default=v.Relationship.UNKNOWN)
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "added_at"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="participant_once_per_role")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Incident(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField(_("date"))
    occurred_at_time = models.TimeField(_("time, if known"), null=True, blank=True)
    place_type = models.CharField(_("where"), max_length=24, choices=v.PlaceType.choices,
                                  default=v.PlaceType.UNKNOWN)
    persons_causing_harm = models.ManyToManyField(Person, related_name="incidents_caused", blank=True,
                                                  verbose_name=_("persons causing harm"))
    injuries = models.CharField(_("injuries"), max_length=12, choices=v.Injuries.choices,
                                default=v.Injuries.UNKNOWN)
    weapon_used = models.CharField(_("weapon used"), max_length=8, choices=v.YesNoUnknown.choices,
                                   default=v.YesNoUnknown.UNKNOWN)
    strangulation = models.CharField(_("strangulation or choking"), max_length=8, choices=v.YesNoUnknown.choices,
                                     default=v.YesNoUnknown.UNKNOWN)
    children_present = models.CharField(_("children present"), max_length=8, choices=v.YesNoUnknown.choices,
                                        default=v.YesNoUnknown.UNKNOWN)
    police_attended = models.CharField(_("police attended"), max_length=8, choices=v.YesNoUnknown.choices,
                                       default=v.YesNoUnknown.UNKNOWN)
    # What the area's protocols answer (issue 16), and a breach is also an escalation fact.
    arrest_made = models.CharField(_("arrest made"), max_length=8, choices=v.YesNoUnknown.choices,
                                   default=v.YesNoUnknown.UNKNOWN)
    order_breached = models.CharField(_("a court order or bail condition breached"), max_length=8,
                                      choices=v.YesNoUnknown.choices, default=v.YesNoUnknown.UNKNOWN)
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("reported to"))
    narrative = models.TextField(_("what happened"), blank=True)
    # The violence types again, as codes in the vocabulary's order: IncidentViolence rows (what
    # indicators count) have no history of their own, and this lets the change history say what the
    # types were at each version, for a stale edit's "what changed".
    violence_type_list = models.CharField(_("violence types"), max_length=400, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[persons_causing_harm])
    # Fields holding comma-separated codes of a vocabulary, shown as its labels (concord.concurrency).
    code_lists = {"violence_type_list": v.ViolenceType}

    class Meta:
        ordering = ["-occurred_on", "-occurred_at_time"]
        verbose_name = _("incident")
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d %b %Y}: {', '.join(self.violence_type_labels) or _('incident')}"

    def clean(self) -> None:
        # A day's grace: the worker's clock and the area's time zone may be ahead of the server's.
        if self.occurred_on and self.occurred_on > timezone.localdate() + timedelta(days=1):
            raise ValidationError({"occurred_on": _("This date is in the future.")})

    @property
    def violence_type_codes(self) -> list[str]:
        """In the vocabulary's order (the GBVIMS core types first), not alphabetical. From the list kept
        on the incident (no query); from the rows for an incident written before it was kept."""
        if self.violence_type_list:
            return [code for code in self.violence_type_list.split(",") if code]
        order = {code: index for index, code in enumerate(v.ViolenceType.values)}
        return sorted((row.violence_type for row in self.violence_types.all()), key=order.__getitem__)

    @property
    def violence_type_labels(self) -> list[str]:
        return [str(v.ViolenceType(code).label) for code in self.violence_type_codes]


class IncidentViolence(models.Model):
    """One violence type of an incident: a row each, so indicators can count by type."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="violence_types")
    violence_type = models.CharField(max_length=32, choices=v.ViolenceType.choices, db_index=True)

    class Meta:
        ordering = ["violence_type"]
        constraints = [models.UniqueConstraint(fields=["incident", "violence_type"], name="violence_type_once")]


class Need(models.Model):
    """What she says she needs, in her own words, with her own priority."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    in_her_words = models.TextField(_("in her words"))
    category = models.CharField(_("category"), max_length=24, choices=v.NeedCategory.choices)
    priority = models.CharField(_("her priority"), max_length=8, choices=v.NeedPriority.choices,
                                default=v.NeedPriority.MEDIUM)
    status = models.CharField(_("status"), max_length=24, choices=v.NeedStatus.choices,
                              default=v.NeedStatus.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "priority", "-recorded_at"]
        verbose_name = _("need")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.in_her_words[:60]}"


class CaseWorker(models.Model):
    """The member of staff who holds the case for one agency on it: her worker there. Each agency on
    the case (the lead and every involved agency) names its own; reassigning ends the row and starts
    another, so who held it when stays known."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="workers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_workers")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_held")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("case worker")
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], condition=Q(ended_at__isnull=True),
                                    name="one_current_worker_per_agency"),
        ]
        # "My cases": the current rows of one worker at one agency.
        indexes = [models.Index(fields=["worker", "agency", "ended_at"], name="case_worker_mine")]

    def __str__(self) -> str:
        return f"{self.worker} for {self.agency} on {self.case}"


class RecordNote(models.Model):
    """Another agency's word beside an incident or a need it did not record: added, never rewritten,
    so nobody changes someone else's record and everyone who may see the record sees the notes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="record_notes")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    text = models.TextField(_("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(incident__isnull=False, need__isnull=True)
                                              | Q(incident__isnull=True, need__isnull=False),
                                              name="note_on_one_record")]

    def __str__(self) -> str:
        return f"{self.recorded_for} on {self.incident or self.need}"


class CaseEvent(models.Model):
    """What happened on a case, as data: its kind, the record it is about, the facet of the case it
    belongs to and its parameters. It is rendered when read, in the reader's language and to the
    reader's facets (concord.cases.events), never stored as a sentence. Written by the service that
    did it, for a person acting for an agency or for the system (a background job, a protocol rule,
    an import: `system_actor` names it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    facet = models.CharField(max_length=32)
    params = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    system_actor = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(actor__isnull=False, agency__isnull=False, system_actor="")
                           | Q(actor__isnull=True, agency__isnull=True) & ~Q(system_actor="")),
                name="event_by_a_person_or_the_system"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.occurred_at:%Y-%m-%d})"

    @property
    def by_system(self) -> bool:
        return bool(self.system_actor)


class RestrictedCaseMember(models.Model):
    """A member of staff named to see a restricted case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restricted_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], condition=Q(removed_at__isnull=True),
                                               name="one_current_restricted_membership")]


class ConflictOfInterest(models.Model):
    """Staff who declare they know her or the person causing harm lose access to the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_conflict_per_user")]


class CaseChange(models.Model):
    """A write touched this case (or, with no case, what every case shows): appended by the database's
    triggers (concord.cases.changes), never by the application. The newest row of a case tells a
    kept case page whether it is still current."""

    id = models.BigAutoField(primary_key=True)
    case_id = models.BigIntegerField(null=True)  # no foreign key: the log outlives what it names

    class Meta:
        indexes = [models.Index(fields=["case_id", "id"], name="casechange_case_newest")]

    def __str__(self) -> str:
        return f"change {self.pk} of {self.case_id or 'every case'}"
