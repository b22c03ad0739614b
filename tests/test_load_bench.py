"""A short run of the load benchmark (2 analysts at once, each backend): everything they
sent lands in SQL and LanceDB, and nothing of one reaches the other. Timings are the
benchmark's business (`make bench-load`), not this test's."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import shared_path

from benchmarks.load_bench import run_scenario, smallest_filings, workloads
from benchmarks.postgres_server import PostgresServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


async def test_two_analysts_at_once_lose_nothing_and_see_only_their_own(
    sql_backend: str, sql_server: PostgresServer | None, tmp_path: Path
) -> None:
    filings = smallest_filings(2, shared_path("data", "financebench-dev"))
    work = workloads(2, tmp_path / "ledgers", filings)
    result = await run_scenario(
        sql_backend, work, tmp_path, concurrent=True, postgres=sql_server, limit_s=600
    )
    assert result.completeness.problems == []
    assert [t.errors for t in result.timings] == [[], []]
    for timings in result.timings:  # every step of the workload came back
        assert timings.first_message is not None and timings.report is not None
        assert len(timings.answers) == 2 and None not in timings.answers
    checked = result.completeness
    assert (checked.documents, checked.threads) == (4, 2)
    assert checked.steps > 0 and checked.findings > 0
