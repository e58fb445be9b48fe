"""Bulk writing for the benchmark board: COPY into PostgreSQL, chained audit rows.

`copy_rows` fills every NOT NULL column from the model's defaults so that a caller names
only the columns that matter. The audit and access-log rows are chained exactly as
`audit.services.chain` chains them (the same canonical content and link hash), so
`verify_audit` passes on a generated board.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import connection
from django.db.models import NOT_PROVIDED

from audit.models.records import ChainHead
from audit.services.chain import FIELDS, MODELS, canonical, link_hash


def _columns(model):
    # An auto-increment key is left to the database's sequence.
    return [f for f in model._meta.concrete_fields
            if f.get_internal_type() not in ("AutoField", "BigAutoField")]


def copy_rows(model, rows: Iterable[dict]) -> int:
    """COPY dict rows into the model's table; missing fields take the model's default."""
    fields = _columns(model)
    static, dynamic = {}, {}
    for field in fields:
        if field.default is NOT_PROVIDED:
            static[field.attname] = None if field.null else ("" if field.empty_strings_allowed
                                                             else None)
        elif callable(field.default):
            dynamic[field.attname] = field.default
        else:
            static[field.attname] = field.default
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    names = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = []
            for field in fields:
                name = field.attname
                if name in row:
                    value = row[name]
                elif name in dynamic:
                    value = dynamic[name]()
                else:
                    value = static[name]
                if name in json_fields:
                    value = _json(value)
                values.append(value)
            copy.write_row(values)
            count += 1
    return count


def _json(value):
    return json.dumps(value)


def chained_copy(log: str, board_id, rows: Iterable[dict]) -> int:
    """COPY records of one chain (`audit` or `access`) of a board, linked onto its head."""
    model = MODELS[log]
    head = ChainHead.objects.get(log=log, board_id=board_id)
    sequence, previous = head.sequence, head.hash
    names = FIELDS[log]

    def linked():
        nonlocal sequence, previous
        for row in rows:
            sequence += 1
            previous = link_hash(previous, sequence,
                                 canonical(log, [row.get(name) for name in names]))
            yield {**row, "board_id": board_id, "sequence": sequence, "hash": previous}

    count = copy_rows(model, linked())
    ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=previous)
    return count


def spread(start, end, rng: random.Random):
    """A random moment between two datetimes."""
    return start + timedelta(seconds=rng.random() * (end - start).total_seconds())


def new_id() -> uuid.UUID:
    return uuid.uuid4()
