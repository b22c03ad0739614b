"""The `quorum` CLI as a user runs it: a real subprocess, JSON out, no tracebacks."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fpdf import FPDF

from knowledge.library import KnowledgeBase
from quorum.settings import Settings

QUORUM = str(Path(sys.executable).parent / "quorum")


def quorum(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [QUORUM, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert "Traceback" not in result.stdout + result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def long_pdf(path: Path, pages: int) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(
            0,
            5,
            f"Page {number}. Segment results for the industrial division. "
            + "Net sales, operating income and capital expenditures by quarter. " * 25,
        )
    pdf.output(str(path))
    return path


def test_ingest_documents_search_delete_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    report = long_pdf(tmp_path / "annual report.pdf", 3)
    junk = tmp_path / "notes.txt"
    junk.write_bytes(os.urandom(4096))

    ingested = json.loads(quorum(data, "ingest", str(report), str(junk), "--json").stdout)
    good, bad = ingested["documents"]
    assert good["status"] == "ingested" and good["pages"] == 3 and good["chunks"] > 3
    assert set(good) >= {"document_id", "filename", "status", "pages", "chunks", "error"}
    assert bad["status"] == "error" and "notes.txt" in bad["error"] and bad["document_id"] is None

    listed = json.loads(quorum(data, "documents", "--json").stdout)["documents"]
    assert [d["filename"] for d in listed] == ["annual report.pdf"]
    assert set(listed[0]) >= {  # the DESIGN §7 fields; e-mail links and metadata come beside
        "document_id",
        "filename",
        "type",
        "pages",
        "chunks",
        "status",
        "created",
    }

    found = json.loads(quorum(data, "search", "capital expenditures", "-k", "2", "--json").stdout)[
        "results"
    ]
    assert len(found) == 2 and found[0]["document_id"] == good["document_id"]
    assert {"document_id", "filename", "page", "text", "score"} <= set(found[0])

    quorum(data, "delete", good["document_id"])
    assert json.loads(quorum(data, "documents", "--json").stdout)["documents"] == []
    missing = quorum(data, "delete", good["document_id"], check=False)
    assert missing.returncode != 0 and "no document" in missing.stderr


def test_usage_errors_exit_non_zero_without_traceback(tmp_path: Path) -> None:
    assert quorum(tmp_path / "d", "search", "x", "-k", "0", check=False).returncode == 2
    assert quorum(tmp_path / "d", "ingest", check=False).returncode == 2


def _status(database: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            row = connection.execute("SELECT status FROM documents").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", ["ingesting", "searchable"])
def test_killed_ingest_leaves_a_consistent_store(
    tmp_path: Path, kill_at: str, settings: Settings
) -> None:
    """Kill `quorum ingest` while it writes; the next start cleans up or finishes the job."""
    pdf = long_pdf(tmp_path / "big.pdf", 120)
    database = settings.data_dir / "quorum.sqlite3"
    process = subprocess.Popen(
        [QUORUM, "--data-dir", str(settings.data_dir), "ingest", str(pdf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while _status(database) != kill_at:
        assert process.poll() is None, "ingest finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    asyncio.run(_check_recovered(settings, kill_at))
    assert _status(database) in (None, "ready")


async def _check_recovered(settings: Settings, kill_at: str) -> None:
    knowledge = await KnowledgeBase.open(settings.knowledge_config())
    try:
        documents = await knowledge.list_documents(owner="local")
        if kill_at == "ingesting":
            assert documents == []
            assert knowledge.store.document_ids() == set()
            assert knowledge.files.digests() == set()
        else:  # the text was in: the vectors are finished at start-up
            (document,) = documents
            assert document.status == "ready"
            assert knowledge.store.count(document.document_id) == (document.chunks,) * 2
    finally:
        await knowledge.close()
