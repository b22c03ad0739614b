"""Presentation shared by the Markdown, HTML and PDF renderers.

One place decides colours, citations, dates and chart values, so the three formats of
one report say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tools.models import RISK_WEIGHTS, Finding
from tools.reports.data import SEVERITY_ORDER, DocumentReport, ReportData, severity_counts

SEVERITY_COLOURS = {
    "critical": "#8E1B1B",
    "high": "#C2410C",
    "medium": "#B7791F",
    "low": "#3F6E9A",
}
STATUS_COLOURS = {
    "compliant": "#2F6B47",
    "needs attention": "#B7791F",
    "non-compliant": "#8E1B1B",
    "not fully checked": "#6B5B95",
}
LEVEL_COLOURS = {"high": "#8E1B1B", "medium": "#B7791F", "low": "#2F6B47"}
RISK_ORDER = ("regulatory", "financial", "operational", "reputational")


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart; `fraction` of the full width, 0..1."""

    label: str
    value: int
    fraction: float
    colour: str
    weight: float | None = None


def citation(finding: Finding, filename: str) -> str:
    """Where a reader finds the evidence: file, then page or sheet and row."""
    name = finding.filename or filename
    if finding.sheet or (finding.row is not None and finding.page is None):
        parts = [name]
        if finding.sheet:
            parts.append(f"sheet {finding.sheet}")
        if finding.row is not None:
            parts.append(f"row {finding.row}")
        return ", ".join(parts)
    if finding.page is not None:
        return f"{name}, p. {finding.page}"
    return name


def format_timestamp(moment: datetime) -> str:
    """'14 March 2025, 09:30 UTC' (naive datetimes are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return f"{utc.day} {utc:%B %Y, %H:%M} UTC"


def level_colour(score: int) -> str:
    if score >= 70:
        return LEVEL_COLOURS["high"]
    if score >= 40:
        return LEVEL_COLOURS["medium"]
    return LEVEL_COLOURS["low"]


def severity_bars(report: ReportData) -> list[Bar]:
    """Findings by severity over every document, scaled to the largest count."""
    findings = [f for d in report.documents for f in d.compliance.findings]
    counts = severity_counts(findings)
    top = max(counts.values(), default=0) or 1
    return [
        Bar(
            label=s.capitalize(),
            value=counts[s],
            fraction=counts[s] / top,
            colour=SEVERITY_COLOURS[s],
        )
        for s in SEVERITY_ORDER
    ]


def category_bars(document: DocumentReport) -> list[Bar]:
    """One document's four risk categories on the 0-100 scale."""
    scores = document.risk.breakdown
    return [
        Bar(
            label=c.capitalize(),
            value=scores.get(c, 0),
            fraction=scores.get(c, 0) / 100,
            colour=level_colour(scores.get(c, 0)),
            weight=RISK_WEIGHTS[c],
        )
        for c in RISK_ORDER
    ]


def portfolio_category_bars(report: ReportData) -> list[Bar]:
    """Highest score of each risk category across the documents (the worst exposure)."""
    bars = []
    for category in RISK_ORDER:
        score = max((d.risk.breakdown.get(category, 0) for d in report.documents), default=0)
        bars.append(
            Bar(
                label=category.capitalize(),
                value=score,
                fraction=score / 100,
                colour=level_colour(score),
                weight=RISK_WEIGHTS[category],
            )
        )
    return bars


def text_bar(fraction: float, width: int = 20) -> str:
    """A bar of block characters for plain-text charts (eighths for the last cell)."""
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("" if rest == 0 else " ▏▎▍▌▋▊▉"[rest])
