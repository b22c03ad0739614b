"""What the indexes see for a chunk: its text with the context a reader would have.

A chunk of a statement page rarely says which company or which statement it belongs to;
the page heading and the document's name do. Prefixing them to the indexed text (not to
the cited text) lets both full-text and vector search match questions that name them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

from knowledge.chunking import Chunk
from knowledge.documents import ParsedDocument

_SEPARATORS = re.compile(r"[_\-.]+")


def document_title(filename: str) -> str:
    """`3M_2018_10K.pdf` -> `3M 2018 10K`: the words a question uses for the document."""
    return _SEPARATORS.sub(" ", PurePath(filename).stem).strip()


def search_texts(filename: str, parsed: ParsedDocument, chunks: Sequence[Chunk]) -> list[str]:
    """One indexed text per chunk: title, sheet name (ledgers), then the chunk text."""
    title = document_title(filename)
    texts = []
    for chunk in chunks:
        parts = [title]
        if chunk.label:
            parts.append(chunk.label)
        parts.append(chunk.text)
        texts.append("\n".join(parts))
    return texts
