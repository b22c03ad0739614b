"""Quotes checked against the page they cite: a language model may misquote or invent.

A quote is `“…” (file name, p. N)` (or rows of a ledger, `(file, rows a-b)`); it stands
only if its words appear, exactly and in order, on that page of that document (white
space aside: PDF lines break anywhere). A quote that does not is removed, and the answer
says how many were removed, so the analyst never reads an unverified quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import KnowledgeError
from knowledge.library import KnowledgeBase

_QUOTE = re.compile(
    r"[“\"](?P<quote>[^”\"]{4,2000}?)[”\"]\s*\((?P<file>[^(),]+?),\s*p\.\s*(?P<page>\d{1,5})\)"
)
REMOVED = "[quote removed: not found on the cited page]"


@dataclass(frozen=True)
class CheckedText:
    text: str
    checked: int
    removed: int


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


async def verify_quotes(text: str, *, knowledge: KnowledgeBase, owner: str) -> CheckedText:
    """`text` with every quote that is not on its cited page removed, and a note saying so."""
    matches = list(_QUOTE.finditer(text))
    if not matches:
        return CheckedText(text, 0, 0)
    documents = {d.filename: d.document_id for d in await knowledge.list_documents(owner=owner)}
    pages: dict[tuple[str, int], str] = {}
    removed = 0
    for match in reversed(matches):
        page_text = await _page(knowledge, owner, documents, match, pages)
        if page_text is not None and _flat(match.group("quote")) in page_text:
            continue
        text = text[: match.start()] + REMOVED + text[match.end() :]
        removed += 1
    if removed:
        noun = "quote was" if removed == 1 else "quotes were"
        text += (
            f"\n\n⚠ {removed} {noun} not found word for word on the cited page and "
            "removed: check the passage in the document before relying on it."
        )
    return CheckedText(text, len(matches), removed)


async def _page(
    knowledge: KnowledgeBase,
    owner: str,
    documents: dict[str, str],
    match: re.Match[str],
    pages: dict[tuple[str, int], str],
) -> str | None:
    document_id = documents.get(match.group("file").strip().strip("*"))
    if document_id is None:
        return None
    number = int(match.group("page"))
    if (document_id, number) not in pages:
        try:
            parsed = await knowledge.load_document(document_id, owner=owner)
        except KnowledgeError:
            return None
        for page in parsed.pages:
            pages[(document_id, page.number)] = _flat(page.text)
    return pages.get((document_id, number))
