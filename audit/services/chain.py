"""The hash chains behind `audit()` and `access_log()`.

Every board has one chain of audit events and one of access-log entries; records without
a board (a failed login of an unknown user, a beheer action outside any board) form the
global chain. Each record gets the next sequence number of its chain and
SHA-256(previous hash + sequence + canonical content).

Concurrency: the chain's head row (ChainHead) is advanced by an UPDATE, which locks it until
the writer's transaction ends (a row lock, as `SELECT ... FOR UPDATE` takes). A second
writer of the same chain waits, then re-reads the committed head, so no two records ever
link to the same predecessor, and a rolled-back change takes its event with it. A row lock
rather than an advisory lock: it needs no separate read of the last record (the head row
holds it), it is visible in the schema, the head doubles as what `export_audit_head`
publishes, and the same code runs on SQLite (where writes are serialised anyway).

On PostgreSQL the head update and the insert are one statement (a data-modifying CTE that
computes the hash in SQL), so an audited request costs no extra round trip or read.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, models, transaction
from django.db.models import Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from audit.models import records
from audit.models.records import AccessLog, AuditEvent, ChainedRecord, ChainHead
from meldcode.models import Board, School

GENESIS = "0" * 64

# The fields each kind of record is hashed over, in order (never reorder: old hashes
# depend on it). The board is not among them: it is the chain itself.
FIELDS = {
    "audit": ("occurred_at", "action", "actor_id", "actor_role", "school_id", "subject_type",
              "subject_id", "case_id", "ip_address", "data"),
    "access": ("occurred_at", "user_id", "role", "kind", "what", "case_id", "student_id",
               "school_id", "ip_address", "outcome"),
}
MODELS = {"audit": AuditEvent, "access": AccessLog}
_UUID_FIELDS = {"school_id", "case_id", "student_id"}


def _normal(name: str, value):
    """One field value as it hashes, whether it comes from Python or from the database."""
    if value is None or value == "" and name in _UUID_FIELDS:
        return None
    if name == "occurred_at":
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name in _UUID_FIELDS:
        return str(uuid.UUID(str(value)))
    if name == "ip_address":
        return ipaddress.ip_address(str(value)).exploded
    if name == "data":
        # Through JSON once, as the database stores it: tuples become lists, keys strings.
        return json.loads(value) if isinstance(value, str) else json.loads(json.dumps(value))
    return value


def canonical(log: str, values) -> str:
    """The canonical content of a record: its hashed fields as compact, sorted JSON."""
    return json.dumps([_normal(name, value) for name, value in zip(FIELDS[log], values,
                                                                   strict=True)],
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def link_hash(previous: str, sequence: int, content: str) -> str:
    return hashlib.sha256(f"{previous}{sequence}|{content}".encode("ascii")).hexdigest()


def content_of(record: ChainedRecord) -> str:
    return canonical(record.CHAIN, [getattr(record, name) for name in FIELDS[record.CHAIN]])


# --- Writing ---------------------------------------------------------------------------


def append(record: ChainedRecord) -> None:
    """Insert `record` as the next link of its board's chain (the caller's transaction)."""
    content = content_of(record)
    if connection.vendor == "postgresql":
        if not _append_postgresql(record, content):
            _ensure_head(record)
            if not _append_postgresql(record, content):
                raise RuntimeError("audit chain head could not be advanced")
    else:
        _append_portable(record, content)
    record._state.adding = False
    record._state.db = connection.alias


records.use_appender(append)


def _head_condition(record) -> tuple[str, list]:
    if record.board_id is not None:
        return "board_id = %s", [record.board_id]
    if getattr(record, "school_id", None) is not None:
        return (f"board_id = (SELECT board_id FROM {School._meta.db_table} WHERE id = %s)",
                [record.school_id])
    return "board_id IS NULL", []


def _append_postgresql(record, content: str) -> bool:
    model = type(record)
    fields = [f for f in model._meta.concrete_fields
              if f.attname not in ("id", "board_id", "sequence", "hash")]
    values = [f.get_db_prep_save(getattr(record, f.attname), connection) for f in fields]
    placeholders = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
    condition, condition_params = _head_condition(record)
    sql = f"""
        WITH head AS (
            UPDATE {ChainHead._meta.db_table}
               SET sequence = sequence + 1,
                   hash = encode(sha256(convert_to(
                       hash || (sequence + 1)::text || '|' || %s, 'UTF8')), 'hex'),
                   updated_at = %s
             WHERE log = %s AND {condition}
         RETURNING board_id, sequence, hash)
        INSERT INTO {model._meta.db_table}
               ({", ".join(f.column for f in fields)}, board_id, sequence, hash)
        SELECT {placeholders}, head.board_id, head.sequence, head.hash FROM head
        RETURNING id, board_id, sequence, hash
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [content, timezone.now(), model.CHAIN, *condition_params, *values])
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk, record.board_id, record.sequence, record.hash = row
    return True


def _board_of(record):
    if record.board_id is not None or getattr(record, "school_id", None) is None:
        return record.board_id
    return School.objects.filter(pk=record.school_id).values_list("board_id", flat=True).first()


def _ensure_head(record) -> ChainHead:
    """The chain's head row, created on the chain's first record."""
    head, _ = ChainHead.objects.get_or_create(log=record.CHAIN, board_id=_board_of(record))
    return head


@receiver(post_save, sender=Board)
def _open_chains(sender, instance, created, **kwargs):
    """A new board starts its chains at once, so its first records take the one-statement
    path like every later one."""
    if created:
        ChainHead.objects.bulk_create([ChainHead(log=log, board=instance) for log in MODELS],
                                      ignore_conflicts=True)


def _append_portable(record, content: str) -> None:
    with transaction.atomic():
        heads = ChainHead.objects.select_for_update().filter(log=record.CHAIN)
        if record.board_id is not None:
            heads = heads.filter(board_id=record.board_id)
        elif getattr(record, "school_id", None) is not None:
            heads = heads.filter(board_id=Subquery(
                School.objects.filter(pk=record.school_id).values("board_id")))
        else:
            heads = heads.filter(board__isnull=True)
        head = heads.first() or _ensure_head(record)
        record.board_id = head.board_id
        record.sequence = head.sequence + 1
        record.hash = link_hash(head.hash, record.sequence, content)
        models.Model.save(record, force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(sequence=record.sequence,
                                                     hash=record.hash,
                                                     updated_at=timezone.now())


def bulk_append(items: list[ChainedRecord], batch_size: int = 5000) -> list[ChainedRecord]:
    """Chain and insert many records of one kind at once (imports, benchmarks, datasets)."""
    if not items:
        return items
    model = type(items[0])
    school_ids = {r.school_id for r in items if r.board_id is None and r.school_id}
    boards = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "board_id"))
    for item in items:
        if item.board_id is None and item.school_id:
            item.board_id = boards[item.school_id]
    with transaction.atomic():
        heads = {}
        for board_id in {item.board_id for item in items}:
            ChainHead.objects.get_or_create(log=model.CHAIN, board_id=board_id)
            heads[board_id] = ChainHead.objects.select_for_update().get(log=model.CHAIN,
                                                                       board_id=board_id)
        state = {key: (head.sequence, head.hash) for key, head in heads.items()}
        for item in items:
            sequence, previous = state[item.board_id]
            item.sequence = sequence + 1
            item.hash = link_hash(previous, item.sequence, content_of(item))
            state[item.board_id] = (item.sequence, item.hash)
        model.objects.bulk_create(items, batch_size=batch_size)
        now = timezone.now()
        for key, (sequence, last) in state.items():
            ChainHead.objects.filter(pk=heads[key].pk).update(sequence=sequence, hash=last,
                                                              updated_at=now)
    return items


# --- Verifying -------------------------------------------------------------------------


def chains(board_id=None):
    """The heads to verify: every chain, or those of one board."""
    heads = ChainHead.objects.select_related("board").order_by("log", "board__name")
    if board_id is not None:
        heads = heads.filter(board_id=board_id)
    return list(heads)


def chain_records(head: ChainHead):
    model = MODELS[head.log]
    qs = model.objects.all()
    return qs.filter(board_id=head.board_id) if head.board_id else qs.filter(board__isnull=True)


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: where, when (UTC, ISO 8601), and what differs."""

    head: ChainHead
    sequence: int | None
    occurred_at: str | None
    problem: str


# The hashed fields as PostgreSQL renders them in the form `_normal` gives: verifying then
# needs no per-value conversion in Python (two million rows in well under a minute).
_SQL_TEXT = {
    "occurred_at": "to_char(occurred_at AT TIME ZONE 'UTC', "
                   "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    "school_id": "school_id::text", "case_id": "case_id::text",
    "student_id": "student_id::text", "ip_address": "host(ip_address)", "data": "data::text",
}
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode


def _rows_postgresql(head: ChainHead, chunk_size: int):
    model = MODELS[head.log]
    columns = ", ".join(_SQL_TEXT.get(name, name) for name in FIELDS[head.log])
    board = "board_id = %s" if head.board_id else "board_id IS NULL"
    scope = [head.board_id] if head.board_id else []
    table = model._meta.db_table
    # Batches by sequence range, not LIMIT: each is a bounded index range scan, whatever
    # the planner believes about the table's size.
    sql = (f"SELECT sequence, hash, {columns} FROM {table} "
           f"WHERE {board} AND sequence > %s AND sequence <= %s ORDER BY sequence")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(sequence) FROM {table} WHERE {board}", scope)
        highest = cursor.fetchone()[0] or 0
        low = 0
        while low < highest:
            cursor.execute(sql, [*scope, low, low + chunk_size])
            yield from cursor.fetchall()
            low += chunk_size


def _rows_portable(head: ChainHead, chunk_size: int):
    names = FIELDS[head.log]
    rows = (chain_records(head).filter(sequence__isnull=False).order_by("sequence")
            .values_list("sequence", "hash", *names).iterator(chunk_size=chunk_size))
    for sequence, stored, *values in rows:
        yield (sequence, stored, *[_normal(n, v) for n, v in zip(names, values, strict=True)])


def _canonical_text(log: str, values) -> str:
    """canonical() of values already in their hashed text form (as _rows_* give them)."""
    items = list(values)
    ip = FIELDS[log].index("ip_address")
    if items[ip] and ":" in items[ip]:
        items[ip] = ipaddress.ip_address(items[ip]).exploded
    if log == "audit":
        data = FIELDS[log].index("data")
        if isinstance(items[data], str):
            items[data] = json.loads(items[data])
    return _ENCODE(items)


def verify(head: ChainHead, *, chunk_size: int = 10000):
    """Walk one chain in sequence order, in constant memory. Returns (count, Break|None)."""
    log = head.log
    unchained = chain_records(head).filter(sequence__isnull=True).values_list(
        "occurred_at", flat=True).first()
    if unchained is not None:
        return 0, Break(head, None, f"{unchained:%Y-%m-%d %H:%M:%S}",
                        "een regel zonder volgnummer (buiten de keten geschreven)")
    reader = _rows_postgresql if connection.vendor == "postgresql" else _rows_portable
    expected, previous, count = 1, GENESIS, 0
    last_time = None
    for sequence, stored, *values in reader(head, chunk_size):
        count += 1
        occurred_at = values[0]
        if sequence != expected:
            missing = (f"{expected}" if sequence == expected + 1
                       else f"{expected} t/m {sequence - 1}")
            return count, Break(head, expected, last_time,
                                f"volgnummer {missing} ontbreekt (verwijderd); daarna "
                                f"volgt {sequence} van {occurred_at}")
        computed = link_hash(previous, sequence, _canonical_text(log, values))
        if computed != stored:
            return count, Break(head, sequence, occurred_at,
                                f"de inhoud past niet bij de opgeslagen hash (opgeslagen "
                                f"{stored[:12]}…, berekend {computed[:12]}…): deze regel is "
                                f"gewijzigd, of de hash van de vorige regel is herschreven")
        expected, previous, last_time = sequence + 1, stored, occurred_at
    if head.sequence != expected - 1 or head.hash != previous:
        return count, Break(head, expected - 1, last_time,
                            f"de keten eindigt bij volgnummer {expected - 1}, de kop wijst "
                            f"naar {head.sequence}: regels aan het eind verwijderd, of de "
                            f"kop is gewijzigd")
    return count, None


def check_exported_head(log: str, board_key: str, sequence: int, expected_hash: str) -> str:
    """'' when an earlier exported head is still a link of today's chain, else why not."""
    model = MODELS.get(log)
    if model is None:
        return f"onbekende keten {log}"
    if sequence == 0 and expected_hash == GENESIS:
        return ""  # the chain was still empty
    qs = model.objects.filter(sequence=sequence)
    qs = qs.filter(board__isnull=True) if board_key == "global" else qs.filter(
        board_id=board_key)
    stored = qs.values_list("hash", flat=True).first()
    if stored is None:
        return f"{log}/{board_key}: volgnummer {sequence} bestaat niet meer"
    if stored != expected_hash:
        return f"{log}/{board_key}: volgnummer {sequence} heeft een andere hash dan geëxporteerd"
    return ""

