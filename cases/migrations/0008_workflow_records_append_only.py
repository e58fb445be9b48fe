"""The database itself keeps the stappenplan's records as they were written.

Conclusions, consultations, conversations, decisions, evaluations, acute reports,
reopenings, departures and phase transitions are never changed or deleted: a correction is
a new record. The meldplicht record is written in two parts, the switch and later the
bestuur's decision on aangifte; the second part can be filled in once, and only that part.
"""

from django.db import migrations

APPEND_ONLY = [
    "cases_acutereport",
    "cases_casereopening",
    "cases_consultation",
    "cases_conversation",
    "cases_conversationexemption",
    "cases_evaluation",
    "cases_phaseconclusion",
    "cases_phasedecision",
    "cases_phasetransition",
    "cases_studentdeparture",
]
MELDPLICHT = "cases_meldplichtrecord"
# The columns of the switch itself, which the bestuur's part never touches.
MELDPLICHT_SWITCH_COLUMNS = ["id", "case_id", "recorded_by_id", "recorded_at", "phase_before",
                             "reason"]

_PG_SWITCH_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}"
                                for c in MELDPLICHT_SWITCH_COLUMNS)

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION workflow_record_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stappenplan records are never changed (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION meldplicht_record_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.aangifte IS NOT NULL OR ({_PG_SWITCH_CHANGED}) THEN
        RAISE EXCEPTION 'stappenplan records are never changed (% on %)', TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION workflow_record_refuse_change();\n"
    for table in APPEND_ONLY
) + (f"CREATE TRIGGER {MELDPLICHT}_append_only BEFORE UPDATE OR DELETE ON {MELDPLICHT} "
     f"FOR EACH ROW EXECUTE FUNCTION meldplicht_record_refuse_change();\n")

PG_REMOVE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n"
    for table in [*APPEND_ONLY, MELDPLICHT]
) + """
DROP FUNCTION IF EXISTS workflow_record_refuse_change();
DROP FUNCTION IF EXISTS meldplicht_record_refuse_change();
"""

_ABORT = "BEGIN SELECT RAISE(ABORT, 'stappenplan records are never changed'); END;"


def _sqlite_triggers():
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            yield f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} {_ABORT}"
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in MELDPLICHT_SWITCH_COLUMNS)
    yield (f"CREATE TRIGGER {MELDPLICHT}_no_update BEFORE UPDATE ON {MELDPLICHT} "
           f"WHEN OLD.aangifte IS NOT NULL OR {changed} {_ABORT}")
    yield f"CREATE TRIGGER {MELDPLICHT}_no_delete BEFORE DELETE ON {MELDPLICHT} {_ABORT}"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)
    elif vendor == "sqlite":
        for statement in _sqlite_triggers():
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)
    elif vendor == "sqlite":
        for table in [*APPEND_ONLY, MELDPLICHT]:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_submitted_observations_immutable")]
    operations = [migrations.RunPython(install, remove)]
