"""The database keeps the weighing, the help plan and the approved melding as written.

Framework versions, weighings, answers, directie's decisions, help plans and results, and
everything recorded about a melding after its draft are never changed or deleted. A melding
and its facts can be edited while it is a draft; from its approval on the database refuses
every change (corrections are addenda). TRUNCATE (test flushes) fires no row triggers.
The backwards order matters: the framework rows are loaded (0002) before these triggers.
"""

from django.db import migrations

APPEND_ONLY = [
    "decisions_framework", "decisions_question", "decisions_option", "decisions_definition",
    "decisions_weighing", "decisions_answer", "decisions_weighingdecision",
    "decisions_observationperiod", "decisions_helpplan", "decisions_helptask",
    "decisions_helpresult", "decisions_reportconversation", "decisions_reportexemption",
    "decisions_reportsending", "decisions_vtfeedback", "decisions_reportaddendum",
]
REPORT = "decisions_report"
FACT = "decisions_reportfact"
_APPROVED = "EXISTS (SELECT 1 FROM decisions_report WHERE id = {row}.report_id " \
            "AND approved_at IS NOT NULL)"

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION decisions_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'weighing and melding records are never changed (% on %)',
        TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION decisions_report_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.approved_at IS NOT NULL THEN
        RAISE EXCEPTION 'an approved melding is never changed (% on %)', TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION decisions_report_fact_refuse_change() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND {_APPROVED.format(row="OLD")})
       OR (TG_OP <> 'DELETE' AND {_APPROVED.format(row="NEW")}) THEN
        RAISE EXCEPTION 'an approved melding is never changed (% on %)', TG_OP, TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION decisions_refuse_change();\n"
    for table in APPEND_ONLY
) + (f"CREATE TRIGGER {REPORT}_frozen BEFORE UPDATE OR DELETE ON {REPORT} "
     f"FOR EACH ROW EXECUTE FUNCTION decisions_report_refuse_change();\n"
     f"CREATE TRIGGER {FACT}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {FACT} "
     f"FOR EACH ROW EXECUTE FUNCTION decisions_report_fact_refuse_change();\n")

PG_REMOVE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in APPEND_ONLY
) + f"""
DROP TRIGGER IF EXISTS {REPORT}_frozen ON {REPORT};
DROP TRIGGER IF EXISTS {FACT}_frozen ON {FACT};
DROP FUNCTION IF EXISTS decisions_refuse_change();
DROP FUNCTION IF EXISTS decisions_report_refuse_change();
DROP FUNCTION IF EXISTS decisions_report_fact_refuse_change();
"""

_ABORT = "BEGIN SELECT RAISE(ABORT, 'weighing and melding records are never changed'); END;"


def _sqlite_triggers():
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            yield f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} {_ABORT}"
    yield (f"CREATE TRIGGER {REPORT}_no_update BEFORE UPDATE ON {REPORT} "
           f"WHEN OLD.approved_at IS NOT NULL {_ABORT}")
    yield f"CREATE TRIGGER {REPORT}_no_delete BEFORE DELETE ON {REPORT} {_ABORT}"
    yield (f"CREATE TRIGGER {FACT}_no_insert BEFORE INSERT ON {FACT} "
           f"WHEN {_APPROVED.format(row='NEW')} {_ABORT}")
    yield (f"CREATE TRIGGER {FACT}_no_update BEFORE UPDATE ON {FACT} "
           f"WHEN {_APPROVED.format(row='OLD')} OR {_APPROVED.format(row='NEW')} {_ABORT}")
    yield (f"CREATE TRIGGER {FACT}_no_delete BEFORE DELETE ON {FACT} "
           f"WHEN {_APPROVED.format(row='OLD')} {_ABORT}")


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
        for table in [*APPEND_ONLY, REPORT, FACT]:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_afwegingskader_onderwijs_2019")]
    operations = [migrations.RunPython(install, remove)]
