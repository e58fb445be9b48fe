"""The database part of a backup: dump, restore, row counts, and "is it empty?".

PostgreSQL goes through Debian's `pg_dump`/`pg_restore` (package postgresql-client, of at
least the server's major version); the demo's SQLite file through SQLite's own online
backup. Row counts are taken in the same snapshot as the dump, so a backup made while
people work still matches its manifest exactly.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _

from meldcode.backup.errors import BackupError

POSTGRES_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"


def vendor(using: str) -> str:
    name = connections[using].vendor
    if name not in ("postgresql", "sqlite"):
        raise BackupError(_("Back-ups kunnen alleen van PostgreSQL of SQLite, niet van %s.")
                          % name)
    return name


def dump_name(using: str) -> str:
    return POSTGRES_DUMP if vendor(using) == "postgresql" else SQLITE_FILE


def table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(connection) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in table_names(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def audit_tables(connection) -> dict[str, dict]:
    """Count and highest id of the append-only audit tables."""
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table in table_names(connection):
            if table.startswith("audit_"):
                cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {quote(table)}")
                count, max_id = cursor.fetchone()
                result[table] = {"count": count, "max_id": max_id}
    return result


def is_empty(using: str) -> bool:
    connection = connections[using]
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
    return not table_names(connection)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(_("%s niet gevonden: installeer het Debian-pakket "
                            "postgresql-client.") % name)
    return found


def _postgres_command(using: str, tool: str, parameters: list[str]) -> tuple[list, dict]:
    connection = connections[using]
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict,
                                                           parameters)
    return [_tool(tool), *args[1:]], {**os.environ, **(env or {})}


def _run(args, env) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(_("%(tool)s is mislukt: %(error)s") % {
            "tool": Path(args[0]).name, "error": result.stderr.strip()})


@contextmanager
def snapshot(using: str):
    """One read-only transaction for the dump and the counts (PostgreSQL); yields the
    snapshot id, or None for SQLite, whose online backup is consistent by itself."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield None
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]


def dump(using: str, target: Path, snapshot_id: str | None) -> dict[str, int]:
    """Write the database to `target` and return its row counts (of the same moment)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        args, env = _postgres_command(using, "pg_dump", [
            "--format=custom", f"--file={target}", f"--snapshot={snapshot_id}"])
        _run(args, env)
        return row_counts(connection)
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return _sqlite_counts(target)


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in sorted(tables)}
    finally:
        db.close()


def restore(using: str, source: Path) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        # --single-transaction: a failed restore leaves the database as empty as it was.
        # Owners and grants are those of the role that restores (the owner role).
        args, env = _postgres_command(using, "pg_restore", [
            "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
            "--dbname"])  # settings_to_cmd_args_env appends the database name here
        _run([*args, str(source)], env)
        return
    connection.close()
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, partial)
    partial.replace(target)
