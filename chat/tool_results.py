"""Reading the team's tool results: what to cite, and what to show when the run ends.

Tool results reach the UI as JSON text (the tools return pydantic models). They are
recognised by shape, not by tool name, so a renamed tool still shows its evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from chat.citations import Citation, parse_rows
from tools.agent_tools.models import (
    ComplianceResult,
    FindingsResult,
    ReportResult,
    RiskResult,
    SearchResults,
)
from tools.models import Finding


@dataclass
class RunResults:
    """Everything worth showing that the tools produced during one run."""

    compliance: dict[str, ComplianceResult] = field(default_factory=dict)
    risk: dict[str, RiskResult] = field(default_factory=dict)
    report: ReportResult | None = None
    report_paths: list[str] = field(default_factory=list)
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def has_analysis(self) -> bool:
        return bool(self.compliance or self.risk or self.report or self.report_paths)

    def add_report_file(self, path: str) -> None:
        if path not in self.report_paths:
            self.report_paths.append(path)


def parse_json(content: str) -> Any:
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return None


def _as(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def absorb(content: str, results: RunResults) -> list[Citation]:
    """Record analysis results found in one tool result; return the citations it carries."""
    data = parse_json(content)
    items = data if isinstance(data, list) else [data]
    citations: list[Citation] = []
    for item in items:
        citations.extend(_absorb_one(item, results))
    return citations


def _absorb_one(data: Any, results: RunResults) -> list[Citation]:
    if not isinstance(data, dict):
        return []
    if "passages" in data and (found := _as(SearchResults, data)):
        return [_passage_citation(p) for p in found.passages]
    if "markdown" in data and "files" in data and (report := _as(ReportResult, data)):
        results.report = report
        for path in report.files:
            results.add_report_file(path)
        return [finding_citation(f) for d in report.documents for f in d.top_findings]
    if "breakdown" in data and (risk := _as(RiskResult, data)):
        results.risk[risk.document.document_id] = risk
        return []
    if "findings" in data and "document" in data and (checked := _as(ComplianceResult, data)):
        results.compliance[checked.document.document_id] = checked
        return [finding_citation(f) for f in checked.findings]
    if "documents" in data and (listed := _as(FindingsResult, data)):
        return [finding_citation(f) for d in listed.documents for f in d.findings]
    return []


def _passage_citation(passage: Any) -> Citation:
    start, end = parse_rows(passage.rows)
    return Citation(
        document_id=passage.document_id,
        filename=passage.filename,
        page=passage.page,
        quote=passage.text,
        row_start=start,
        row_end=end,
        ocr=passage.ocr,
        table_header=passage.table_header,
    )


def finding_citation(finding: Finding) -> Citation:
    return Citation(
        document_id=finding.document_id,
        filename=finding.filename or finding.document_id[:8],
        page=finding.page,
        quote=finding.evidence,
        row_start=finding.row,
        row_end=finding.row,
    )


def pretty(content: str, limit: int = 6000) -> str:
    """Tool input or output as indented JSON when it is JSON, shortened for the step."""
    data = parse_json(content)
    text = json.dumps(data, indent=2, ensure_ascii=False) if data is not None else content
    return text if len(text) <= limit else text[: limit - 1] + "…"
