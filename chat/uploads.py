"""Files attached to a message: checked, ingested with visible progress, reported one line each.

A rejected file says why in one line and the others go on. The files that made it in
are handed to the team as the message's attachments as soon as their text is in: their
vectors are computed in the background meanwhile, and the board keeps showing how far
that is, so the team starts within seconds whatever everyone else is uploading.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

import chainlit as cl

from chat.markdown import escape_text
from knowledge.ingest import IndexingJob, IngestProgress, IngestResult
from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

UPDATE_EVERY_S = 0.4
INDEX_POLL_S = 1.0
ARCHIVE_SUFFIXES = frozenset({".zip", ".7z", ".rar", ".gz", ".tgz", ".tar"})
STAGE_WORDS = {
    "parsing": "reading",
    "indexing": "indexing text",
    "embedding": "embedding",
    "ready": "ready",
    "duplicate": "already in the library",
    "error": "failed",
}


@dataclass(frozen=True)
class AcceptedFile:
    """A file that is in the knowledge base now, as the team receives it."""

    path: Path
    filename: str
    document_id: str | None


@dataclass(frozen=True)
class UploadPolicy:
    """What the composer accepts (from the settings)."""

    allowed_suffixes: tuple[str, ...]
    max_bytes: int

    def refusal(self, name: str, size: int) -> str | None:
        """Why this file cannot go in, in a few words, or None when it can."""
        suffix = Path(name).suffix.lower()
        if suffix in ARCHIVE_SUFFIXES and suffix not in self.allowed_suffixes:
            return "archives are not unpacked: attach the documents inside it one by one"
        if suffix not in self.allowed_suffixes:
            kinds = ", ".join(s.lstrip(".").upper() for s in self.allowed_suffixes)
            shown = f"{suffix} files" if suffix else "files without an extension"
            return f"{shown} are not accepted: attach {kinds}"
        if size > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            return f"{size / 1024 / 1024:.1f} MB is over the {limit} MB limit: split or compress it"
        return None


class UploadBoard:
    """One message listing every attached file with its progress, then its result."""

    def __init__(self, names: list[str]) -> None:
        self.lines = {name: "waiting" for name in names}
        self.message = cl.Message(content="", author="ingestion")
        self._last_update = 0.0

    async def open(self) -> None:
        self.message.content = self._render()
        await self.message.send()

    async def set(self, name: str, line: str, *, force: bool = False) -> None:
        self.lines[name] = line
        now = time.monotonic()
        if force or now - self._last_update >= UPDATE_EVERY_S:
            self._last_update = now
            self.message.content = self._render()
            await self.message.update()

    def _render(self) -> str:
        rows = [f"- **{escape_text(name)}** — {line}" for name, line in self.lines.items()]
        return "Files attached to this message:\n" + "\n".join(rows)


async def ingest_uploads(
    elements: list[cl.Element], *, knowledge: KnowledgeBase, owner: str, policy: UploadPolicy
) -> list[AcceptedFile]:
    """Check and ingest the uploaded files; show progress; return those now in the library."""
    files = [e for e in elements if e.path]
    if not files:
        return []
    board = UploadBoard([e.name for e in files])
    await board.open()
    candidates: list[tuple[Path, str]] = []
    for element in files:
        path = Path(str(element.path))
        size = _size_of(path)
        refusal = policy.refusal(element.name, size) if size >= 0 else "the upload was lost"
        if refusal:
            await board.set(element.name, f"✗ not added: {refusal}", force=True)
        else:
            candidates.append((path, element.name))
    if not candidates:
        return []

    added: dict[str, IngestResult] = {}  # searchable, vectors pending
    finished: dict[str, str] = {}  # the last line of a file whose vector phase ended

    async def progress(event: IngestProgress) -> None:
        if event.stage == "ready" and event.filename in added:
            finished[event.filename] = _result_line(replace(added[event.filename], indexing=False))
        elif event.stage == "error":
            finished[event.filename] = f"✗ not added: {escape_text(event.message)}"
        if event.filename in finished:
            await board.set(event.filename, finished[event.filename], force=True)
            return
        line = _progress_line(event)
        if event.filename in added:
            line = f"{_result_line(replace(added[event.filename], indexing=False))} — {line}"
        await board.set(event.filename, line, force=event.stage != "embedding")

    results = await knowledge.ingest(
        [p for p, _ in candidates],
        owner=owner,
        filenames=[n for _, n in candidates],
        on_progress=progress,
        until="searchable",
    )
    still = {doc for job in knowledge.indexing(owner=owner) for doc in job.progress}
    accepted: list[AcceptedFile] = []
    for (path, name), result in zip(candidates, results, strict=True):
        shown = [_shown(item, still) for item in result.with_attachments()]
        added.update((item.filename, item) for item in shown if item.indexing)
        await board.set(name, finished.get(name) or _result_line(shown[0]), force=True)
        for attached in shown[1:]:  # an e-mail's, linked to it
            line = f"{_result_line(attached)}, attached to {escape_text(name)}"
            await board.set(attached.filename, finished.get(attached.filename) or line, force=True)
        if result.status != "error" and not finished.get(name, "").startswith("✗"):
            accepted.append(AcceptedFile(path=path, filename=name, document_id=result.document_id))
    return accepted


def _shown(result: IngestResult, still_indexing: set[str]) -> IngestResult:
    """The result as of now: a background vector phase may have ended already."""
    if result.indexing and result.document_id not in still_indexing:
        return replace(result, indexing=False)
    return result


async def wait_for_index(knowledge: KnowledgeBase, *, owner: str) -> None:
    """Before a request that searches: wait until the owner's documents are indexed for
    search, with one message saying how far their embedding is."""
    jobs = knowledge.indexing(owner=owner)
    if not jobs:
        return
    message = cl.Message(content=_indexing_text(jobs), author="ingestion")
    await message.send()
    while jobs:
        await asyncio.wait([job.task for job in jobs], timeout=INDEX_POLL_S)
        if jobs := knowledge.indexing(owner=owner):
            message.content = _indexing_text(jobs)
            await message.update()
    message.content = "Your documents are indexed for search: answering now."
    await message.update()


def _indexing_text(jobs: list[IndexingJob]) -> str:
    rows = [f"- **{escape_text(j.filename)}** — embedding {j.done}/{j.total}…" for j in jobs]
    return "I will answer once these are indexed for search:\n" + "\n".join(rows)


def _size_of(path: Path) -> int:
    """The file's size in bytes, -1 when it is gone."""
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _progress_line(event: IngestProgress) -> str:
    word = STAGE_WORDS.get(event.stage, event.stage)
    if event.total:
        return f"{word} {event.done}/{event.total}…"
    return f"{word}…"


def _result_line(result: IngestResult) -> str:
    if result.status == "error":
        return f"✗ not added: {escape_text(result.error or 'unreadable file')}"
    short = (result.document_id or "")[:8]
    verb = "already in the library" if result.status == "duplicate" else "added"
    detail = f"{_count(result.pages, 'page')}, {_count(result.chunks, 'passage')}"
    if result.indexing:
        detail += "; indexing for search…"
    warnings = f" (⚠ {escape_text('; '.join(result.warnings))})" if result.warnings else ""
    return f"✓ {verb} as doc {short} — {detail}{warnings}"
