"""The database refuses TRUNCATE on the audit tables too.

TRUNCATE fires no row triggers, so the UPDATE/DELETE triggers of 0003 did not stop it; a
statement-level BEFORE TRUNCATE trigger does (also for a TRUNCATE ... CASCADE from another
table). SQLite has no TRUNCATE (its `DELETE FROM` without WHERE fires the row triggers), so
there is nothing to add there.
"""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_accesslog"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only and never truncated (% on %)',
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
            f"FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]
    operations = [migrations.RunPython(install, remove)]
