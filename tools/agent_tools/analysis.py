"""Compliance and risk of one document, computed once per run and shared by the tools.

The compliance agent checks a document, the risk agent scores it and the reporter writes
it up, in one run: the run's memo keeps each analysis (computed and saved by
`tools.analysis.analyze_document`, as `quorum analyze` does) so the later steps reuse it
rather than re-reading the document.
"""

from __future__ import annotations

from knowledge.library import DocumentInfo
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.rules import RulebookStore
from tools.analysis import DocumentAnalysis, analyze_document
from tools.compliance import Rulebook
from tools.models import ComplianceAssessment, RiskAssessment


def rulebook_store(deps: ToolDeps) -> RulebookStore:
    return deps.rulebooks


async def current_rulebook(deps: ToolDeps) -> Rulebook:
    return await rulebook_store(deps).current(owner=deps.owner)


async def analysis_of(deps: ToolDeps, info: DocumentInfo) -> DocumentAnalysis:
    """The document analysed with the current rulebook and saved (memoised for the run)."""
    cached = deps.memo.analyses.get(info.document_id)
    if cached is not None:
        return cached
    analysis = await analyze_document(
        deps.knowledge,
        info.document_id,
        owner=deps.owner,
        rulebook=await current_rulebook(deps),
        reader=deps.reader,
    )
    deps.memo.analyses[info.document_id] = analysis
    return analysis


async def compliance_of(deps: ToolDeps, info: DocumentInfo) -> ComplianceAssessment:
    """The document checked against the current rulebook."""
    return (await analysis_of(deps, info)).compliance


async def risk_of(deps: ToolDeps, info: DocumentInfo) -> RiskAssessment:
    """The document's risk from its findings and the money in the ledger rows they cite."""
    return (await analysis_of(deps, info)).risk
