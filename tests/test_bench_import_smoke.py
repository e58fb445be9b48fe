"""The import benchmark (bench/import_pupils.py) still runs: 200 rows, in the test database."""

import importlib.util
from pathlib import Path

import pytest

from cases.models import Student

BENCH = Path(__file__).resolve().parent.parent / "bench" / "import_pupils.py"


@pytest.mark.django_db
@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_the_benchmark_runs_on_200_rows(xlsx):
    spec = importlib.util.spec_from_file_location("bench_import_pupils", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(200, xlsx=xlsx)
    assert result["added"] == 200
    assert result["second_changes"] is False
    assert Student.objects.count() == 0  # rolled back
