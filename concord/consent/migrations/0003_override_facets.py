"""An override names what it opens (its facets). The ledger's guard is lifted around the new column and
put back with it among the columns an override may never change."""

import concord.consent.models
from django.db import migrations, models


TABLES_0002 = {
    "consent_consentdecision": None,
    "consent_override": ("override", ["case_id", "agency_id", "legal_basis", "reason", "authorised_by_id",
                                      "authorised_for_id", "starts_at"], "expires_at"),
    "consent_protectedinfogrant": ("grant", ["case_id", "agency_id", "reason", "granted_by_id", "granted_at"],
                                   None),
}
TABLES_0003 = dict(TABLES_0002, consent_override=(
    "override", ["case_id", "agency_id", "legal_basis", "reason", "facets", "authorised_by_id", "authorised_for_id",
                 "starts_at"], "expires_at"))


def lift_guard(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection, TABLES_0002)


def put_back_old_guard(apps, schema_editor):
    from concord.consent import protection

    protection.install(schema_editor.connection, TABLES_0002, days=None)


def guard_with_facets(apps, schema_editor):
    from concord.consent import protection

    protection.install(schema_editor.connection, TABLES_0003, days=None)


def lift_new_guard(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection, TABLES_0003)


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0002_guard_the_ledger'),
    ]

    operations = [
        migrations.RunPython(lift_guard, put_back_old_guard),
        migrations.AddField(
            model_name='override',
            name='facets',
            field=models.JSONField(default=concord.consent.models.default_override_facets, verbose_name='what it opens'),
        ),
        migrations.RunPython(guard_with_facets, lift_new_guard),
    ]
