"""Chain the audit events and access-log entries written before the chains existed.

Records are linked in the order they were written (time, then id), per board; the
append-only triggers are lifted for this one backfill and restored in the same
transaction."""

from django.db import migrations

from audit.services.chain import FIELDS, GENESIS, canonical, link_hash

TABLES = {"audit": "audit_auditevent", "access": "audit_accesslog"}


def _lift(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    elif schema_editor.connection.vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


def _restore(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    elif schema_editor.connection.vendor == "sqlite":
        # Also after 0004: SQLite adds columns by rebuilding the table, which drops the
        # triggers of migration 0003 with the old table.
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;")


def chain_existing(apps, schema_editor):
    School = apps.get_model("meldcode", "School")
    ChainHead = apps.get_model("audit", "ChainHead")
    Board = apps.get_model("meldcode", "Board")
    board_of = dict(School.objects.values_list("pk", "board_id"))
    for log, model_name in (("audit", "AuditEvent"), ("access", "AccessLog")):
        model = apps.get_model("audit", model_name)
        table = TABLES[log]
        _lift(schema_editor, table)
        state = {}
        batch = []
        for record in model.objects.order_by("occurred_at", "id").iterator(chunk_size=2000):
            if log == "access" and "print" in record.what:
                record.kind = "print"
            record.board_id = board_of.get(record.school_id)
            sequence, previous = state.get(record.board_id, (0, GENESIS))
            record.sequence = sequence + 1
            record.hash = link_hash(previous, record.sequence, canonical(
                log, [getattr(record, name) for name in FIELDS[log]]))
            state[record.board_id] = (record.sequence, record.hash)
            batch.append(record)
            if len(batch) >= 1000:
                model.objects.bulk_update(batch, ["board", "sequence", "hash", *(
                    ["kind"] if log == "access" else [])])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["board", "sequence", "hash", *(
                ["kind"] if log == "access" else [])])
        _restore(schema_editor, table)
        for board_id in [None, *Board.objects.values_list("pk", flat=True)]:
            sequence, last = state.get(board_id, (0, GENESIS))
            ChainHead.objects.update_or_create(log=log, board_id=board_id, defaults={
                "sequence": sequence, "hash": last})


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_hash_chain")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
