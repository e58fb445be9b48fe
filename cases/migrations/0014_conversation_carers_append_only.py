"""Which carers took part in a conversation is part of the conversation record: the
database refuses to change or delete it, as it does for the conversation itself (0008)."""

from django.db import migrations

TABLE = "cases_conversationcarer"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # workflow_record_refuse_change() comes from 0008.
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION workflow_record_refuse_change();")
    elif vendor == "sqlite":
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'stappenplan records are never changed'); END;")


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")
    elif vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op};")


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_pupils_groups_import")]
    operations = [migrations.RunPython(install, remove)]
