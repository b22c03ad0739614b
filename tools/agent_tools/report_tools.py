"""Agent tool of the reporter: the compliance and risk report, as files and Markdown."""

from __future__ import annotations

from tools.agent_tools.analysis import analysis_of, current_rulebook
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import document_ref, resolve_documents
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.agent_tools.models import Artifact, DocumentRef, ReportedDocument, ReportResult
from tools.analysis import report_of
from tools.reports import DocumentReport, ReportData, render_markdown, write_reports

TOP_FINDINGS = 3

MAX_MARKDOWN_CHARS = 8000
_MIME = {".md": "text/markdown", ".html": "text/html", ".pdf": "application/pdf"}


@agent_tool
async def build_report(
    deps: ToolDeps, documents: list[str] | None = None, title: str | None = None
) -> ReportResult:
    """Write the compliance and risk report (Markdown, HTML and PDF) for the given documents.

    documents: ids or file names (omit for every document in the library).
    Returns the headline, the recommended actions, the report files and its Markdown.
    """
    infos = await resolve_documents(deps, documents)
    if not infos:
        raise ToolArgumentError("no documents to report on: attach a file first")
    analyses = [await analysis_of(deps, info) for info in infos]
    report = report_of(
        analyses,
        rulebook=await current_rulebook(deps),
        title=title,
        knowledge_version=str(await deps.knowledge.version()),
    )
    paths = await deps.knowledge.workers.run(write_reports, report, deps.reports_dir)
    markdown = render_markdown(report)
    _record_artifacts(deps, report, [str(p) for p in paths])
    return ReportResult(
        title=report.title,
        headline=report.summary.headline,
        documents=[
            _reported(document_ref(info), document)
            for info, document in zip(infos, report.documents, strict=True)
        ],
        files=[str(p) for p in paths],
        markdown=markdown[:MAX_MARKDOWN_CHARS],
        actions=report.summary.actions,
    )


def _reported(ref: DocumentRef, document: DocumentReport) -> ReportedDocument:
    return ReportedDocument(
        document=ref,
        compliance_score=document.compliance.score,
        compliance_status=document.compliance.status,
        risk_score=document.risk.score,
        risk_level=document.risk.level,
        finding_count=len(document.compliance.findings),
        top_findings=document.findings[:TOP_FINDINGS],
    )


def _record_artifacts(deps: ToolDeps, report: ReportData, paths: list[str]) -> None:
    """Report files and the chart data the UI draws, kept for the run's artifacts."""
    for path in paths:
        suffix = path[path.rfind(".") :]
        deps.memo.artifacts.append(
            Artifact(kind="report", name=path.rsplit("/", 1)[-1], path=path, mime=_MIME.get(suffix))
        )
    counts = report.summary.severity_counts
    deps.memo.artifacts.append(
        Artifact(
            kind="chart",
            name="Findings by severity",
            data={"type": "bar", "labels": list(counts), "values": list(counts.values())},
        )
    )
    for document in report.documents:
        breakdown = document.risk.breakdown
        deps.memo.artifacts.append(
            Artifact(
                kind="chart",
                name=f"Risk by category: {document.filename}",
                data={
                    "type": "bar",
                    "labels": list(breakdown),
                    "values": list(breakdown.values()),
                    "document_id": document.document_id,
                },
            )
        )
