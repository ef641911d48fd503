"""Two writers starting an area's chain at once: the loser is refused by the head's primary key (and
waits for the winner's head), never by the forward-only check, which had looked for the head before
reading the tail and so could see the winner's entry but not its head (PostgreSQL only; SQLite
writers are serialised)."""

from django.db import migrations


def replace_chain_functions(apps, schema_editor):
    from concord.audit import protection

    if schema_editor.connection.vendor == "postgresql":
        protection.install(schema_editor.connection, chain=True)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_keyed_chains_per_area"),
    ]

    operations = [
        migrations.RunPython(replace_chain_functions, migrations.RunPython.noop),
    ]
