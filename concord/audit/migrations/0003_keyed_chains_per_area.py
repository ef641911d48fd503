"""Keyed chains, one per area, that the database checks (issue 13, §5 and §9; docs/audit.md).

- Entries get a chain (the area's id, or 0 for entries without an area) and a MAC scheme. Every
  entry written before this migration keeps its unkeyed hash (mac_version 1) and stays where it was:
  the old single chain becomes chain 0, its sequence numbers unchanged, so old entries still verify
  and a head printed before this migration is still an anchor of chain 0.
- The head table holds one row per chain; the old single row becomes chain 0's.
- The listing side table (decision 10).
- The database's own checks of the chain (concord.audit.protection): on SQLite the table rebuilds
  above dropped the append-only triggers, which are put back with them.
"""

from django.db import migrations, models

GENESIS_HASH = "0" * 64


def old_head_to_chain_zero(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditchainhead SET chain = 0 WHERE chain = 1")
        cursor.execute("SELECT count(*) FROM audit_auditchainhead WHERE chain = 0")
        if cursor.fetchone()[0] == 0:
            # Entries without a head (a flushed head, say): the head follows the log's own tail.
            cursor.execute("SELECT sequence, entry_hash FROM audit_accesslogentry ORDER BY sequence DESC LIMIT 1")
            tail = cursor.fetchone()
            if tail is not None:
                cursor.execute("INSERT INTO audit_auditchainhead (chain, last_sequence, last_hash) VALUES (0, %s, %s)",
                               tail)


def chain_zero_to_old_head(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accesslogentry WHERE chain <> 0 OR mac_version <> 1")
        if cursor.fetchone()[0]:
            raise RuntimeError("Keyed or per-area entries exist: the old single chain cannot hold them.")
        cursor.execute("DELETE FROM audit_auditchainhead WHERE chain <> 0")
        cursor.execute("UPDATE audit_auditchainhead SET chain = 1 WHERE chain = 0")


def install(apps, schema_editor):
    from concord.audit import protection

    protection.install(schema_editor.connection, chain=True)


def uninstall(apps, schema_editor):
    from concord.audit import protection

    protection.uninstall_chain(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_protect_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry", name="chain",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="chain"),
        ),
        # Existing entries: the unkeyed scheme. New ones are keyed (the model's default, and the
        # only scheme the database accepts from now on).
        migrations.AddField(
            model_name="accesslogentry", name="mac_version",
            field=models.PositiveSmallIntegerField(choices=[(1, "sha256"), (2, "hmac-sha256")], default=1,
                                                   editable=False),
        ),
        migrations.AlterField(
            model_name="accesslogentry", name="mac_version",
            field=models.PositiveSmallIntegerField(choices=[(1, "sha256"), (2, "hmac-sha256")], default=2,
                                                   editable=False),
        ),
        migrations.AlterField(
            model_name="accesslogentry", name="sequence",
            field=models.BigIntegerField(editable=False, verbose_name="sequence"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=("chain", "sequence"), name="audit_chain_sequence"),
        ),
        migrations.RemoveConstraint(model_name="auditchainhead", name="audit_chain_head_single_row"),
        migrations.AlterField(
            model_name="auditchainhead", name="id",
            field=models.BigIntegerField(editable=False, primary_key=True, serialize=False),
        ),
        migrations.RenameField(model_name="auditchainhead", old_name="id", new_name="chain"),
        migrations.RunPython(old_head_to_chain_zero, chain_zero_to_old_head, elidable=False),
        migrations.CreateModel(
            name="AccessLogListing",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField(editable=False)),
                ("case_id", models.BigIntegerField(editable=False)),
                ("basis", models.CharField(blank=True, editable=False, max_length=120)),
            ],
            options={
                "default_permissions": (),
                "indexes": [models.Index(fields=["case_id", "entry_id"], name="audit_listing_case")],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
