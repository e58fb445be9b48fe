"""SQLite (the demo database) rebuilds a table to add a column, and a rebuild drops the
table's triggers; 0017 also lifted the observation guards of 0007 for its rebuild. This puts
every guard of 0007 and 0008 back in place (the meldplicht record keeps the update guard
0021 wrote, which knows its newer columns). PostgreSQL alters tables in place and keeps its
triggers: nothing to do there."""

import importlib

from django.db import migrations

OBSERVATIONS = "cases.migrations.0007_submitted_observations_immutable"
RECORDS = "cases.migrations.0008_workflow_records_append_only"


def _statements():
    observations = importlib.import_module(OBSERVATIONS)
    records = importlib.import_module(RECORDS)
    yield from observations._sqlite_triggers()
    for statement in records._sqlite_triggers():
        if f"{records.MELDPLICHT}_no_update" not in statement:
            yield statement


def _name(statement: str) -> str:
    return statement.split()[2]


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _statements():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(statement)};")
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0025_refuse_truncate_stappenplan_records")]
    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
