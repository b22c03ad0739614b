"""Markdown and HTML renderings of a report, and writing all three formats to disk."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from tools.reports import view
from tools.reports.data import ReportData
from tools.reports.pdf import render_pdf
from tools.reports.templating import html_environment, markdown_environment

logger = logging.getLogger(__name__)

_UNSAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def _context(report: ReportData) -> dict[str, Any]:
    return {
        "report": report,
        "severity_bars": view.severity_bars(report),
        "category_bars": view.portfolio_category_bars(report),
        "document_bars": [view.category_bars(d) for d in report.documents],
    }


def render_markdown(report: ReportData) -> str:
    """The report as GitHub-flavoured Markdown, for the chat (document text escaped)."""
    return markdown_environment().get_template("report.md.j2").render(_context(report))


def render_html(report: ReportData) -> str:
    """One self-contained HTML page: inline CSS and SVG, no scripts, no external assets."""
    return html_environment().get_template("report.html.j2").render(_context(report))


def _safe_stem(text: str) -> str:
    return _UNSAFE_STEM.sub("-", text.strip()).strip("-.")[:80]


def report_stem(report: ReportData) -> str:
    """A file name stem from the title and date that is safe on every file system."""
    title = _safe_stem(report.title.lower())[:60].rstrip("-.") or "report"
    return f"{title}-{report.generated_at:%Y%m%d-%H%M}"


def write_reports(report: ReportData, out_dir: Path, *, stem: str | None = None) -> list[Path]:
    """Write <stem>.md, .html and .pdf into out_dir (created if needed); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    base = (_safe_stem(stem) if stem else "") or report_stem(report)
    outputs = {
        ".md": render_markdown(report).encode("utf-8"),
        ".html": render_html(report).encode("utf-8"),
        ".pdf": render_pdf(report),
    }
    paths: list[Path] = []
    for suffix, content in outputs.items():
        path = out_dir / f"{base}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    logger.info("wrote %d report files to %s", len(paths), out_dir)
    return paths
