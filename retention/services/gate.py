"""The one controlled way through the append-only guards (C-19).

The stappenplan records, observations, weighings and meldingen are refused UPDATE and
DELETE by the database (cases/migrations 0007, 0008, …; decisions/migrations 0003).
retention/migrations/0002_destruction_gate makes their DELETE guards step aside only
while this gate is open, and only inside the transaction that opened it:

- PostgreSQL: the transaction-local setting `meldcode.destruction = 'on'`
  (`set_config(…, true)`, as SET LOCAL), which the guards' WHEN clause checks;
- SQLite (the demo): a row in `retention_destruction_gate`, which the guards check and
  which this gate removes again before the transaction ends.

UPDATE stays refused, and the audit trail and access log keep their guards: a
destruction leaves them whole. Nothing in the product opens the gate except
`retention.services.destruction`.
"""

from contextlib import contextmanager

from django.db import connection, transaction

SQLITE_GATE_TABLE = "retention_destruction_gate"


@contextmanager
def destruction_gate():
    if not connection.in_atomic_block:
        raise RuntimeError("the destruction gate opens only inside a transaction")
    with transaction.atomic():
        # A savepoint: if the work inside fails, rolling back to it also undoes the
        # setting (PostgreSQL) and the gate row (SQLite).
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('meldcode.destruction', 'on', true)")
            else:
                cursor.execute(f"INSERT INTO {SQLITE_GATE_TABLE} (opened) VALUES (1)")
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('meldcode.destruction', 'off', true)")
            else:
                cursor.execute(f"DELETE FROM {SQLITE_GATE_TABLE}")
