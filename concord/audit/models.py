"""The access log: who read or changed what, acting for which agency, on what basis.

Rows are evidence, so they are append-only at three levels: this model refuses save() of an
existing row and delete(); the database refuses UPDATE, DELETE and TRUNCATE (triggers, see
concord.audit.protection and docs/audit.md); and each row is hash-chained to the one before it, so
an edit, a deletion or a reordering made around both is still found by `manage.py audit_verify`.
The chain is a MAC under a key the database does not hold (settings.AUDIT_MAC_KEY), so whoever can
write the table still cannot write an entry that verifies; each area has its own chain.

There is deliberately no foreign key here. The log must outlive the cases, users and agencies it
names (retention deletes closed cases; ON DELETE SET NULL would be an UPDATE, which the trigger
forbids), so ids are plain integers and names are copied as text at the time of access.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# prev_hash of the first entry: 64 zeros, the length of a SHA-256 hex digest.
GENESIS_HASH = "0" * 64

# The chain of entries without an area (a login with no agency, the system's own). It also holds
# every entry written before chains were per area (migration 0003), in their original order.
NO_AREA_CHAIN = 0


class MacVersion(models.IntegerChoices):
    # 1: unkeyed SHA-256, the scheme before migration 0003; accepted only in the no-area chain and
    # only before its first keyed entry. 2: HMAC-SHA256 under settings.AUDIT_MAC_KEY.
    UNKEYED = 1, "sha256"
    KEYED = 2, "hmac-sha256"


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


class ListingQuerySet(AccessLogQuerySet):
    """A listing's rows are written together with their entry (bulk), never changed."""

    def bulk_create(self, objs, *args, **kwargs):
        return models.QuerySet.bulk_create(self, objs, *args, **kwargs)


class AccessLogEntry(models.Model):
    # Which chain: the area's id, or NO_AREA_CHAIN. The sequence is 1, 2, 3… within it.
    chain = models.BigIntegerField(_("chain"), default=NO_AREA_CHAIN, editable=False)
    sequence = models.BigIntegerField(_("sequence"), editable=False)
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
    # The entry's MAC (mac_version 2) or, for entries written before 0003, its unkeyed hash.
    entry_hash = models.CharField(max_length=64, editable=False)
    mac_version = models.PositiveSmallIntegerField(
        choices=MacVersion.choices, default=MacVersion.KEYED, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence")]
        indexes = [
            models.Index(fields=["case_id", "occurred_at"], name="audit_case_when"),
            models.Index(fields=["area_id", "occurred_at"], name="audit_area_when"),
            models.Index(fields=["user_id", "occurred_at"], name="audit_user_when"),
            models.Index(fields=["occurred_at"], name="audit_when"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        who = self.user_label or "system"
        return f"#{self.chain}.{self.sequence} {who} {self.action} {self.object_type} {self.object_id}"

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
    """A chain's tail, one row per chain: a writer locks its chain's row, so taking the next sequence
    number and the previous MAC is O(1) and serialised across processes, and writers in different
    areas do not wait for each other. The database moves it forward itself when an entry is inserted,
    and refuses to move it back (concord.audit.protection). `audit_verify` compares it with the last
    entry, which is how removing entries from the end, or moving the head back, is noticed."""

    chain = models.BigIntegerField(primary_key=True, editable=False)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.chain}:{self.last_sequence} {self.last_hash[:12]}…"


class AccessLogListing(models.Model):
    """The cases one listing entry showed, one row each, written in the entry's transaction: the
    index by which "who has seen this record" finds a search result or list page that showed her
    case (the entry's own fields name them, "case:<id>", under its MAC), and the basis each was shown
    on. Append-only like the log (decision 10)."""

    entry_id = models.BigIntegerField(editable=False)
    case_id = models.BigIntegerField(editable=False)
    basis = models.CharField(max_length=120, blank=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["case_id", "entry_id"], name="audit_listing_case")]
        default_permissions = ()

    def __str__(self) -> str:
        return f"entry {self.entry_id}: case {self.case_id}"
