"""Agent tools of the reporter: a document summarised from its structure, two documents
compared side by side; every point carries the page (or ledger row) it was read from."""

from __future__ import annotations

from tools.agent_tools.analysis import current_rulebook
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import document_ref, resolve_document
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.agent_tools.models import (
    Comparison,
    ComparisonRow,
    DocumentSummary,
    SummaryPoint,
)
from tools.summaries import summarise

MAX_COMPARED = 3


@agent_tool
async def summarise_document(deps: ToolDeps, document: str) -> DocumentSummary:
    """Summarise one document from its structure, each point quoted and cited.

    A filing: form, period, headline figures, risk and legal sections. A contract:
    parties, term, fees, the required clauses present (cited) and missing. A ledger:
    period, totals, counterparties, largest items. document: id or file name.
    """
    info = await resolve_document(deps, document)
    parsed = await deps.knowledge.load_document(info.document_id, owner=deps.owner)
    rulebook = await current_rulebook(deps)
    summary = summarise(parsed, title=info.filename, rules=rulebook.enabled_rules)
    return DocumentSummary(
        document=document_ref(info),
        kind=summary.kind,
        points=[
            SummaryPoint(topic=p.topic, text=p.text, page=p.page, row=p.row) for p in summary.points
        ],
        missing=summary.missing,
    )


@agent_tool
async def compare_documents(deps: ToolDeps, documents: list[str]) -> Comparison:
    """Compare two (or three) documents side by side: each topic's cited point per
    document, and what one has that another lacks. documents: ids or file names."""
    if not 2 <= len(documents) <= MAX_COMPARED:
        raise ToolArgumentError(
            f"pass 2 to {MAX_COMPARED} documents to compare, got {len(documents)}"
        )
    summaries = [await summarise_document(deps, reference) for reference in documents]
    refs = [s.document for s in summaries]
    if len({r.document_id for r in refs}) < len(refs):
        raise ToolArgumentError("the same document was named twice: name two different ones")
    topics: dict[str, None] = {}
    for summary in summaries:
        topics.update(dict.fromkeys(p.topic for p in summary.points))
        topics.update(dict.fromkeys(f"clause: {name}" for name in summary.missing))
    rows = []
    for topic in topics:
        cells = [next((p for p in s.points if p.topic == topic), None) for s in summaries]
        rows.append(ComparisonRow(topic=topic, points=cells, differs=_differs(cells)))
    return Comparison(documents=refs, kinds=[s.kind for s in summaries], rows=rows)


def _differs(cells: list[SummaryPoint | None]) -> bool:
    if any(cell is None for cell in cells):
        return True
    texts = {" ".join(cell.text.lower().split()) for cell in cells if cell is not None}
    return len(texts) > 1
