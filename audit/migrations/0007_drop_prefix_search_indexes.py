"""Drop the prefix-search copies (varchar_pattern_ops, "..._like") PostgreSQL got of the
indexed text columns of the audit table.

Django adds such a copy to every indexed CharField for LIKE 'abc%' lookups. Nothing
searches the trail by a prefix of `action` or `subject_id` (lookups are exact), so the
copies were never used and only made every audited write maintain two more indexes. The
model state is unchanged: Django does not track these copies; the plain indexes stay.
"""

from django.db import migrations

TABLE = "audit_auditevent"
COLUMNS = ("action", "subject_id")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # only PostgreSQL gets the copies
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s "
            "AND indexdef LIKE %s", [TABLE, "%\\_like", "%pattern_ops%"])
        for (name,) in cursor.fetchall():
            if any(f"_{column}_" in name for column in COLUMNS):
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f'CREATE INDEX IF NOT EXISTS "{TABLE}_{column}_like" '
                           f'ON {TABLE} ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):

    dependencies = [("audit", "0006_chain_existing_records")]

    operations = [migrations.RunPython(drop, restore)]
