"""The database refuses to rewrite the consent ledger, overrides and grants (concord.consent.protection)."""

from django.db import migrations


def install(apps, schema_editor):
    from concord.consent import protection

    protection.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from concord.consent import protection

    protection.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0001_initial"),
        ("cases", "0003_alter_caseevent_kind"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
