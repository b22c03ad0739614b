"""Compliance and risk of one document, computed once per run and shared by the tools.

The compliance agent checks a document, the risk agent scores it and the reporter writes
it up, in one run: the run's memo keeps each result so the later steps reuse it rather
than re-reading the document.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from knowledge.library import DocumentInfo
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.rules import RulebookStore
from tools.compliance import Rulebook, check_document, score_compliance
from tools.models import ComplianceAssessment, RiskAssessment
from tools.risk import assess_risk, risk_context_from_ledger


def rulebook_store(deps: ToolDeps) -> RulebookStore:
    return deps.rulebooks


async def current_rulebook(deps: ToolDeps) -> Rulebook:
    return await rulebook_store(deps).current(owner=deps.owner)


async def compliance_of(deps: ToolDeps, info: DocumentInfo) -> ComplianceAssessment:
    """The document checked against the owner's current rulebook (memoised for the run)."""
    cached = deps.memo.compliance.get(info.document_id)
    if cached is not None:
        return cached
    rulebook = await current_rulebook(deps)
    parsed = await deps.knowledge.load_document(info.document_id, owner=deps.owner)
    findings = await asyncio.to_thread(
        check_document,
        parsed,
        document_id=info.document_id,
        filename=info.filename,
        rules=rulebook.enabled_rules,
    )
    assessment = score_compliance(
        info.document_id,
        findings,
        filename=info.filename,
        rulebook_version=rulebook.version,
        knowledge_version=str(await deps.knowledge.version()),
        analysed_at=datetime.now(UTC),
    )
    deps.memo.compliance[info.document_id] = assessment
    return assessment


async def risk_of(deps: ToolDeps, info: DocumentInfo) -> RiskAssessment:
    """The document's risk from its findings and the money in the ledger rows they cite."""
    cached = deps.memo.risk.get(info.document_id)
    if cached is not None:
        return cached
    compliance = await compliance_of(deps, info)
    parsed = await deps.knowledge.load_document(info.document_id, owner=deps.owner)
    context = risk_context_from_ledger(compliance.findings, parsed.rows) if parsed.rows else None
    assessment = assess_risk(info.document_id, compliance.findings, context=context)
    deps.memo.risk[info.document_id] = assessment
    return assessment
