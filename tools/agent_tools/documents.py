"""Which document an agent means: an id, an id prefix, or words of its file name.

Models (and analysts) say "the Acme contract" or "doc 3f2a9c1b"; tools accept either and,
when the reference is ambiguous or unknown, answer with the documents that do exist so
the agent can retry with an exact id.
"""

from __future__ import annotations

import re

from knowledge.errors import DocumentNotFoundError
from knowledge.library import DocumentInfo
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.errors import ToolArgumentError
from tools.agent_tools.models import DocumentRef

_ID = re.compile(r"^(?:doc\s+)?([0-9a-f]{6,32})$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_NOISE = frozenset(
    {
        "the",
        "a",
        "an",
        "doc",
        "document",
        "file",
        "this",
        "that",
        "my",
        "our",
        "on",
        "of",
        "pdf",
        "csv",
        "xlsx",
        "docx",
        "txt",
        "md",
    }
)


def document_ref(info: DocumentInfo) -> DocumentRef:
    return DocumentRef(
        document_id=info.document_id,
        filename=info.filename,
        type=info.type,
        pages=info.pages,
        chunks=info.chunks,
    )


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _NOISE}


def _catalogue(documents: list[DocumentInfo], limit: int = 8) -> str:
    if not documents:
        return "the library is empty: attach a file first"
    names = ", ".join(document_ref(d).label for d in documents[-limit:])
    return f"documents: {names}"


async def resolve_document(deps: ToolDeps, reference: str) -> DocumentInfo:
    """The one document `reference` names, or an error listing what exists."""
    reference = reference.strip()
    if not reference:
        raise ToolArgumentError("document is empty: pass a document id or file name")
    match = _ID.match(reference)
    if match:
        try:
            return await deps.knowledge.get_document(match.group(1).lower(), owner=deps.owner)
        except DocumentNotFoundError:
            pass
    documents = await deps.knowledge.list_documents(owner=deps.owner)
    exact = [d for d in documents if d.filename.lower() == reference.lower()]
    if len(exact) == 1:
        return exact[0]
    wanted = _words(reference)
    scored = sorted(
        ((len(wanted & _words(d.filename)), d) for d in documents),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    if scored and scored[0][0] > 0:
        tied = [d for score, d in scored if score == scored[0][0]]
        raise ToolArgumentError(
            f"{reference!r} matches several documents ({_catalogue(tied)}); pass one id"
        )
    raise ToolArgumentError(f"no document matches {reference!r}; {_catalogue(documents)}")


async def resolve_documents(deps: ToolDeps, references: list[str] | None) -> list[DocumentInfo]:
    """Each referenced document once, in order; all documents when no reference is given."""
    if not references:
        return await deps.knowledge.list_documents(owner=deps.owner)
    found: dict[str, DocumentInfo] = {}
    for reference in references:
        info = await resolve_document(deps, reference)
        found.setdefault(info.document_id, info)
    return list(found.values())
