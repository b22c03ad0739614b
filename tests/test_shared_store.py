"""Two processes, one store: concurrent `quorum ingest` runs on one database (SQLite and
PostgreSQL) and one data dir both land, in SQL and in both LanceDB indexes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fpdf import FPDF

from knowledge.library import KnowledgeBase
from quorum.settings import Settings

QUORUM = str(Path(sys.executable).parent / "quorum")


def filing(path: Path, company: str, topic: str, pages: int = 6) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(
            0, 5, f"{company} annual report, page {number}. {topic} " * 12 + f"Page {number}."
        )
    pdf.output(str(path))
    return path


def start_ingest(settings: Settings, *files: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUORUM_")}
    env.pop("DATABASE_URL", None)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return subprocess.Popen(
        [QUORUM, "--data-dir", str(settings.data_dir), "ingest", *map(str, files), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


async def test_two_concurrent_ingests_into_one_store_both_land(
    backend_settings: Settings, tmp_path: Path
) -> None:
    first = [
        filing(tmp_path / "northwind.pdf", "Northwind", "Goodwill impairment in the retail unit."),
        filing(tmp_path / "acme.pdf", "Acme", "Sanctions screening of counterparties."),
    ]
    ledger = tmp_path / "wires.csv"
    ledger.write_text(
        "date,customer,type,amount\n"
        + "".join(f"2024-05-{d:02d},Orlov Trading,wire out,9{d}00.00\n" for d in range(1, 21)),
        encoding="utf-8",
    )
    second = [filing(tmp_path / "globex.pdf", "Globex", "Liquidity covenant headroom."), ledger]

    runs = [start_ingest(backend_settings, *first), start_ingest(backend_settings, *second)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0 and "Traceback" not in err, err
    reported = [d for out, _ in outputs for d in json.loads(out)["documents"]]
    assert [d["status"] for d in reported] == ["ingested"] * 4, reported

    kb = await KnowledgeBase.open(backend_settings.knowledge_config())
    try:
        documents = await kb.list_documents(owner="local")
        assert sorted(d.filename for d in documents) == sorted(
            ["northwind.pdf", "acme.pdf", "globex.pdf", "wires.csv"]
        )
        assert all(d.status == "ready" for d in documents)
        for document in documents:  # every chunk has its vector: no lost rows
            chunks, vectors = kb.store.count(document.document_id)
            assert chunks == vectors == document.chunks > 0, document.filename
        by_name = {d.filename: d.document_id for d in documents}
        for query, name in [
            ("goodwill impairment", "northwind.pdf"),
            ("sanctions screening", "acme.pdf"),
            ("liquidity covenant", "globex.pdf"),
            ("Orlov Trading wire", "wires.csv"),
        ]:
            for mode in ("text", "vector"):
                hits = await kb.search(query, owner="local", k=1, mode=mode)
                assert hits and hits[0].document_id == by_name[name], (query, mode)
    finally:
        await kb.close()
