"""The database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of the access log.

RunPython rather than RunSQL: the SQL differs per database, and an unknown database gets none.
"""

from django.db import migrations


def install(apps, schema_editor):
    from concord.audit import protection

    protection.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from concord.audit import protection

    protection.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
