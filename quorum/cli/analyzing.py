"""What `quorum analyze PATH...` does: ingest, check, score, save and report each file.

Each file is ingested (a file already in the knowledge base is analysed as it is), checked
against the enabled rules, scored for compliance and risk by `tools.analysis` (as the
agents do), the analysis saved in SQL, and its report written as Markdown, HTML and PDF.
A file that fails is reported on its own line and the others still go through.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from agents.errors import TeamError
from agents.rulebooks import shared_rulebooks
from knowledge.errors import KnowledgeError
from knowledge.ingest import IngestProgress, IngestResult
from knowledge.library import KnowledgeBase
from quorum.cli.running import USAGE_ERROR, emit_json, fail, run
from quorum.services import open_knowledge
from tools.analysis import DocumentAnalysis, analyze_document, report_of
from tools.compliance import Rulebook
from tools.errors import ToolError
from tools.models import Finding
from tools.reports import report_stem, write_reports
from tools.review.approval import with_signoff
from tools.review.review import decision_json

if TYPE_CHECKING:  # pydantic-settings is slow to import: `--help` never needs it
    from quorum.settings import Settings

logger = logging.getLogger(__name__)

EVIDENCE_CHARS = 100


@dataclass
class AnalyzedFile:
    """One input file: how it was ingested and, unless it failed, its analysis and reports."""

    ingested: IngestResult
    analysis: DocumentAnalysis | None = None
    reports: list[Path] = field(default_factory=list)
    error: str | None = None


@dataclass
class AnalyzeRun:
    rulebook: Rulebook
    files: list[AnalyzedFile]


async def _print_progress(event: IngestProgress) -> None:
    if event.stage in ("parsing", "ready"):
        typer.echo(f"  {event.filename}: {event.stage}", err=True)


async def analyze_file(
    knowledge: KnowledgeBase,
    ingested: IngestResult,
    *,
    owner: str,
    rulebook: Rulebook,
    report_dir: Path,
) -> AnalyzedFile:
    """Analyse one ingested file and write its report; any failure becomes its one line."""
    name = ingested.filename
    if ingested.status == "error" or ingested.document_id is None:
        return AnalyzedFile(ingested, error=ingested.error or f"{name}: could not be read")
    try:
        analysis = await analyze_document(
            knowledge, ingested.document_id, owner=owner, rulebook=rulebook
        )
        report = await with_signoff(
            knowledge, report_of([analysis], rulebook=rulebook), owner=owner
        )
        stem = f"{report_stem(report)}-{analysis.info.document_id[:8]}"
        paths = await asyncio.to_thread(write_reports, report, report_dir, stem=stem)
    except (KnowledgeError, ToolError) as error:
        return AnalyzedFile(ingested, error=f"{name}: {error}")
    except OSError as error:
        return AnalyzedFile(
            ingested,
            error=f"{name}: analysed, but the report could not be written to {report_dir} "
            f"({error.strerror or error}); choose another --report-dir",
        )
    except Exception as error:
        logger.info("analysis of %s failed", name, exc_info=True)
        return AnalyzedFile(
            ingested,
            error=f"{name}: analysis failed ({type(error).__name__}); run with -v for details",
        )
    return AnalyzedFile(ingested, analysis=analysis, reports=paths)


async def analyze_paths(
    settings: Settings, paths: list[Path], report_dir: Path, *, progress: bool
) -> AnalyzeRun | TeamError:
    """Ingest the files, then analyse each one with the rules enabled now."""
    knowledge = await open_knowledge(settings)
    try:
        owner = settings.local_user
        try:
            rulebook = await shared_rulebooks(knowledge, settings.rulebook).current(owner=owner)
        except TeamError as error:
            return error
        results = await knowledge.ingest(
            paths, owner=owner, on_progress=_print_progress if progress else None
        )
        files = [  # an e-mail's attachments are analysed with it, each as its own document
            await analyze_file(
                knowledge, result, owner=owner, rulebook=rulebook, report_dir=report_dir
            )
            for ingested in results
            for result in ingested.with_attachments()
        ]
        return AnalyzeRun(rulebook=rulebook, files=files)
    finally:
        await knowledge.close()


def finding_json(finding: Finding) -> dict[str, Any]:
    return finding.model_dump(
        include={
            "rule_id", "category", "severity", "page", "sheet", "row", "evidence", "title",
            "recommendation", "regulation", "source", "reading", "disputed",
        }
    )  # fmt: skip


def _findings_json(analysis: DocumentAnalysis) -> list[dict[str, Any]]:
    """Each finding with its id and the decision that applies to it (None: not decided)."""
    review = analysis.review
    if review is None:
        return [finding_json(f) | {"finding_id": None, "decision": None}
                for f in analysis.compliance.findings]  # fmt: skip
    return [
        finding_json(item.finding)
        | {"finding_id": item.finding_id, "number": item.number, "decision": decision_json(item)}
        for item in review.findings
    ]


def _reviewed_json(analysis: DocumentAnalysis) -> dict[str, Any] | None:
    """The compliance score after the analyst's decisions (carried over from earlier)."""
    review = analysis.review
    if review is None:
        return None
    return {"score": review.compliance_after, "status": review.status_after,
            "decided": review.decided, "dismissed": review.dismissed,
            "carried_over": review.carried_over}  # fmt: skip


def analyzed_json(item: AnalyzedFile) -> dict[str, Any]:
    """One file as DESIGN.md §7 prints it (plus the type, pages and analysis id)."""
    ingested = item.ingested
    entry: dict[str, Any] = {
        "document_id": ingested.document_id,
        "filename": ingested.filename,
        "status": "error" if item.analysis is None else ingested.status,
        "error": item.error,
        "attached_to": ingested.attached_to,
    }
    analysis = item.analysis
    if analysis is None:
        return entry
    compliance, risk = analysis.compliance, analysis.risk
    entry |= {
        "type": analysis.info.type,
        "pages": analysis.info.pages,
        "analysis_id": analysis.analysis_id,
        "compliance": {
            "score": compliance.score,
            "status": compliance.status,
            "findings": _findings_json(analysis),
            "reviewed": _reviewed_json(analysis),
            "checks": compliance.check_counts(),
            "not_checked": [
                {"rule_id": c.rule_id, "category": c.category, "reason": c.reason}
                for c in compliance.not_checked
            ],
            "outcomes": [
                c.model_dump(include={"rule_id", "category", "outcome", "reason", "findings"})
                for c in compliance.checks
            ],
            "model_reader": compliance.model_reader,
            "rulebook_version": compliance.rulebook_version,
            "knowledge_version": compliance.knowledge_version,
            "analysed_at": compliance.analysed_at.isoformat() if compliance.analysed_at else None,
        },
        "risk": {
            "score": risk.score,
            "level": risk.level,
            "breakdown": risk.breakdown,
            "reviewed_score": analysis.review.risk_after if analysis.review else None,
        },
        "reports": [str(path) for path in item.reports],
    }
    return entry


def where(finding: Finding) -> str:
    """The finding's place: a page, or a sheet and row."""
    if finding.page is not None:
        return f"p. {finding.page}"
    if finding.row is not None:
        return f"{finding.sheet} row {finding.row}" if finding.sheet else f"row {finding.row}"
    return finding.sheet or ""


def print_summary(item: AnalyzedFile) -> None:
    """A few readable lines per file: scores, each finding with its place, the reports."""
    analysis = item.analysis
    if analysis is None:
        typer.echo(f"✗ {item.error}")
        return
    compliance, risk = analysis.compliance, analysis.risk
    count = len(compliance.findings)
    status: str = item.ingested.status
    if analysis.info.filename != item.ingested.filename:
        status = f"{status} of {analysis.info.filename}"
    typer.echo(
        f"✓ {item.ingested.filename} ({analysis.info.document_id[:8]}, {status}): "
        f"compliance {compliance.score}/100 {compliance.status}, "
        f"risk {risk.score}/100 {risk.level}, {count} finding{'' if count == 1 else 's'}"
    )
    if compliance.checks:
        typer.echo(f"    {compliance.checks_summary()}")
    review = analysis.review
    if review is not None and review.decided:
        carried = f", {review.carried_over} carried over" if review.carried_over else ""
        typer.echo(f"    after review ({review.decided} decided{carried}): {review.score_line()}")
    for finding in compliance.findings:
        evidence = " ".join(finding.evidence.split())
        if len(evidence) > EVIDENCE_CHARS:
            evidence = evidence[: EVIDENCE_CHARS - 1] + "…"
        place = where(finding)
        typer.echo(f"    {finding.severity:<8} {finding.category:<34} {place:<14} {evidence}")
    for path in item.reports:
        typer.echo(f"    report: {path}")


def analyze_command(
    settings: Settings, paths: list[Path], *, json_output: bool, report_dir: Path | None
) -> None:
    """`quorum analyze` (declared in `analyze_commands`, which imports this when it runs)."""
    out_dir = report_dir or settings.data_dir / "reports"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{out_dir}: cannot create it ({error.strerror}); choose another --report-dir",
             USAGE_ERROR)  # fmt: skip
    outcome = run(lambda: analyze_paths(settings, paths, out_dir, progress=not json_output))
    if isinstance(outcome, TeamError):
        fail(str(outcome))
    assert isinstance(outcome, AnalyzeRun)
    if json_output:
        emit_json(
            {
                "rulebook": {"name": outcome.rulebook.name, "version": outcome.rulebook.version},
                "documents": [analyzed_json(item) for item in outcome.files],
            }
        )
    else:
        for item in outcome.files:
            print_summary(item)
    if outcome.files and all(item.analysis is None for item in outcome.files):
        raise typer.Exit(1)
