"""What a finished analysis leaves in the chat: report files, a chart, a findings table."""

from __future__ import annotations

import logging
import mimetypes
from collections import Counter
from pathlib import Path
from typing import Any

import chainlit as cl
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tools.agent_tools.models import ComplianceResult, RiskResult

logger = logging.getLogger(__name__)

SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_COLOURS = ("#8b1e3f", "#d1495b", "#edae49", "#66a182")
RISK_CATEGORIES = ("financial", "regulatory", "operational", "reputational")
REPORT_TYPES = {".html": "text/html", ".pdf": "application/pdf", ".md": "text/markdown"}
MAX_TABLE_ROWS = 25
MAX_EVIDENCE = 90
MAX_NAME = 28


def report_files(paths: list[str], *, allowed_root: Path) -> list[cl.File]:
    """Download elements for the report files that exist inside the data dir."""
    root = allowed_root.resolve()
    files: list[cl.File] = []
    for raw in paths:
        path = Path(raw).resolve()
        if root not in path.parents or not path.is_file():
            logger.warning("report file outside the data dir or missing was not attached")
            continue
        mime = REPORT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        files.append(cl.File(name=path.name, path=str(path), mime=mime, display="inline"))
    return files


def findings_chart(compliance: list[ComplianceResult], risk: list[RiskResult]) -> cl.Plotly | None:
    """Findings by severity beside risk by category (the worst document per category)."""
    if not compliance and not risk:
        return None
    counts: Counter[str] = Counter(str(f.severity) for r in compliance for f in r.findings)
    worst = {c: max((r.breakdown.get(c, 0) for r in risk), default=0) for c in RISK_CATEGORIES}
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("Findings by severity", "Risk by category (0-100)")
    )
    figure.add_trace(
        go.Bar(
            x=list(SEVERITIES),
            y=[counts.get(s, 0) for s in SEVERITIES],
            marker_color=list(SEVERITY_COLOURS),
            name="findings",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            x=list(RISK_CATEGORIES),
            y=[worst[c] for c in RISK_CATEGORIES],
            marker_color="#30638e",
            name="risk",
        ),
        row=1,
        col=2,
    )
    figure.update_yaxes(range=[0, 100], row=1, col=2)
    figure.update_layout(showlegend=False, height=360, margin={"t": 40, "b": 30})
    return cl.Plotly(name="findings and risk", figure=figure, display="inline")


def artifact_chart(name: str, data: dict[str, Any]) -> cl.Plotly | None:
    """A chart the team sent as data ({"type": "bar"|"pie", "labels": [...], "values": [...]})."""
    labels = [str(label) for label in data.get("labels") or []]
    values = data.get("values") or []
    if not labels or len(labels) != len(values):
        return None
    if data.get("type") == "pie":
        trace: go.Bar | go.Pie = go.Pie(labels=labels, values=values, hole=0.4)
    else:
        trace = go.Bar(x=labels, y=values, marker_color="#30638e")
    figure = go.Figure(trace)
    figure.update_layout(title=name, height=340, margin={"t": 50, "b": 30}, showlegend=False)
    return cl.Plotly(name=name, figure=figure, display="inline")


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
