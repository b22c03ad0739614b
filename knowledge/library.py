"""The knowledge base as the layers above see it: ingest, list, read, search, delete.

`KnowledgeBase.open` is the composition root of this layer: it migrates the schema,
opens the chunk store for the configured embedding model, and repairs whatever a
process that died mid-ingest left behind, before anyone reads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, tuple_

from knowledge import catalog
from knowledge.catalog import DocumentInfo
from knowledge.config import KnowledgeConfig
from knowledge.db import Database
from knowledge.db.models import (
    Document,
    DocumentPage,
    DocumentStatus,
    IngestionEvent,
    LedgerRowRecord,
)
from knowledge.documents import DocType, LedgerRow, Page, ParsedDocument
from knowledge.embeddings import Embedder, build_embedder
from knowledge.files import FileStore
from knowledge.ingest import IndexingJob, Ingestor, IngestResult, ProgressCallback, Until
from knowledge.parsing.tables import table_header
from knowledge.search import Retriever, SearchFilter, SearchMode
from knowledge.store import ChunkStore, StoredChunk
from knowledge.workers import WorkerPool

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchHit:
    """A passage that answers a query, with everything needed to cite and open it."""

    document_id: str
    filename: str
    page: int
    text: str
    score: float
    chunk_id: str
    start: int
    end: int
    label: str | None = None
    row_start: int | None = None
    row_end: int | None = None
    ocr_confidence: float | None = None  # the page was read by OCR, this sure (0-100)
    table_header: str | None = None  # the header row of the table the passage quotes

    @property
    def ocr_note(self) -> str | None:
        """'read by OCR, 91%' for a passage of a scanned page."""
        return ocr_note(self.ocr_confidence)


def ocr_note(confidence: float | None) -> str | None:
    """How a citation of an OCR'd page says so: 'read by OCR, 91%'."""
    return None if confidence is None else f"read by OCR, {confidence:.0f}%"


class KnowledgeBase:
    """Documents, their text and their index, per owner."""

    def __init__(
        self,
        *,
        config: KnowledgeConfig,
        database: Database,
        store: ChunkStore,
        files: FileStore,
        embedder: Embedder,
        workers: WorkerPool | None = None,
    ) -> None:
        self.config = config
        self.workers = workers or WorkerPool()
        self.database = database
        self.store = store
        self.files = files
        self.embedder = embedder
        self.ingestor = Ingestor(
            database=database,
            store=store,
            files=files,
            embedder=embedder,
            max_file_bytes=config.max_file_bytes,
            workers=self.workers,
        )
        self.retriever = Retriever(store, embedder)

    @classmethod
    async def open(
        cls, config: KnowledgeConfig, *, embedder: Embedder | None = None
    ) -> KnowledgeBase:
        database = Database(config.database_url)
        await database.migrate()
        if embedder is None:
            embedder = await asyncio.to_thread(
                build_embedder, config.embedding, cache_dir=config.model_cache_dir
            )
        store = await asyncio.to_thread(
            ChunkStore,
            config.lancedb_location,
            embedding_model=embedder.model_name,
            dimension=embedder.dimension,
        )
        knowledge = cls(
            config=config,
            database=database,
            store=store,
            files=FileStore(config.files_dir),
            embedder=embedder,
        )
        await knowledge.recover()
        return knowledge

    async def close(self) -> None:
        self.ingestor.close()
        self.workers.close()
        await self.database.dispose()

    # -- writing ---------------------------------------------------------------------------
    async def ingest(
        self,
        paths: Sequence[Path],
        *,
        owner: str,
        filenames: Sequence[str] | None = None,
        on_progress: ProgressCallback | None = None,
        until: Until = "ready",
    ) -> list[IngestResult]:
        """Ingest files; `until="searchable"` returns when their text is in and computes
        their vectors in the background (see `indexing`)."""
        return await self.ingestor.ingest_many(
            paths, owner=owner, filenames=filenames, on_progress=on_progress, until=until
        )

    def indexing(self, *, owner: str) -> list[IndexingJob]:
        """The owner's documents whose vectors are still being computed."""
        return self.ingestor.indexing(owner)

    async def wait_indexed(self, *, owner: str) -> list[IngestResult]:
        """Wait for the owner's background indexing; the final results (errors included)."""
        return await self.ingestor.wait_indexed(owner)

    async def delete_document(self, document_id: str, *, owner: str) -> DocumentInfo:
        info = await self.get_document(document_id, owner=owner)
        await self.ingestor.discard(info.document_id)
        async with self.database.sessions.begin() as session:
            session.add(
                IngestionEvent(
                    owner=owner,
                    filename=info.filename,
                    event="deleted",
                    document_id=info.document_id,
                )
            )
        return info

    # -- reading ---------------------------------------------------------------------------
    async def list_documents(self, *, owner: str) -> list[DocumentInfo]:
        return await catalog.list_documents(self.database, owner=owner)

    async def get_document(self, document_id: str, *, owner: str) -> DocumentInfo:
        """A document by id or unambiguous id prefix, only if `owner` may see it."""
        return await catalog.get_document(self.database, document_id, owner=owner)

    async def load_document(self, document_id: str, *, owner: str) -> ParsedDocument:
        """The parsed pages and ledger rows, as the rule engine reads them."""
        info = await self.get_document(document_id, owner=owner)
        async with self.database.sessions() as session:
            pages = await session.scalars(
                select(DocumentPage)
                .where(DocumentPage.document_id == info.document_id)
                .order_by(DocumentPage.number)
            )
            rows = await session.scalars(
                select(LedgerRowRecord)
                .where(LedgerRowRecord.document_id == info.document_id)
                .order_by(LedgerRowRecord.id)
            )
            return ParsedDocument(
                doc_type=DocType(info.type),
                pages=[
                    Page(p.number, p.text, p.label, ocr_confidence=p.ocr_confidence) for p in pages
                ],
                rows=[_ledger_row(r) for r in rows],
                warnings=info.warnings,
                metadata=info.metadata,
            )

    def original_path(self, info: DocumentInfo) -> Path:
        """Where the uploaded original is kept (to open a cited page)."""
        return self.files.path_for(info.sha256)

    async def version(self) -> int:
        """Changes whenever a document is added or removed: the knowledge-base version."""
        async with self.database.sessions() as session:
            return int(await session.scalar(select(func.max(IngestionEvent.id))) or 0)

    async def search(
        self,
        query: str,
        *,
        owner: str,
        k: int = 5,
        document_ids: Sequence[str] | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[SearchHit]:
        visible = {d.document_id: d for d in await self.list_documents(owner=owner)}
        if document_ids is not None:
            wanted = [(await self.get_document(d, owner=owner)).document_id for d in document_ids]
            document_ids = wanted
        where = SearchFilter(owner=owner, document_ids=document_ids)
        found = await asyncio.to_thread(
            self.retriever.search, query, k=k * 2, where=where, mode=mode
        )
        pages = await self._page_facts(found)
        hits = [
            SearchHit(
                document_id=chunk.document_id,
                filename=visible[chunk.document_id].filename,
                page=chunk.page,
                text=chunk.text,
                score=chunk.score,
                chunk_id=chunk.chunk_id,
                start=chunk.start,
                end=chunk.end,
                label=chunk.label,
                row_start=chunk.row_start,
                row_end=chunk.row_end,
                ocr_confidence=pages.get((chunk.document_id, chunk.page), (None, ""))[0],
                table_header=table_header(
                    pages.get((chunk.document_id, chunk.page), (None, ""))[1],
                    chunk.start,
                    chunk.end,
                ),
            )
            for chunk in found
            if chunk.document_id in visible  # readers never see a half-written document
        ]
        return hits[:k]

    async def _page_facts(
        self, found: Sequence[StoredChunk]
    ) -> dict[tuple[str, int], tuple[float | None, str]]:
        """(OCR confidence, text) of the pages these chunks come from, in one query."""
        wanted = {(chunk.document_id, chunk.page) for chunk in found}
        if not wanted:
            return {}
        async with self.database.sessions() as session:
            records = await session.execute(
                select(
                    DocumentPage.document_id,
                    DocumentPage.number,
                    DocumentPage.ocr_confidence,
                    DocumentPage.text,
                ).where(tuple_(DocumentPage.document_id, DocumentPage.number).in_(wanted))
            )
            return {
                (document_id, number): (confidence, text)
                for document_id, number, confidence, text in records
            }

    # -- repair ----------------------------------------------------------------------------
    async def recover(self) -> None:
        """Clean up or resume what a process that died mid-ingest left behind.

        Other processes may be ingesting into the same store right now: what is in LanceDB
        and the file store is listed before the SQL rows are read (a writer commits its row
        first), so nothing a live writer just added is taken for an orphan.
        """
        in_store = await asyncio.to_thread(self.store.document_ids)
        stored_files = self.files.digests()
        async with self.database.sessions() as session:
            documents = list(await session.scalars(select(Document)))
        known = {d.id for d in documents}
        for document in documents:
            if document.status == DocumentStatus.READY or _writer_alive(document.worker):
                continue
            if document.status == DocumentStatus.INGESTING:
                logger.warning("removing %s: its ingest was interrupted", document.filename)
                await self.ingestor.discard(document.id)
            elif document.status == DocumentStatus.SEARCHABLE:
                logger.warning("finishing the vectors of %s", document.filename)
                await self.ingestor.resume(document.id)
        for orphan in in_store - known:
            await asyncio.to_thread(self.store.delete_document, orphan)
        await self._remove_unreferenced_files(stored_files)

    async def _remove_unreferenced_files(self, candidates: set[str]) -> None:
        async with self.database.sessions() as session:
            referenced = set(await session.scalars(select(Document.sha256)))
        self.files.remove_partial_writes()
        for digest in candidates - referenced:
            self.files.remove(digest)


def _writer_alive(worker: str | None) -> bool:
    """True when the process that wrote this document is still running on this host."""
    if not worker or ":" not in worker:
        return False
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname():
        return True  # another machine's writer: not ours to judge
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ledger_row(record: LedgerRowRecord) -> LedgerRow:
    return LedgerRow(
        sheet=record.sheet,
        row_number=record.row_number,
        raw=dict(record.raw),
        page_number=record.page_number,
        span=(record.span_start, record.span_end),
        date=record.date,
        party=record.party,
        type=record.type,
        amount=Decimal(record.amount) if record.amount is not None else None,
        currency=record.currency,
        country=record.country,
        memo=record.memo,
    )
