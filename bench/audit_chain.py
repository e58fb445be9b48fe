"""Benchmark: write N chained audit events for one board, then time `verify_audit` on it.

    DATABASE_URL=postgres://…/meldcode_bench python bench/audit_chain.py --events 2000000

It writes into the database it is given (use a scratch database, migrated first); the
events belong to a board of their own, "Benchmark <time>". Not part of the test suite; a
smoke test runs it with a few thousand events.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import django

# Run as a script, the project is set up here; imported by the smoke test, it already is.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from audit.models import AuditEvent  # noqa: E402
from audit.services.chain import bulk_append, chains, verify  # noqa: E402
from meldcode.models import Board, School  # noqa: E402


def run(events: int, batch: int = 50000, out=sys.stdout) -> dict:
    board = Board.objects.create(name=f"Benchmark {timezone.now():%Y%m%d%H%M%S%f}")
    school = School.objects.create(board=board, name="Benchmarkschool")
    started = time.monotonic()
    written = 0
    while written < events:
        size = min(batch, events - written)
        now = timezone.now()
        bulk_append([AuditEvent(action="case.team.added", school_id=school.pk,
                                board_id=board.pk, subject_type="cases.case",
                                subject_id=str(written + i), occurred_at=now,
                                data={"member": written + i}) for i in range(size)])
        written += size
    write_seconds = time.monotonic() - started
    started = time.monotonic()
    results = [verify(head) for head in chains(board.pk) if head.log == "audit"]
    verify_seconds = time.monotonic() - started
    count, broken = results[0]
    result = {"events": count, "write_seconds": round(write_seconds, 1),
              "verify_seconds": round(verify_seconds, 1), "intact": broken is None}
    print(result, file=out)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000_000)
    arguments = parser.parse_args()
    run(arguments.events)
