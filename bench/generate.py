"""Build a benchmark board: a school board at a given scale, in its own database.

    python bench/generate.py --scale 0.1 --database meldcode_bench_small

Scale 1.0 is a large board: 50 schools, 20,000 pupils, 10,000 cases, 200,000 observations,
300,000 tasks and 8,000,000 audit events and access-log rows. The database is dropped and
created again (PostgreSQL only; `DATABASE_URL` names the server, `--database` the
database), migrated, and filled with COPY. The data is domain-valid: every pupil has a
group with its own teachers, a case is opened by one of them, who is on its team;
observations are submitted with their statements (written as drafts first, then frozen,
as the database demands); the audit trail and access log are hash-chained like the
application chains them, so `manage.py verify_audit` passes. One case of the heaviest
school is taken through the services to a sent melding (the PDFs need one), and one of
each object the other pages of the permission matrix show is made there (bench/objects.py).

What the runner needs (user names, case ids) goes to bench/results/board-<database>.json.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
FULL = {"schools": 50, "students": 20_000, "cases": 10_000, "observations": 200_000,
        "tasks": 300_000, "log_rows": 8_000_000}
# The heaviest school carries this many times an average school's pupils (and so cases).
HEAVY = 3.0
GROUPS = ("1", "2", "3", "4", "5", "6", "7", "8")
PASSWORD = "meldcode-bench"
# The board's attachment is encrypted with this key and bench/run.py reads it with the same
# one: a key for the benchmark's made-up file, known to anyone, never a school's.
ATTACHMENT_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"meldcode-bench-attachments").digest()).decode()


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def recreate(name: str) -> None:
    import psycopg  # noqa: PLC0415 - the server is reached before Django is set up

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def counts(scale: float) -> dict:
    result = {key: max(1, round(value * scale)) for key, value in FULL.items()}
    result["schools"] = max(2, result["schools"])
    result["students"] = max(result["students"], result["cases"] + 10)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database", default="meldcode_bench_small")
    parser.add_argument("--log-scale", type=float, default=None,
                        help="scale of the audit and access-log rows alone (default: --scale)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    info = build(args.scale, args.database, seed=args.seed, log_scale=args.log_scale)
    print(json.dumps(info["counts"]))
    return 0


def build(scale: float, database: str, *, seed: int = 15, log_scale: float | None = None,
          out=sys.stdout) -> dict:
    recreate(database)
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ATTACHMENT_KEYS", ATTACHMENT_KEY)
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    from bench import fill  # noqa: PLC0415 - needs the configured project

    started = time.monotonic()
    wanted = counts(scale)
    if log_scale is not None:  # hashing 8 million chained rows takes a while
        wanted["log_rows"] = max(1, round(FULL["log_rows"] * log_scale))
    info = fill.fill(wanted, random.Random(seed), out=out)
    info.update(scale=scale, database=database, seconds=round(time.monotonic() - started, 1))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"board-{database}.json").write_text(json.dumps(info, indent=2, default=str))
    return info


if __name__ == "__main__":
    sys.exit(main())
