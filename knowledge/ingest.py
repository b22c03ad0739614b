"""Taking files in: all-or-nothing per file, text searchable first, vectors after.

A file goes through two phases. The text phase parses it, keeps the original, writes
pages, ledger rows and chunks, and makes the document `searchable` (full text and the
rule engine can start). The vector phase embeds the chunks and makes it `ready`. While
one file's vectors are computed (onnxruntime releases the GIL), the next file is parsed,
so a batch uses both cores. Any failure removes every trace of the file; a process that
dies mid-ingest is cleaned up (text phase) or resumed (vector phase) at the next start.

Many users may ingest at once in one process: hashing, parsing and embedding run on the
process's worker pool (sized to the cores), embedding batch by batch, so uploads of
different users interleave and each reports its own progress; the event loop stays free
for everyone's chat. A caller that can start on the text (the chat's team: parsing and
rules need no vectors) asks for `until="searchable"`: the vector phase then goes on in
the background as an `IndexingJob`, and whoever needs the vectors waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import socket
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy import delete, select, update

from knowledge.chunking import Chunk, chunk_pages, iter_batches
from knowledge.db import Database
from knowledge.db.base import utcnow
from knowledge.db.models import (
    Document,
    DocumentPage,
    DocumentStatus,
    IngestionEvent,
    LedgerRowRecord,
)
from knowledge.documents import Attachment, LedgerRow, ParsedDocument
from knowledge.embeddings import Embedder
from knowledge.errors import FileTooLargeError, IngestError, KnowledgeError
from knowledge.files import FileStore, sha256_of
from knowledge.parsing import parse_file
from knowledge.retrieval.profile import DocumentProfile
from knowledge.search_text import document_profile, search_texts
from knowledge.storable import storable
from knowledge.store import ChunkStore, chunk_id
from knowledge.workers import WorkerPool

logger = logging.getLogger(__name__)

EMBED_BATCH = 32
# An e-mail's attachments are ingested with it; messages nest (a forwarded .eml), but not
# without end, and not by the thousand.
MAX_ATTACHMENT_DEPTH = 3
MAX_ATTACHMENTS = 100
IngestStatus = Literal["ingested", "duplicate", "error"]
Until = Literal["ready", "searchable"]


@dataclass(frozen=True)
class IngestProgress:
    """What the UI shows while a file goes in."""

    filename: str
    stage: Literal["parsing", "indexing", "embedding", "ready", "duplicate", "error"]
    done: int = 0
    total: int = 0
    document_id: str | None = None
    message: str = ""


ProgressCallback = Callable[[IngestProgress], Awaitable[None]]


@dataclass(frozen=True)
class IngestResult:
    """One file's outcome, as `quorum ingest --json` reports it."""

    filename: str
    status: IngestStatus
    document_id: str | None = None
    pages: int = 0
    chunks: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    attached_to: str | None = None  # the message this attachment came with
    attachments: list[IngestResult] = field(default_factory=list)
    indexing: bool = False  # searchable now; its vectors are still being computed

    def with_attachments(self) -> list[IngestResult]:
        """This file, then the files attached to it (depth first): each its own document."""
        return [self, *(item for child in self.attachments for item in child.with_attachments())]


@dataclass
class _Pending:
    """A document whose text is in and whose vectors are still to be computed."""

    document_id: str
    owner: str
    filename: str
    chunks: list[Chunk]
    search_texts: list[str]
    pages: int
    warnings: list[str]
    parent_id: str | None = None
    attachments: list[_Pending | IngestResult] = field(default_factory=list)


@dataclass
class IndexingJob:
    """A document's vector phase running in the background: whose, how far, its outcome."""

    document_id: str
    owner: str
    filename: str
    task: asyncio.Task[IngestResult]
    progress: dict[str, tuple[int, int]]  # (embedded, chunks) per document of the file

    @property
    def done(self) -> int:
        return sum(done for done, _ in self.progress.values())

    @property
    def total(self) -> int:
        return sum(total for _, total in self.progress.values())


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def _silent(_: IngestProgress) -> None:
    return None


class Ingestor:
    """Runs the two phases for files and keeps SQL, LanceDB and the file store consistent."""

    def __init__(
        self,
        *,
        database: Database,
        store: ChunkStore,
        files: FileStore,
        embedder: Embedder,
        max_file_bytes: int,
        workers: WorkerPool,
    ) -> None:
        self.workers = workers
        self.database = database
        self.store = store
        self.files = files
        self.embedder = embedder
        self.max_file_bytes = max_file_bytes
        self.parse_workers = max(2, min(os.cpu_count() or 1, 4))
        self._embedding_lane = asyncio.Lock()
        self._parse_pool: ProcessPoolExecutor | None = None
        self._indexing: dict[str, IndexingJob] = {}

    def _pool(self) -> ProcessPoolExecutor:
        """Worker processes for long PDFs, started on first use ("spawn": no forked threads)."""
        if self._parse_pool is None:
            self._parse_pool = ProcessPoolExecutor(
                max_workers=self.parse_workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._parse_pool

    def close(self) -> None:
        """Stop the pools; a vector phase cut short here is resumed at the next start."""
        for job in list(self._indexing.values()):
            job.task.cancel()
        if self._parse_pool is not None:
            self._parse_pool.shutdown(wait=False, cancel_futures=True)
            self._parse_pool = None

    async def ingest_many(
        self,
        paths: Sequence[Path],
        *,
        owner: str,
        filenames: Sequence[str] | None = None,
        on_progress: ProgressCallback | None = None,
        until: Until = "ready",
    ) -> list[IngestResult]:
        """Ingest files in order; each reports its own status, failures don't stop the others.

        `until="searchable"` returns once each file's text is in: its vectors are then
        computed in the background (`indexing`, `wait_indexed`), still reporting progress.
        """
        progress = on_progress or _silent
        names = list(filenames) if filenames else [Path(p).name for p in paths]
        outcomes: list[IngestResult | asyncio.Task[IngestResult]] = []
        for path, name in zip(paths, names, strict=True):
            outcome = await self._text_phase(Path(path), name, owner, progress)
            if not isinstance(outcome, _Pending):
                outcomes.append(outcome)
            elif until == "searchable":
                self._index_in_background(outcome, progress)
                outcomes.append(_searchable_result(outcome))
            else:
                outcomes.append(asyncio.create_task(self._vector_phase(outcome, progress)))
        return [await item if isinstance(item, asyncio.Task) else item for item in outcomes]

    def _index_in_background(self, pending: _Pending, progress: ProgressCallback) -> None:
        counts = {p.document_id: (0, len(p.chunks)) for p in _tree(pending)}

        async def tracked(event: IngestProgress) -> None:
            if event.stage == "embedding" and event.document_id in counts:
                counts[event.document_id] = (event.done, event.total)
            try:
                await progress(event)
            except Exception:  # the caller's display may be gone; the ingest goes on
                logger.warning("progress of %s not shown", event.filename, exc_info=True)

        task = asyncio.create_task(self._vector_phase(pending, tracked))
        job = IndexingJob(pending.document_id, pending.owner, pending.filename, task, counts)
        self._indexing[pending.document_id] = job
        task.add_done_callback(lambda _: self._indexing.pop(pending.document_id, None))

    def indexing(self, owner: str) -> list[IndexingJob]:
        """The owner's documents whose vectors are still being computed, oldest first."""
        return [job for job in self._indexing.values() if job.owner == owner]

    async def wait_indexed(self, owner: str) -> list[IngestResult]:
        """Wait until the owner's background vector phases end; their final results."""
        jobs = self.indexing(owner)
        return list(await asyncio.gather(*(asyncio.shield(job.task) for job in jobs)))

    async def ingest(
        self,
        path: Path,
        *,
        owner: str,
        filename: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> IngestResult:
        names = [filename] if filename else None
        (result,) = await self.ingest_many(
            [path], owner=owner, filenames=names, on_progress=on_progress
        )
        return result

    # -- text phase ------------------------------------------------------------------------
    async def _text_phase(
        self,
        path: Path,
        filename: str,
        owner: str,
        progress: ProgressCallback,
        parent_id: str | None = None,
        depth: int = 0,
    ) -> IngestResult | _Pending:
        document_id: str | None = None
        try:
            sha256, size = await self.workers.run(self._checked_digest, path, filename)
            duplicate = await self._find_duplicate(owner, sha256)
            if duplicate is not None:
                await self._event(owner, filename, "duplicate", duplicate.id, sha256)
                await progress(IngestProgress(filename, "duplicate", document_id=duplicate.id))
                linked = await self._still_linked(owner, duplicate)
                return _duplicate_result(filename, duplicate, parent_id, linked)
            document_id = await self._start_document(size, filename, owner, sha256, parent_id)
            await progress(IngestProgress(filename, "parsing", document_id=document_id))
            parsed = _named(
                await self.workers.run(
                    _parse_storable,
                    path,
                    max_bytes=self.max_file_bytes,
                    pool=self._pool(),
                    workers=self.parse_workers,
                ),
                path,
                filename,
            )
            await asyncio.to_thread(self.files.put, path, sha256)
            await progress(IngestProgress(filename, "indexing", document_id=document_id))
            pending = await self._write_text(document_id, owner, filename, parsed, parent_id)
            if parsed.attachments:
                await self._attach(pending, parsed.attachments, progress, depth)
            return pending
        except IngestError as error:
            message = str(error).replace(path.name, filename) if path.name else str(error)
            return await self._fail(document_id, owner, filename, message, progress)
        except Exception as error:  # any failure must leave nothing behind
            logger.exception("ingest of %s failed", filename)
            message = (
                f"{filename}: could not be ingested ({type(error).__name__}); nothing was stored"
            )
            return await self._fail(document_id, owner, filename, message, progress)

    def _checked_digest(self, path: Path, filename: str) -> tuple[str, int]:
        if not path.is_file():
            raise IngestError(f"{filename}: no such file; check the path")
        size = path.stat().st_size
        if size > self.max_file_bytes:
            raise FileTooLargeError(
                f"{filename}: {size / 1048576:.1f} MB is over the "
                f"{self.max_file_bytes / 1048576:.0f} MB limit; split the file or raise the limit"
            )
        return sha256_of(path), size

    async def _find_duplicate(self, owner: str, sha256: str) -> Document | None:
        async with self.database.sessions() as session:
            found = await session.scalar(
                select(Document).where(Document.owner == owner, Document.sha256 == sha256)
            )
        if found is not None and found.status in DocumentStatus.VISIBLE:
            return found
        return None

    async def _attach(
        self,
        message: _Pending,
        attachments: list[Attachment],
        progress: ProgressCallback,
        depth: int,
    ) -> None:
        """Ingest a message's attachments as its linked documents: all of them or none.

        Raises IngestError (naming the attachment) when one cannot be taken in; the
        caller then removes the message, and `discard` removes what was attached.
        """
        if depth >= MAX_ATTACHMENT_DEPTH or len(attachments) > MAX_ATTACHMENTS:
            raise IngestError(
                f"{message.filename} nests or carries too many attachments "
                f"(over {MAX_ATTACHMENTS}, or messages {MAX_ATTACHMENT_DEPTH} deep): "
                "upload the attachments one by one"
            )
        with tempfile.TemporaryDirectory(prefix="quorum-attachment-") as folder:
            for index, attachment in enumerate(attachments):
                path = Path(folder) / f"{index}-{attachment.filename}"
                await asyncio.to_thread(path.write_bytes, attachment.content)
                outcome = await self._text_phase(
                    path,
                    attachment.filename,
                    message.owner,
                    progress,
                    message.document_id,
                    depth + 1,
                )
                if isinstance(outcome, IngestResult) and outcome.status == "error":
                    raise IngestError(
                        f"{message.filename}: its attachment {outcome.error} — nothing of the "
                        "message was stored; upload the message without it or fix the attachment"
                    )
                message.attachments.append(outcome)
        await self._record_attachments(message)

    async def _record_attachments(self, message: _Pending) -> None:
        """The message's metadata names its attachments' documents (also duplicates)."""
        linked = [
            {"filename": item.filename, "document_id": item.document_id}
            for item in message.attachments
        ]
        async with self.database.sessions.begin() as session:
            document = await session.get(Document, message.document_id)
            if document is not None:
                document.meta = {**(document.meta or {}), "attachment_documents": linked}

    async def _still_linked(self, owner: str, message: Document) -> list[tuple[str, str]]:
        """(filename, id) of the documents a stored message came with that still exist."""
        linked = (message.meta or {}).get("attachment_documents") or []
        ids = [item["document_id"] for item in linked if item.get("document_id")]
        if not ids:
            return []
        async with self.database.sessions() as session:
            alive = set(
                await session.scalars(
                    select(Document.id).where(
                        Document.owner == owner,
                        Document.id.in_(ids),
                        Document.status.in_(DocumentStatus.VISIBLE),
                    )
                )
            )
        return [(item["filename"], item["document_id"]) for item in linked
                if item.get("document_id") in alive]  # fmt: skip

    async def _start_document(
        self, size: int, filename: str, owner: str, sha256: str, parent_id: str | None = None
    ) -> str:
        document_id = uuid.uuid4().hex[:16]
        async with self.database.sessions.begin() as session:
            session.add(
                Document(
                    id=document_id,
                    owner=owner,
                    sha256=sha256,
                    filename=filename,
                    doc_type="unknown",
                    size_bytes=size,
                    status=DocumentStatus.INGESTING,
                    worker=worker_id(),
                    parent_id=parent_id,
                )
            )
            session.add(_event(owner, filename, "started", document_id, sha256))
        return document_id

    async def _write_text(
        self,
        document_id: str,
        owner: str,
        filename: str,
        parsed: ParsedDocument,
        parent_id: str | None = None,
    ) -> _Pending:
        chunks, texts, profile = await self.workers.run(_chunked, filename, parsed)
        async with self.database.sessions.begin() as session:
            session.add_all(
                DocumentPage(
                    document_id=document_id,
                    number=p.number,
                    label=p.label,
                    text=p.text,
                    ocr_confidence=p.ocr_confidence,
                )
                for p in parsed.pages
            )
            session.add_all(_row_record(document_id, row) for row in parsed.rows)
            await session.execute(
                update(Document)
                .where(Document.id == document_id)
                .values(
                    doc_type=parsed.doc_type.value,
                    pages=parsed.page_count,
                    chunks=len(chunks),
                    warnings=parsed.warnings,
                    meta=parsed.metadata or None,
                )
            )
        await asyncio.to_thread(
            self.store.add_chunks, document_id, owner, chunks, texts, profile=profile
        )
        await self._set_status(
            document_id, DocumentStatus.SEARCHABLE, owner, filename, "searchable"
        )
        return _Pending(
            document_id,
            owner,
            filename,
            chunks,
            texts,
            parsed.page_count,
            parsed.warnings,
            parent_id,
        )

    # -- vector phase ----------------------------------------------------------------------
    async def _vector_phase(self, pending: _Pending, progress: ProgressCallback) -> IngestResult:
        try:
            await self._embed(pending, progress)
            attached = [
                item if isinstance(item, IngestResult) else await self._vector_phase(item, progress)
                for item in pending.attachments
            ]
            if failed := [item for item in attached if item.status == "error"]:
                raise IngestError(failed[0].error or "an attachment could not be indexed")
            await self._set_status(
                pending.document_id, DocumentStatus.READY, pending.owner, pending.filename, "ready"
            )
        except Exception as error:  # roll the whole document (and its attachments) back
            logger.exception("embedding %s failed", pending.filename)
            reason = _reason(error)
            message = f"{pending.filename}: could not be indexed ({reason}); nothing was stored"
            return await self._fail(
                pending.document_id, pending.owner, pending.filename, message, progress
            )
        await progress(
            IngestProgress(
                pending.filename,
                "ready",
                len(pending.chunks),
                len(pending.chunks),
                pending.document_id,
            )
        )
        return _ingested_result(pending, attached, indexing=False)

    async def _embed(self, pending: _Pending, progress: ProgressCallback) -> None:
        """Embed batch by batch; documents being embedded at once take turns per batch (the
        lane is first come first served), so a short file is never stuck behind a long one."""
        total = len(pending.chunks)
        vectors = []
        done = 0
        await progress(IngestProgress(pending.filename, "embedding", 0, total, pending.document_id))
        for batch in iter_batches(pending.search_texts, EMBED_BATCH):
            async with self._embedding_lane:
                vectors.append(await self.workers.run(self.embedder.embed_documents, batch))
            done += len(batch)
            await progress(
                IngestProgress(pending.filename, "embedding", done, total, pending.document_id)
            )
        if not vectors:
            return
        ids = [chunk_id(pending.document_id, chunk.index) for chunk in pending.chunks]
        await asyncio.to_thread(
            self.store.add_vectors, pending.document_id, pending.owner, ids, np.vstack(vectors)
        )

    async def resume(self, document_id: str) -> IngestResult:
        """Finish a document whose vectors were not written (its process died)."""
        async with self.database.sessions() as session:
            document = await session.get(Document, document_id)
        if document is None:
            raise IngestError(f"document {document_id} no longer exists")
        await asyncio.to_thread(self.store.delete_vectors, document_id)
        stored = await asyncio.to_thread(self.store.document_chunks, document_id)
        chunks = [
            Chunk(int(c.chunk_id.rsplit(":", 1)[1]), c.page, c.start, c.end, c.text, c.label)
            for c in stored
        ]
        texts = await asyncio.to_thread(self.store.search_texts_of, [c.chunk_id for c in stored])
        pending = _Pending(
            document_id, document.owner, document.filename, chunks, texts, document.pages, []
        )
        return await self._vector_phase(pending, _silent)

    # -- bookkeeping -----------------------------------------------------------------------
    async def _set_status(
        self, document_id: str, status: str, owner: str, filename: str, event: str
    ) -> None:
        async with self.database.sessions.begin() as session:
            await session.execute(
                update(Document)
                .where(Document.id == document_id)
                .values(
                    status=status,
                    updated_at=utcnow(),
                    worker=None if status == DocumentStatus.READY else worker_id(),
                )
            )
            session.add(_event(owner, filename, event, document_id))

    async def _fail(
        self,
        document_id: str | None,
        owner: str,
        filename: str,
        message: str,
        progress: ProgressCallback,
    ) -> IngestResult:
        if document_id is not None:
            await self.discard(document_id)
        await self._event(owner, filename, "failed", document_id, detail=message)
        await progress(IngestProgress(filename, "error", message=message))
        return IngestResult(filename, "error", error=message)

    async def discard(self, document_id: str) -> None:
        """Remove a document (and what came attached to it) from LanceDB, SQL, file store."""
        async with self.database.sessions() as session:
            children = list(
                await session.scalars(select(Document.id).where(Document.parent_id == document_id))
            )
        for child in children:
            await self.discard(child)
        await asyncio.to_thread(self.store.delete_document, document_id)
        async with self.database.sessions.begin() as session:
            sha256 = await session.scalar(select(Document.sha256).where(Document.id == document_id))
            await session.execute(delete(Document).where(Document.id == document_id))
            still_used = sha256 is not None and await session.scalar(
                select(Document.id).where(Document.sha256 == sha256).limit(1)
            )
        if sha256 is not None and not still_used:
            await asyncio.to_thread(self.files.remove, sha256)

    async def _event(
        self,
        owner: str,
        filename: str,
        event: str,
        document_id: str | None = None,
        sha256: str | None = None,
        detail: str | None = None,
    ) -> None:
        async with self.database.sessions.begin() as session:
            session.add(_event(owner, filename, event, document_id, sha256, detail))


def _event(
    owner: str,
    filename: str,
    event: str,
    document_id: str | None = None,
    sha256: str | None = None,
    detail: str | None = None,
) -> IngestionEvent:
    return IngestionEvent(
        owner=owner,
        filename=filename,
        event=event,
        document_id=document_id,
        sha256=sha256,
        detail=detail,
    )


def _chunked(
    filename: str, parsed: ParsedDocument
) -> tuple[list[Chunk], list[str], DocumentProfile]:
    """The chunks, what the full-text index sees of each, and the document's profile.

    CPU work, so it runs in the worker pool, off the event loop.
    """
    chunks = chunk_pages(parsed.pages, parsed.rows)
    profile = document_profile(filename, parsed)
    return chunks, search_texts(profile, parsed, chunks), profile


def _parse_storable(path: Path, **options: Any) -> ParsedDocument:
    """The parsed file, with text every SQL backend can store (no NUL characters)."""
    return storable(parse_file(path, **options))


def _named(parsed: ParsedDocument, path: Path, filename: str) -> ParsedDocument:
    """Warnings name the file as the user named it (uploads arrive under temporary names)."""
    if path.name == filename or not parsed.warnings:
        return parsed
    return replace(parsed, warnings=[w.replace(path.name, filename) for w in parsed.warnings])


def _tree(pending: _Pending) -> list[_Pending]:
    """A pending document and the pending documents attached to it, depth first."""
    nested = [p for item in pending.attachments if isinstance(item, _Pending) for p in _tree(item)]
    return [pending, *nested]


def _searchable_result(pending: _Pending) -> IngestResult:
    """What a file whose text is in looks like while its vectors are computed."""
    attached = [
        item if isinstance(item, IngestResult) else _searchable_result(item)
        for item in pending.attachments
    ]
    return _ingested_result(pending, attached, indexing=True)


def _ingested_result(
    pending: _Pending, attached: list[IngestResult], *, indexing: bool
) -> IngestResult:
    """The result of a file taken in, with its attachments' results."""
    return IngestResult(
        pending.filename,
        "ingested",
        pending.document_id,
        pending.pages,
        len(pending.chunks),
        warnings=pending.warnings,
        attached_to=pending.parent_id,
        attachments=attached,
        indexing=indexing,
    )


def _duplicate_result(
    filename: str, duplicate: Document, parent_id: str | None, linked: list[tuple[str, str]]
) -> IngestResult:
    """A file already stored: its document, and the documents that came attached to it."""
    attachments = [
        IngestResult(name, "duplicate", document_id, attached_to=duplicate.id)
        for name, document_id in linked
    ]
    return IngestResult(
        filename,
        "duplicate",
        duplicate.id,
        duplicate.pages,
        duplicate.chunks,
        attached_to=parent_id,
        attachments=attachments,
    )


def _row_record(document_id: str, row: LedgerRow) -> LedgerRowRecord:
    return LedgerRowRecord(
        document_id=document_id,
        sheet=row.sheet,
        page_number=row.page_number,
        row_number=row.row_number,
        span_start=row.span[0],
        span_end=row.span[1],
        date=row.date,
        party=row.party,
        type=row.type,
        amount=row.amount,
        currency=row.currency,
        country=row.country,
        memo=row.memo,
        raw=row.raw,
    )


def _reason(error: Exception) -> str:
    """What a person may read about a failure: our own errors' words (written for them),
    else only the kind of failure (the details, which may hold paths or internals, are
    in the log)."""
    if isinstance(error, KnowledgeError):
        return str(error)
    return f"{type(error).__name__}; the log has the details"
