"""The ledger is deleted only past retention: closing a case no longer lets its refusals be deleted
(close, delete, reopen would bring sharing back with no trace). A DELETE of a consent decision, an
override or a grant is refused unless its case was closed longer ago than the retention period of
closed cases, as configured now (concord.audit.retention; a later change of CONCORD_RETENTION does
not move it, so retention can only be stricter than this guard)."""

from django.db import migrations

TABLES_0003 = {
    "consent_consentdecision": None,
    "consent_override": ("override", ["case_id", "agency_id", "legal_basis", "reason", "facets", "authorised_by_id",
                                      "authorised_for_id", "starts_at"], "expires_at"),
    "consent_protectedinfogrant": ("grant", ["case_id", "agency_id", "reason", "granted_by_id", "granted_at"],
                                   None),
}


def past_retention_only(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection, TABLES_0003)
    protection.install(schema_editor.connection, TABLES_0003, days=protection.current_retention_days())


def while_open_only(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection, TABLES_0003)
    protection.install(schema_editor.connection, TABLES_0003, days=None)


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0003_override_facets"),
    ]

    operations = [
        migrations.RunPython(past_retention_only, while_open_only, elidable=False),
    ]
