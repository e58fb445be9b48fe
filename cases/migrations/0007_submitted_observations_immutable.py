"""The database itself refuses to change a submitted observation, its parts or follow-ups.

The models and services refuse this too; the triggers also cover bulk writes (`update()`,
`bulk_create`), raw SQL and the shell, so the dossier can stand before an inspector or a
court. TRUNCATE (used when a test database is flushed) fires no row triggers.
"""

from django.db import migrations

SUBMITTED = "ingediend"
PARTS = ["cases_statement", "cases_injurymark", "cases_attachment", "cases_observation_signals"]

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION observation_refuse_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = '{SUBMITTED}' THEN
        RAISE EXCEPTION 'a submitted observation is never changed (% on %)', TG_OP, TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION observation_part_refuse_change() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM cases_observation
                                      WHERE id = OLD.observation_id AND status = '{SUBMITTED}'))
       OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM cases_observation
                                         WHERE id = NEW.observation_id AND status = '{SUBMITTED}'))
    THEN
        RAISE EXCEPTION 'a submitted observation is never changed (% on %)', TG_OP, TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION observation_follow_up_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'follow-up notes are never changed (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_observation_immutable BEFORE UPDATE OR DELETE ON cases_observation
    FOR EACH ROW EXECUTE FUNCTION observation_refuse_change();
CREATE TRIGGER cases_observationfollowup_immutable BEFORE UPDATE OR DELETE
    ON cases_observationfollowup FOR EACH ROW EXECUTE FUNCTION observation_follow_up_refuse_change();
""" + "".join(
    f"CREATE TRIGGER {table}_immutable BEFORE INSERT OR UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION observation_part_refuse_change();\n"
    for table in PARTS
)

PG_REMOVE = """
DROP TRIGGER IF EXISTS cases_observation_immutable ON cases_observation;
DROP TRIGGER IF EXISTS cases_observationfollowup_immutable ON cases_observationfollowup;
""" + "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};\n" for table in PARTS) + """
DROP FUNCTION IF EXISTS observation_refuse_change();
DROP FUNCTION IF EXISTS observation_part_refuse_change();
DROP FUNCTION IF EXISTS observation_follow_up_refuse_change();
"""

_ABORT = "BEGIN SELECT RAISE(ABORT, 'a submitted observation is never changed'); END;"
_PARENT_SUBMITTED = ("EXISTS (SELECT 1 FROM cases_observation "
                     f"WHERE id = {{row}}.observation_id AND status = '{SUBMITTED}')")


def _sqlite_triggers():
    yield (f"CREATE TRIGGER cases_observation_no_update BEFORE UPDATE ON cases_observation "
           f"WHEN OLD.status = '{SUBMITTED}' {_ABORT}")
    yield (f"CREATE TRIGGER cases_observation_no_delete BEFORE DELETE ON cases_observation "
           f"WHEN OLD.status = '{SUBMITTED}' {_ABORT}")
    for op in ("UPDATE", "DELETE"):
        yield (f"CREATE TRIGGER cases_observationfollowup_no_{op.lower()} BEFORE {op} "
               f"ON cases_observationfollowup BEGIN SELECT RAISE(ABORT, "
               f"'follow-up notes are never changed'); END;")
    for table in PARTS:
        old, new = _PARENT_SUBMITTED.format(row="OLD"), _PARENT_SUBMITTED.format(row="NEW")
        yield f"CREATE TRIGGER {table}_no_insert BEFORE INSERT ON {table} WHEN {new} {_ABORT}"
        yield (f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
               f"WHEN {old} OR {new} {_ABORT}")
        yield f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {old} {_ABORT}"


def _sqlite_trigger_names():
    yield from ("cases_observation_no_update", "cases_observation_no_delete",
                "cases_observationfollowup_no_update", "cases_observationfollowup_no_delete")
    for table in PARTS:
        for op in ("insert", "update", "delete"):
            yield f"{table}_no_{op}"


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
        for name in _sqlite_trigger_names():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_observation_step1")]
    operations = [migrations.RunPython(install, remove)]
