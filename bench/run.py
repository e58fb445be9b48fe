"""Time a benchmark board (bench/generate.py): pages, writes, PDFs, and a load test.

    python bench/run.py --database meldcode_bench_small --label small [--requests 50]
        [--load-seconds 60] [--users 50] [--workers 4]

Pages: every GET row of the permission matrix (tests/matrix/) that shows data (NOT_DATA
below: those that do not), requested by the AF of the heaviest school where the AF may see
it, else by the school's directie, the board's people or the teacher who wrote the draft,
with its URL built from the generated board, in-process with Django's test client,
interleaved with the floor page (bench/urls.py) in the same run.
Writes: a workflow transition and an observation submit through their services, against a
bare UPDATE/INSERT of the same row (each in a transaction that is rolled back). PDFs: each
download against WeasyPrint rendering a plain HTML of the same number of pages. Load:
gunicorn on loopback, the shipped settings, the mixed pages and then the floor page alone.

Results go to bench/results/run-<label>.json; bench/report.py compares the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

# Matrix rows that show no dossier data, or need a one-off token: not timed as pages.
NOT_DATA = {"health", "password_change_done", "password_reset", "password_reset_done",
            "password_reset_confirm", "password_reset_complete", "two_factor_verify",
            "two_factor_enrol", "reauth", "pupil_import_index",
            # An export of the board's whole access log (a download, not a page): it grows
            # with the log by design.
            "access_log_export",
            # For someone of one board these only redirect to that board's page, which is
            # timed (catalog_board, deadline_policy_edit, retention_policy_edit).
            "catalog_index", "deadline_policy_index", "retention_policy_index"}
PDF_ROWS = {"report_pdf": "the melding PDF", "weighing_pdf": "the weighing PDF",
            "student_access_report": "the access-report PDF",
            "access_request_export": "the access-request copy PDF",
            "disclosure_pdf": "the disclosure PDF", "evaluation_pdf": "the yearly evaluation PDF"}
# Where a URL's first matrix row is a special case (the AF excluded from the case, a
# write-only contributor), the row the benchmark follows instead, by its id.
ROW_FOLLOWED = {"case_workflow_form": "GET conclude_doubt (step 1)",
                "attachment_download": "GET attachment_download"}
# decisions pages want a case in steps 4-5: the generated case with a sent melding.
DECISION_ROWS = {"weighing_detail", "weighing_observation_form", "acute_melding_form",
                 "help_plan_form", "help_result_form", "help_close_form",
                 "report_recurrence_form"}


SHIPPED = {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "LOG_LEVEL": "WARNING"}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(times: list[float]) -> dict:
    return {"median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(percentile(times, 0.95) * 1000, 2), "n": len(times)}


def setup(database: str) -> None:
    from bench.generate import ATTACHMENT_KEY, database_url  # noqa: PLC0415

    os.environ["DATABASE_URL"] = database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")
    # The shipped settings (DEBUG off: cached templates, no query log), on plain http.
    os.environ.update(SHIPPED)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ATTACHMENT_KEYS", ATTACHMENT_KEY)  # the key the board was made with
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest DEBUG=0 needs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="meldcode_bench_small")
    parser.add_argument("--label", default="small")
    parser.add_argument("--requests", type=int, default=50, help="per page")
    parser.add_argument("--load-seconds", type=float, default=60.0, help="0: no load test")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--only", default="", help="comma-separated URL names (pages)")
    args = parser.parse_args()
    setup(args.database)
    from bench import measure  # noqa: PLC0415 - needs the configured project

    result = measure.run_all(args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"run-{args.label}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"written {out.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
