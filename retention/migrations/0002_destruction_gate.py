"""One controlled way through the append-only guards for destruction (C-19, 3.8).

Every guard that refuses DELETE on a dossier table (cases_*, decisions_* except the
afwegingskader's own text) steps aside while the destruction gate is open
(retention/services/gate.py), and only then; UPDATE stays refused, and the audit trail
and access log keep their guards untouched.

- PostgreSQL: each such trigger is split into its UPDATE/INSERT part, unchanged, and a
  DELETE part `<name>_del` with `WHEN (NOT retention_destruction_open())`: the
  transaction-local setting `meldcode.destruction` = 'on'.
- SQLite: each `<table>_no_delete` trigger gets the condition that
  `retention_destruction_gate` is empty; the gate writes a row there inside its
  transaction and removes it again.

Found from the database rather than listed, so every guard that exists at this point is
covered. A later migration that adds a DELETE guard to a dossier table must add the same
condition (tests/test_retention_destruction.py shows a missing one: the destruction
fails).
"""

from django.db import migrations

# The afwegingskader (its versions, questions, options, definitions) is not a dossier.
KEPT = ("decisions_framework", "decisions_question", "decisions_option",
        "decisions_definition")
DOSSIER = "(c.relname LIKE 'cases\\_%%' OR c.relname LIKE 'decisions\\_%%')"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION retention_destruction_open() RETURNS boolean AS $$
    SELECT coalesce(current_setting('meldcode.destruction', true), '') = 'on'
$$ LANGUAGE sql STABLE;
"""


def _pg_guards(cursor, suffix_filter):
    cursor.execute(f"""
        SELECT c.relname, t.tgname, p.proname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE NOT t.tgisinternal AND {DOSSIER} AND NOT (c.relname = ANY(%s))
          AND {suffix_filter}
        ORDER BY c.relname, t.tgname""", [list(KEPT)])
    return cursor.fetchall()


def _without_delete(definition: str) -> str | None:
    head, _on, tail = definition.partition(" ON ")
    events = [e.strip() for e in head.split("BEFORE", 1)[1].split(" OR ")]
    rest = [e for e in events if e != "DELETE"]
    if not rest:
        return None
    return head.split("BEFORE", 1)[0] + "BEFORE " + " OR ".join(rest) + " ON " + tail


def pg_install(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PG_FUNCTION)
        guards = _pg_guards(cursor, "pg_get_triggerdef(t.oid) LIKE '%%DELETE%%' "
                                    "AND t.tgname NOT LIKE '%%\\_del'")
        for table, name, function, definition in guards:
            if "TRUNCATE" in definition:
                continue
            cursor.execute(f'DROP TRIGGER "{name}" ON "{table}"')
            rest = _without_delete(definition)
            if rest:
                cursor.execute(rest)
            cursor.execute(
                f'CREATE TRIGGER "{name}_del" BEFORE DELETE ON "{table}" FOR EACH ROW '
                f"WHEN (NOT retention_destruction_open()) EXECUTE FUNCTION {function}()")


def pg_remove(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table, name, function, _definition in _pg_guards(
                cursor, "t.tgname LIKE '%%\\_del'"):
            base = name[: -len("_del")]
            cursor.execute(f'DROP TRIGGER "{name}" ON "{table}"')
            cursor.execute("SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
                           "JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE c.relname = %s AND t.tgname = %s", [table, base])
            row = cursor.fetchone()
            if row:
                cursor.execute(f'DROP TRIGGER "{base}" ON "{table}"')
                cursor.execute(row[0].replace(" BEFORE ", " BEFORE DELETE OR ", 1))
            else:
                cursor.execute(f'CREATE TRIGGER "{base}" BEFORE DELETE ON "{table}" '
                               f"FOR EACH ROW EXECUTE FUNCTION {function}()")
        cursor.execute("DROP FUNCTION IF EXISTS retention_destruction_open()")


GATE = "retention_destruction_gate"
GATED = f"NOT EXISTS (SELECT 1 FROM {GATE})"


def _sqlite_guards(cursor):
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                   "AND sql LIKE '%BEFORE DELETE ON%' "
                   "AND (tbl_name LIKE 'cases\\_%' ESCAPE '\\' "
                   "     OR tbl_name LIKE 'decisions\\_%' ESCAPE '\\') ORDER BY name")
    return [(name, sql) for name, sql in cursor.fetchall()
            if not any(f" ON {table} " in sql for table in KEPT)]


def sqlite_install(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {GATE} (opened integer NOT NULL)")
        for name, sql in _sqlite_guards(cursor):
            if GATED in sql:
                continue
            head, begin, body = sql.partition(" BEGIN ")
            if " WHEN " in head:
                on, _when, condition = head.partition(" WHEN ")
                head = f"{on} WHEN {GATED} AND ({condition})"
            else:
                head = f"{head} WHEN {GATED}"
            cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(head + begin + body)


def sqlite_remove(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, sql in _sqlite_guards(cursor):
            if GATED not in sql:
                continue
            restored = sql.replace(f" WHEN {GATED} AND (", " WHEN (").replace(
                f" WHEN {GATED}", "")
            cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(restored)
        cursor.execute(f"DROP TABLE IF EXISTS {GATE}")


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        pg_install(schema_editor)
    elif vendor == "sqlite":
        sqlite_install(schema_editor)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        pg_remove(schema_editor)
    elif vendor == "sqlite":
        sqlite_remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_retention_policy_and_destruction_list"),
        ("cases", "0026_restore_sqlite_guards"),
        ("decisions", "0003_records_append_only"),
    ]
    operations = [migrations.RunPython(install, remove)]
