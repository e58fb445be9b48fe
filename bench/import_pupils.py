"""Benchmark: import an export of 10,000 pupils (and then the same file again).

    DATABASE_URL=postgres://… python bench/import_pupils.py [--rows 10000] [--limit 60] [--xlsx]

Everything happens in one transaction that is rolled back at the end: the database is left
as it was. Exits with status 1 when the first import takes longer than --limit seconds.
Not part of the test suite; tests/test_bench_smoke.py runs it on 200 rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from cases.services import imports  # noqa: E402
from meldcode.models import Board, Membership, Role, School, User  # noqa: E402
from tests.pupil_data import GROUPS, as_csv, as_xlsx, pupil_rows, teacher_email  # noqa: E402


class _RollBack(Exception):
    pass


def _school() -> School:
    tag = uuid.uuid4().hex[:8]
    board = Board.objects.create(name=f"Benchmark {tag}")
    school = School.objects.create(board=board, name=f"Benchmark {tag}")
    users = User.objects.bulk_create(
        User(username=f"bench-{tag}-{g}-{n}", email=teacher_email(g, n))
        for g in GROUPS for n in (1, 2))
    Membership.objects.bulk_create(
        Membership(user=u, board=board, school=school, role=Role.LEERKRACHT) for u in users)
    return school


def run(rows: int = 10_000, *, xlsx: bool = False) -> dict:
    """Times the first import and a second run of the same file; changes are rolled back."""
    data = (as_xlsx if xlsx else as_csv)(pupil_rows(rows))
    result: dict = {"rows": rows, "bytes": len(data)}
    try:
        with transaction.atomic():
            school = _school()
            started = time.perf_counter()
            first = imports.import_run(actor=None, school=school, data=data)
            result["first_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            second = imports.import_run(actor=None, school=school, data=data)
            result["second_seconds"] = time.perf_counter() - started
            result["added"] = first.counts["added"]
            result["second_changes"] = second.has_changes
            raise _RollBack
    except _RollBack:
        pass
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds")
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()
    result = run(args.rows, xlsx=args.xlsx)
    print(f"{result['rows']} leerlingen ({result['bytes'] / 1024:.0f} kB): eerste import "
          f"{result['first_seconds']:.1f} s, dezelfde import nogmaals "
          f"{result['second_seconds']:.1f} s (wijzigingen: {result['second_changes']})")
    return 0 if result["first_seconds"] <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
