"""The database refuses TRUNCATE on every append-only dossier table.

The row triggers of 0007 (observations, their parts and follow-ups) and 0008 (the
stappenplan records) do not fire on TRUNCATE; a statement-level BEFORE TRUNCATE trigger
does, also when the table is reached by a TRUNCATE ... CASCADE from the case table. SQLite
has no TRUNCATE (its `DELETE FROM` without WHERE fires the row triggers), so there is
nothing to add there.
"""

from django.db import migrations

TABLES = [
    # 0007: submitted observations, their parts and follow-ups
    "cases_observation",
    "cases_observationfollowup",
    "cases_statement",
    "cases_injurymark",
    "cases_attachment",
    "cases_observation_signals",
    # 0008: the stappenplan records
    "cases_acutereport",
    "cases_casereopening",
    "cases_consultation",
    "cases_conversation",
    "cases_conversationexemption",
    "cases_evaluation",
    "cases_meldplichtrecord",
    "cases_phaseconclusion",
    "cases_phasedecision",
    "cases_phasetransition",
    "cases_studentdeparture",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_record_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier records are append-only and never truncated (% on %)',
        TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PG_FUNCTION, params=None)
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
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_record_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_check_stored_date_ranges")]
    operations = [migrations.RunPython(install, remove)]
