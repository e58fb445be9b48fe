"""TRUNCATE is refused on the stappenplan records added since 0011 too (the abuse
classification, the plan van aanpak, exclusions, departure duties, nazorg offers), with the
function of 0011. SQLite has no TRUNCATE."""

from django.db import migrations

TABLES = [
    "cases_abuseclassification",
    "cases_actionplanitem",
    "cases_caseexclusion",
    "cases_departureduty",
    "cases_nazorgoffer",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION cases_record_refuse_truncate();"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_merged_notification_and_task_kinds")]
    operations = [migrations.RunPython(install, remove)]
