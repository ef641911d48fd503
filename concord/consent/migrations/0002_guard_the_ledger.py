"""The database refuses to rewrite the consent ledger, overrides and grants (concord.consent.protection)."""

from django.db import migrations


# The guarded columns as they were at this migration (0003 adds an override's facets).
TABLES = {
    "consent_consentdecision": None,
    "consent_override": ("override", ["case_id", "agency_id", "legal_basis", "reason", "authorised_by_id",
                                      "authorised_for_id", "starts_at"], "expires_at"),
    "consent_protectedinfogrant": ("grant", ["case_id", "agency_id", "reason", "granted_by_id", "granted_at"],
                                   None),
}


def install(apps, schema_editor):
    from concord.consent import protection

    protection.install(schema_editor.connection, TABLES, days=None)  # deletion refused while the case is open


def uninstall(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection, TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0001_initial"),
        ("cases", "0003_alter_caseevent_kind"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
