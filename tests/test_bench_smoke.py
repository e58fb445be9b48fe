"""The board benchmark (bench/: generate, run, report) runs end to end on a tiny board:
a few requests per page, a two-second load test with one gunicorn worker."""

import argparse
import io
import random
import secrets

import pytest
from django.db import connection
from weasyprint import HTML

from audit.services.chain import chains, verify
from bench import fill, measure, report
from bench.generate import counts
from bench.run import ROW_FOLLOWED
from cases.services import documents
from meldcode.models import Board
from tests.matrix import ALL_ROWS


def _one_page(*, case, printed_by):
    return HTML(string=f"<p>Casus {case.reference}</p>").write_pdf()


@pytest.fixture
def tiny_board(transactional_db):
    # Committed (transactional_db): the gunicorn workers of the load test read it too.
    return fill.fill(counts(0.0005), random.Random(1), out=io.StringIO())


def test_the_benchmark_times_every_page_writes_pdfs_and_a_load_test(tiny_board, settings):
    # The load test runs gunicorn with DEBUG off, which refuses the development key.
    settings.SECRET_KEY = secrets.token_urlsafe(48)
    board = Board.objects.get(pk=tiny_board["board_id"])
    assert all(verify(head)[1] is None for head in chains(board.pk))  # a valid chained trail

    # Every data page of the matrix gets its URL from the board (what rots first): a GET
    # row the board cannot reach, or that no generated persona may see, fails here; a page
    # without data goes in bench/run.py's NOT_DATA with its reason ...
    chosen, skipped = measure.pages(tiny_board, set())
    assert skipped == []
    assert len(chosen) >= 80
    assert set(ROW_FOLLOWED.values()) <= {row.id for row in ALL_ROWS}
    # ... and a few of them are timed, to keep this test short.
    args = argparse.Namespace(label="smoke", requests=1, load_seconds=2, users=3, workers=1,
                              database=connection.settings_dict["NAME"],
                              only="dashboard,case_list,case_detail,task_list,report_pdf,"
                                   "weighing_pdf,student_access_report,beheer_user_list,"
                                   "attachment_download,observation_edit,inspection_case,"
                                   "pupil_import_preview,disclosure_pdf")
    documents.register("bench_proef", _one_page, label="Proef")
    try:
        result = measure.run_all(args, info=tiny_board)
    finally:
        documents.RENDERERS.pop("bench_proef")

    timed = {p["label"]: p for p in result["pages"]["pages"]}
    assert result["pages"]["floor"]["median_ms"] > 0
    for name in ("dashboard", "case_list", "case_detail, 20 observations", "task_list",
                 "the melding PDF", "the weighing PDF", "the access-report PDF",
                 "beheer_user_list (beheerder)", "attachment_download",
                 "observation_edit (teacher)", "inspection_case (inspecteur)",
                 "pupil_import_preview", "the disclosure PDF"):
        assert timed[name]["status"] == 200, name
        assert timed[name]["queries"] > 0 and timed[name]["x_floor"] > 0
    assert timed["the melding PDF"]["pdf_pages"] >= 1
    assert timed["the melding PDF"]["x_pdf_floor"] > 0
    # Every registered kind is timed: the dossier, and this test's own.
    assert set(result["documents"]) == {"dossier", "bench_proef"}
    assert result["documents"]["bench_proef"]["pages"] == 1
    for write in result["writes"].values():
        assert write["queries"] > 1 and write["x_bare"] > 0
    assert result["load"]["floor"]["requests"] > 0 and result["load"]["floor"]["errors"] == 0
    assert result["load"]["mixed"]["requests"] > 0 and result["load"]["mixed"]["errors"] == 0

    combined = report.combine(result, result)
    text = report.markdown(combined)
    assert "| dashboard |" in text and "## Targets" in text
    assert combined["checks"]["same query count on both boards"] == (True, [])
    # A target that is not met names what misses it, with its figure.
    ok, misses = combined["checks"]["transition <= 2x the bare update"]
    assert not ok and misses[0].startswith("workflow transition") and misses[0].endswith("×")
    assert f"- transition <= 2x the bare update: **not met**: {misses[0]}" in text
