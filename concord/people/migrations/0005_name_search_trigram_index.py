"""On PostgreSQL, trigram indexes on the searchable names, so a name search (`name_key LIKE '%word%'`)
uses an index instead of reading every person of the area. SQLite has none and needs none at its size."""

from django.db import migrations

INDEXES = {
    "people_person_name_key_trgm": "people_person",
    "people_personalias_name_key_trgm": "people_personalias",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (name_key gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_interpreter_needed_prefer_not_to_say"),
    ]

    operations = [migrations.RunPython(create, drop)]
