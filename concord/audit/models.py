"""The access log: who read or changed what, acting for which agency, on what basis.

Rows are evidence, so they are append-only at three levels: this model refuses save() of an
existing row and delete(); the database refuses UPDATE, DELETE and TRUNCATE (triggers, see
concord.audit.protection and docs/audit.md); and each row is hash-chained to the one before it, so
an edit, a deletion or a reordering made around both is still found by `manage.py audit_verify`.

There is deliberately no foreign key here. The log must outlive the cases, users and agencies it
names (retention deletes closed cases; ON DELETE SET NULL would be an UPDATE, which the trigger
forbids), so ids are plain integers and names are copied as text at the time of access.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# prev_hash of the first entry: 64 zeros, the length of a SHA-256 hex digest.
GENESIS_HASH = "0" * 64


class AppendOnlyViolation(Exception):
    """An attempt to change or remove an access-log entry. A programming error, never a user error."""


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    SEARCH = "search", _("Searched")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed to sign in")
    LOGOUT = "logout", _("Signed out")
    OVERRIDE_USED = "override_used", _("Used an override")
    RETENTION_DELETE = "retention_delete", _("Deleted at the end of its retention period")


class ObjectType(models.TextChoices):
    """What an entry is about. Callers may pass other short labels; these are the common ones."""

    CASE = "case", _("case")
    INCIDENT = "incident", _("incident")
    NEED = "need", _("need")
    PERSON = "person", _("person")
    PARTICIPANT = "participant", _("participant")
    INVOLVEMENT = "involvement", _("involved agency")
    CONSENT = "consent", _("consent decision")
    OVERRIDE = "override", _("override")
    PROTECTED = "protected", _("protected information")
    SEARCH = "search", _("search")
    LISTING = "listing", _("case in a search result or list")
    PEOPLE = "people", _("people shown in a list or a duplicate check")
    USER = "user", _("staff user")
    AGENCY = "agency", _("agency")
    MEMBERSHIP = "membership", _("membership")
    SERVICE_TOKEN = "service_token", _("service token")


class AccessLogQuerySet(models.QuerySet):
    """Bulk paths around save() would skip the chain or rewrite history: refused."""

    def update(self, **kwargs):
        raise AppendOnlyViolation("The access log cannot be updated.")

    def delete(self):
        raise AppendOnlyViolation("The access log cannot be deleted from.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyViolation("The access log cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyViolation("Write access-log entries with concord.audit.services.access_log_append.")


class AccessLogEntry(models.Model):
    sequence = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), editable=False)

    # Who, and for which agency: ids plus the names as they were, since the rows may go.
    user_id = models.BigIntegerField(null=True, blank=True, editable=False)
    user_label = models.CharField(_("who"), max_length=200, blank=True, editable=False)
    agency_id = models.BigIntegerField(null=True, blank=True, editable=False)
    agency_name = models.CharField(_("agency"), max_length=160, blank=True, editable=False)
    # The case's area (or the actor's): lets an area's review query its own rows by index.
    area_id = models.BigIntegerField(null=True, blank=True, editable=False)

    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices, editable=False)
    object_type = models.CharField(_("record type"), max_length=32, editable=False)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, editable=False)
    case_id = models.BigIntegerField(null=True, blank=True, editable=False)
    case_reference = models.CharField(_("case reference"), max_length=32, blank=True, editable=False)
    fields = models.JSONField(_("fields shown or changed"), default=list, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True, editable=False)
    basis = models.CharField(_("basis"), max_length=120, blank=True, editable=False,
                             help_text=_('What allowed it, e.g. "lead", "consent:123", "override:45".'))

    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["case_id", "occurred_at"], name="audit_case_when"),
            models.Index(fields=["area_id", "occurred_at"], name="audit_area_when"),
            models.Index(fields=["user_id", "occurred_at"], name="audit_user_when"),
            models.Index(fields=["occurred_at"], name="audit_when"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.sequence} {self.user_label or 'system'} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyViolation("An access-log entry cannot be changed once written.")
        if not self.entry_hash:
            raise AppendOnlyViolation("Write access-log entries with concord.audit.services.access_log_append.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation("An access-log entry cannot be deleted.")


class AuditChainHead(models.Model):
    """The chain's tail, one row: the writer locks it, so taking the next sequence number and the
    previous hash is O(1) and serialised across processes. `audit_verify` also compares it with the
    last entry, which is how removing entries from the end is noticed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row")]
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}…"
