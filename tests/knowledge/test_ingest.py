"""Ingestion end to end on real files, real SQLite or PostgreSQL, real LanceDB and the real
embedder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from file_factories import make_pdf
from pypdf import PdfReader, PdfWriter
from shared_data import shared_path
from sqlalchemy import func, select

from knowledge.db.models import Document, DocumentPage, IngestionEvent, LedgerRowRecord
from knowledge.documents import DocType, LedgerRow, Page, ParsedDocument
from knowledge.errors import DocumentNotFoundError
from knowledge.ingest import IngestProgress
from knowledge.library import KnowledgeBase
from knowledge.storable import storable
from quorum.settings import Settings

FILING_PAGES = [
    "Acme Holdings Inc. Annual Report on Form 10-K for fiscal year 2023.",
    "Item 7. Management's Discussion and Analysis. Revenue increased 12% to $4.2 billion "
    "driven by strong demand for industrial adhesives in Europe.",
    "Consolidated Statement of Cash Flows. Purchases of property, plant and equipment "
    "were $1,577 million in 2023 compared with $1,373 million in 2022.",
]


@pytest.fixture
async def knowledge(backend_settings: Settings) -> AsyncIterator[KnowledgeBase]:
    kb = await KnowledgeBase.open(backend_settings.knowledge_config())
    yield kb
    await kb.close()


async def _count(kb: KnowledgeBase, model: type, **where: object) -> int:
    async with kb.database.sessions() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await session.scalar(query) or 0)


async def test_ingest_pdf_and_ledger_then_search_cites_the_page(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path, "Acme 10-K (2023) ünïcode & $HOME;.pdf", FILING_PAGES)
    ledger = tmp_path / "cash ledger.csv"
    ledger.write_text(
        'date,customer,type,amount\n2024-03-01,Rosa Diaz,cash deposit,"$9,500.00"\n'
        '2024-03-02,Rosa Diaz,cash deposit,"$9,800.00"\n',
        encoding="utf-8",
    )
    results = await knowledge.ingest([pdf, ledger], owner="local")
    assert [r.status for r in results] == ["ingested", "ingested"], results
    assert results[0].pages == 3 and results[0].chunks >= 3
    pdf_id, ledger_id = results[0].document_id, results[1].document_id

    hits = await knowledge.search("capital expenditure purchases of equipment", owner="local", k=3)
    assert hits[0].document_id == pdf_id and hits[0].page == 3
    assert "1,577" in hits[0].text
    assert (await knowledge.search("Rosa Diaz deposits", owner="local", k=1))[
        0
    ].document_id == ledger_id

    documents = await knowledge.list_documents(owner="local")
    assert {d.filename for d in documents} == {pdf.name, ledger.name}
    assert all(d.status == "ready" for d in documents)
    assert await _count(knowledge, LedgerRowRecord, document_id=ledger_id) == 2
    parsed = await knowledge.load_document(ledger_id, owner="local")
    assert [row.party for row in parsed.rows] == ["Rosa Diaz", "Rosa Diaz"]
    info = await knowledge.get_document(pdf_id[:6], owner="local")  # a unique prefix works
    assert knowledge.original_path(info).read_bytes() == pdf.read_bytes()


async def test_same_bytes_are_stored_once(knowledge: KnowledgeBase, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path, "a.pdf", FILING_PAGES)
    copy = tmp_path / "copy of a.pdf"
    copy.write_bytes(pdf.read_bytes())
    first, second = await knowledge.ingest([pdf, copy], owner="local")
    assert (first.status, second.status) == ("ingested", "duplicate")
    assert second.document_id == first.document_id
    assert await _count(knowledge, Document) == 1
    assert knowledge.store.count(first.document_id or "")[0] == first.chunks


async def test_failures_store_nothing_and_others_go_through(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    good = make_pdf(tmp_path, "good.pdf", FILING_PAGES)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    image = tmp_path / "photo.pdf"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    missing = tmp_path / "nowhere.pdf"
    results = await knowledge.ingest([empty, good, image, missing], owner="local")
    assert [r.status for r in results] == ["error", "ingested", "error", "error"]
    for result in (results[0], results[2], results[3]):
        assert result.error and "\n" not in result.error and result.filename in result.error
    assert await _count(knowledge, Document) == 1
    assert knowledge.store.document_ids() == {results[1].document_id}
    assert len(knowledge.files.digests()) == 1
    failed = await _count(knowledge, IngestionEvent, event="failed")
    assert failed == 3


async def test_embedding_failure_rolls_the_document_back(
    backend_settings: Settings, tmp_path: Path
) -> None:
    """A failure in the vector phase leaves no pages, rows, chunks or file behind."""

    kb = await KnowledgeBase.open(backend_settings.knowledge_config())
    real = kb.embedder

    class BreaksOnUse:
        model_name, dimension = real.model_name, real.dimension

        def embed_documents(self, texts: object) -> np.ndarray:
            raise RuntimeError("connection reset by /internal/socket/path")

        def embed_query(self, text: str) -> np.ndarray:
            return real.embed_query(text)

    kb.ingestor.embedder = BreaksOnUse()
    try:
        (result,) = await kb.ingest([make_pdf(tmp_path, "x.pdf", FILING_PAGES)], owner="local")
        assert result.status == "error" and "could not be indexed (RuntimeError" in (
            result.error or ""
        )
        assert "/internal/socket/path" not in (result.error or "")  # internals stay in the log
        assert await _count(kb, Document) == 0
        assert await _count(kb, DocumentPage) == 0
        assert kb.store.document_ids() == set()
        assert kb.files.digests() == set()
    finally:
        await kb.close()


async def test_delete_removes_everywhere_and_owners_are_isolated(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    (alice_doc,) = await knowledge.ingest(
        [make_pdf(tmp_path, "alice.pdf", FILING_PAGES)], owner="alice"
    )
    (bob_doc,) = await knowledge.ingest(
        [make_pdf(tmp_path, "bob.pdf", FILING_PAGES[:2])], owner="bob"
    )
    assert {h.document_id for h in await knowledge.search("revenue", owner="bob", k=10)} == {
        bob_doc.document_id
    }
    assert [d.filename for d in await knowledge.list_documents(owner="bob")] == ["bob.pdf"]
    with pytest.raises(DocumentNotFoundError):
        await knowledge.get_document(alice_doc.document_id or "", owner="bob")
    with pytest.raises(DocumentNotFoundError):
        await knowledge.delete_document(alice_doc.document_id or "", owner="bob")
    with pytest.raises(DocumentNotFoundError):
        await knowledge.search("revenue", owner="bob", document_ids=[alice_doc.document_id or ""])

    version = await knowledge.version()
    await knowledge.delete_document(alice_doc.document_id or "", owner="alice")
    assert await knowledge.version() > version
    assert await _count(knowledge, Document, id=alice_doc.document_id) == 0
    assert await _count(knowledge, DocumentPage, document_id=alice_doc.document_id) == 0
    assert knowledge.store.count(alice_doc.document_id or "") == (0, 0)
    assert len(knowledge.files.digests()) == 1


async def test_real_filing_pages_with_nul_characters_go_in_on_every_backend(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    """pypdf returns a few NUL characters on pages of Best Buy's 10-Q; PostgreSQL refuses
    NUL in text. The pages that carry them, copied out of the real filing, must go in."""
    filing = PdfReader(shared_path("data", "financebench-dev", "BESTBUY_2024Q2_10Q.pdf"))
    writer = PdfWriter()
    for page in filing.pages:
        if "\x00" in (page.extract_text() or ""):
            writer.add_page(page)
    assert writer.pages, "the filing no longer has pages with NUL characters"
    excerpt = tmp_path / "bestbuy_excerpt.pdf"
    with excerpt.open("wb") as handle:
        writer.write(handle)
    (result,) = await knowledge.ingest([excerpt], owner="local")
    assert result.status == "ingested", result.error
    parsed = await knowledge.load_document(result.document_id or "", owner="local")
    assert len(parsed.pages) == len(writer.pages)
    assert all("\x00" not in page.text for page in parsed.pages)


def test_nul_characters_become_spaces_and_spans_stay_put() -> None:
    page = Page(1, "Total\x00revenue 9,500", label="p\x001")
    row = LedgerRow(sheet=None, row_number=2, raw={"party": "Orlov\x00Ltd"}, span=(6, 13),
                    party="Orlov\x00Ltd")  # fmt: skip
    cleaned = storable(ParsedDocument(DocType.PDF, [page], [row]))
    assert cleaned.pages[0].text == "Total revenue 9,500" and cleaned.pages[0].label == "p 1"
    assert cleaned.rows[0].raw == {"party": "Orlov Ltd"} and cleaned.rows[0].span == (6, 13)
    untouched = ParsedDocument(DocType.PDF, [Page(1, "clean")])
    assert storable(untouched) is untouched


async def test_searchable_first_returns_on_the_text_and_indexes_in_the_background(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    """The chat's team starts on the text: `until="searchable"` returns before the vectors,
    full text finds the document at once, and waiting for the index ends with it ready."""
    pdf = make_pdf(tmp_path, "acme-10k.pdf", FILING_PAGES)
    stages: list[str] = []

    async def progress(event: IngestProgress) -> None:
        stages.append(event.stage)

    [result] = await knowledge.ingest(
        [pdf], owner="local", on_progress=progress, until="searchable"
    )
    assert result.status == "ingested" and result.indexing and result.chunks >= 3
    assert "ready" not in stages
    jobs = knowledge.indexing(owner="local")
    assert [job.document_id for job in jobs] == [result.document_id]
    assert jobs[0].total == result.chunks
    assert knowledge.indexing(owner="someone else") == []
    hits = await knowledge.search("industrial adhesives", owner="local", mode="text")
    assert hits and hits[0].document_id == result.document_id

    [final] = await knowledge.wait_indexed(owner="local")
    assert final.status == "ingested" and not final.indexing
    assert knowledge.indexing(owner="local") == []
    assert stages[-1] == "ready" and "embedding" in stages
    info = await knowledge.get_document(result.document_id or "", owner="local")
    assert info.status == "ready"
    assert knowledge.store.count(result.document_id or "") == (result.chunks, result.chunks)
