"""The audit-chain benchmark runs (here with a few thousand events, not two million)."""

import io

from bench.audit_chain import run


def test_benchmark_writes_and_verifies_a_chain(db):
    result = run(3000, batch=1000, out=io.StringIO())
    assert result["events"] == 3000 and result["intact"]
