"""Compliance and risk reports: Markdown for the chat, self-contained HTML and PDF to download.

Build a `ReportData` from the assessments, then call `render_markdown`, `render_html`,
`render_pdf`, or `write_reports` for all three at once.
"""

from __future__ import annotations

from tools.reports.data import DocumentReport, DocumentScore, ExecutiveSummary, ReportData
from tools.reports.pdf import render_pdf
from tools.reports.render import render_html, render_markdown, report_stem, write_reports

__all__ = [
    "DocumentReport",
    "DocumentScore",
    "ExecutiveSummary",
    "ReportData",
    "render_html",
    "render_markdown",
    "render_pdf",
    "report_stem",
    "write_reports",
]
