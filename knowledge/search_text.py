"""What the indexes see for a chunk: its text with the context a reader would have.

A chunk of a statement page rarely says which company, which period or which statement
it belongs to; the cover page, the page heading and the document's name do. Every
chunk's indexed text (never its cited text) therefore starts with:

    Document: 3M 2018 10K · company: 3M · ticker: MMM · form: 10-K · fiscal period: FY2018
    Page: 3M Company and Subsidiaries | Consolidated Statement of Cash Flows
    Statement: cash flow statement, statement of cash flows

so full-text and vector search match questions that name them. The document line is
written once, on the document's first chunk; the other chunks carry only the title, to
keep the embedded text for the chunk. The profile itself is stored as columns
(`ChunkStore.add_chunks(profile=...)`) and read from there; only the page's statement is
read back from the text (`read_context`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from knowledge.chunking import Chunk
from knowledge.documents import Page, ParsedDocument
from knowledge.retrieval.pages import page_context
from knowledge.retrieval.profile import DocumentProfile, header_line, profile_document
from knowledge.retrieval.statements import SYNONYMS, Statement

_SEPARATORS = re.compile(r"[_\-.]+")
PAGE_PREFIX = "Page: "
STATEMENT_PREFIX = "Statement: "


def document_title(filename: str) -> str:
    """`3M_2018_10K.pdf` -> `3M 2018 10K`: the words a question uses for the document."""
    return _SEPARATORS.sub(" ", PurePath(filename).stem).strip()


def document_profile(filename: str, parsed: ParsedDocument) -> DocumentProfile:
    """The profile of a parsed document uploaded as `filename` (stored beside its chunks)."""
    return profile_document(document_title(filename), [p.text for p in parsed.pages])


def search_texts(
    profile: DocumentProfile, parsed: ParsedDocument, chunks: Sequence[Chunk]
) -> list[str]:
    """One indexed text per chunk: document header, page context, then the chunk text."""
    header = header_line(profile)
    contexts = {
        page.number: _context_lines(page) for page in parsed.pages if not parsed.doc_type.is_ledger
    }
    texts = []
    started: set[int] = set()
    for chunk in chunks:
        parts = [header if chunk.index == 0 else profile.title]
        if chunk.label:
            parts.append(chunk.label)
        heading, statement = contexts.get(chunk.page, (None, None))
        if heading and chunk.page in started:  # the page's first chunk shows its heading
            parts.append(heading)
        if statement:
            parts.append(statement)
        started.add(chunk.page)
        parts.append(chunk.text)
        texts.append("\n".join(parts))
    return texts


def _context_lines(page: Page) -> tuple[str | None, str | None]:
    """The page's heading line and statement line (each None when there is none)."""
    context = page_context(page.text)
    heading = PAGE_PREFIX + context.heading if context.heading else None
    statement = None
    if context.statement is not None:
        statement = STATEMENT_PREFIX + SYNONYMS[context.statement]
    return heading, statement


@dataclass(frozen=True)
class IndexedContext:
    """The context `search_texts` put in front of a chunk, read back."""

    statement: Statement | None


def read_context(search_text: str) -> IndexedContext:
    """The page statement recorded in an indexed text."""
    lines = search_text.split("\n", 4)
    statement = None
    for line in lines[1:4]:
        if line.startswith(STATEMENT_PREFIX):
            statement = _statement_named(line[len(STATEMENT_PREFIX) :])
            break
    return IndexedContext(statement=statement)


def _statement_named(synonyms: str) -> Statement | None:
    for statement, listed in SYNONYMS.items():
        if synonyms == listed:
            return statement
    return None
