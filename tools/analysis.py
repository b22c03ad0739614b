"""One document analysed end to end: checked, scored, its risk assessed, the analysis saved.

`quorum analyze` and the agents' tools both call `analyze_document`, so a document scores
the same from the terminal and from the chat, and every analysis lands in SQL (findings,
rulebook and knowledge-base versions, time) whoever ran it.

    rulebook = await rulebooks.current(owner="local")
    analysis = await analyze_document(kb, document_id, owner="local", rulebook=rulebook)
    paths = write_reports(report_of([analysis], rulebook=rulebook), out_dir)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from knowledge.db.compliance_models import AnalysisRecord
from knowledge.library import DocumentInfo, KnowledgeBase
from tools.compliance import Rulebook, check_rules, score_compliance
from tools.compliance.second_reader import ModelReader, second_read
from tools.compliance.store import load_assessment, save_assessment
from tools.models import ComplianceAssessment, RiskAssessment
from tools.reports import DocumentReport, ReportData
from tools.review.review import DocumentReview, review_of_analysis
from tools.risk import assess_risk, risk_context_from_ledger

__all__ = ["DocumentAnalysis", "analyze_document", "report_of"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentAnalysis:
    """A document's compliance and risk, the id of the saved analysis, and its review.

    `review` numbers the saved findings, applies the analyst's earlier decisions on the
    same evidence (carried over) and gives the scores after them.
    """

    info: DocumentInfo
    compliance: ComplianceAssessment
    risk: RiskAssessment
    analysis_id: str | None = None
    review: DocumentReview | None = None

    @property
    def report(self) -> DocumentReport:
        """The document as a report shows it."""
        return DocumentReport(
            document_id=self.info.document_id,
            filename=self.info.filename,
            type=self.info.type,
            pages=self.info.pages,
            compliance=self.compliance,
            risk=self.risk,
            review=self.review,
        )


async def analyze_document(
    knowledge: KnowledgeBase,
    document_id: str,
    *,
    owner: str,
    rulebook: Rulebook,
    save: bool = True,
    reader: ModelReader | None = None,
) -> DocumentAnalysis:
    """Check the document against the rulebook's enabled rules, score it, save the analysis.

    With a `reader` (a language model), the model reads the document after the rules
    (tools.compliance.second_reader). The risk model weighs the money in the ledger rows
    the findings cite; the saved analysis records the rulebook's name and version and the
    knowledge-base version.
    """
    info = await knowledge.get_document(document_id, owner=owner)
    parsed = await knowledge.load_document(info.document_id, owner=owner)
    checked = await knowledge.workers.run(  # rule checks are CPU work: off the event loop
        check_rules,
        parsed,
        document_id=info.document_id,
        filename=info.filename,
        rules=rulebook.enabled_rules,
    )
    findings, model_reader = checked.findings, ""
    if reader is not None:
        reading = await second_read(
            parsed,
            findings,
            rules=rulebook.enabled_rules,
            reader=reader,
            document_id=info.document_id,
            filename=info.filename,
        )
        findings, model_reader = reading.findings, reading.summary
    compliance = score_compliance(
        info.document_id,
        findings,
        checks=checked.checks,
        model_reader=model_reader,
        filename=info.filename,
        rulebook_version=rulebook.version,
        knowledge_version=str(await knowledge.version()),
        analysed_at=datetime.now(UTC),
    )
    context = risk_context_from_ledger(findings, parsed.rows) if parsed.rows else None
    risk = assess_risk(info.document_id, findings, context=context)
    analysis_id, review = None, None
    if save:
        async with knowledge.database.sessions() as session:
            analysis_id = await save_assessment(
                session, compliance, rulebook=rulebook.name, owner=owner
            )
            await session.commit()
            # What is shown and reported is what was stored: the findings, their sources,
            # readings and disputes, and every rule's outcome, read back from SQL.
            stored = await load_assessment(session, analysis_id, filename=info.filename)
            assert stored is not None
            compliance = stored.model_copy(update={"analysed_at": compliance.analysed_at})
            record = await session.get(AnalysisRecord, analysis_id)
            assert record is not None
            review = await review_of_analysis(
                session, record, filename=info.filename, rows=parsed.rows
            )
        logger.info("analysis %s of %s saved", analysis_id, info.document_id)
    return DocumentAnalysis(
        info=info, compliance=compliance, risk=risk, analysis_id=analysis_id, review=review
    )


def report_of(
    analyses: Sequence[DocumentAnalysis],
    *,
    rulebook: Rulebook,
    title: str | None = None,
    knowledge_version: str | None = None,
) -> ReportData:
    """The report of these analyses; the knowledge-base version defaults to theirs (latest)."""
    if knowledge_version is None:
        versions = [a.compliance.knowledge_version for a in analyses]
        knowledge_version = max(versions, key=_as_number, default="")
    return ReportData(
        title=title or default_title(analyses),
        generated_at=datetime.now(UTC),
        documents=[analysis.report for analysis in analyses],
        rulebook_name=rulebook.name,
        rulebook_version=rulebook.version,
        knowledge_version=knowledge_version,
    )


def default_title(analyses: Sequence[DocumentAnalysis]) -> str:
    if len(analyses) == 1:
        return f"Compliance report: {analyses[0].info.filename}"
    return f"Compliance report: {len(analyses)} documents"


def _as_number(version: str) -> int:
    return int(version) if version.isdigit() else -1
