"""What a finished analysis shows: report files from the data dir only, a chart, a table."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from chainlit.context import init_http_context

from chat.results import findings_chart, report_files
from chat.review_view import findings_table, score_lines
from tools.agent_tools.models import ComplianceResult, DocumentRef, RiskResult
from tools.models import Finding
from tools.review.decisions import Decision
from tools.review.review import DocumentReview, ReviewedFinding

DOC = DocumentRef(document_id="d" * 32, filename="ledger.csv", type="csv")


def finding(severity: str, evidence: str, **where: object) -> Finding:
    return Finding(
        rule_id=f"r.{severity}",
        category="aml",
        severity=severity,
        document_id="d" * 32,
        filename="ledger.csv",
        evidence=evidence,
        title=f"{severity} rule",
        recommendation="Act.",
        regulation="BSA",
        **where,
    )


async def test_only_existing_files_inside_the_data_dir_are_offered(tmp_path: Path) -> None:
    init_http_context()
    inside = tmp_path / "data" / "reports" / "r.html"
    inside.parent.mkdir(parents=True)
    inside.write_text("<h1>r</h1>")
    outside = tmp_path / "elsewhere.html"
    outside.write_text("x")
    files = report_files(
        [str(inside), str(outside), str(tmp_path / "data" / "gone.pdf")],
        allowed_root=tmp_path / "data",
    )
    assert [(f.name, f.mime) for f in files] == [("r.html", "text/html")]


def test_the_table_numbers_findings_escapes_them_and_shows_decisions() -> None:
    critical = finding("critical", "<b>cash</b> | 9,900 " + "x" * 200, row=7)
    decision = Decision(
        decision_id=1, decision="dismissed", reason="remediated", decided_by="alice",
        decided_at=datetime(2026, 1, 5, tzinfo=UTC), finding_id=11, carried_over=True,
    )  # fmt: skip
    review = DocumentReview(
        document_id="d" * 32, filename="ledger.csv", analysis_id="a" * 32,
        analysed_at=datetime(2026, 1, 6, tzinfo=UTC),
        findings=[
            ReviewedFinding(finding_id=12, number=1, finding=critical, decision=decision),
            ReviewedFinding(finding_id=13, number=2, finding=finding("low", "fine print", page=2)),
        ],
        compliance_before=40, status_before="non-compliant", compliance_after=95,
        status_after="compliant", risk_before=80, level_before="high", risk_after=10,
        level_after="low",
    )  # fmt: skip
    lines = findings_table([review]).splitlines()
    assert lines[0] == "| \\# | severity | finding | where | evidence | decision |"
    assert lines[2].startswith("| 1 | critical | critical rule | ledger\\.csv, row 7 | &lt;b")
    assert "<b>" not in lines[2] and "…" in lines[2]
    assert "dismissed by alice: remediated \\(carried over\\)" in lines[2]
    assert lines[3].startswith("| 2 | low | low rule | ledger\\.csv, p\\.2 |")
    assert lines[3].endswith("| open |")
    assert "compliance 40 → 95 after review, risk 80 → 10" in score_lines([review])
    assert findings_table([]) == "No findings: every checked rule was met."


async def test_the_chart_counts_severities_and_takes_the_worst_risk_per_category() -> None:
    init_http_context()
    checked = ComplianceResult(
        document=DOC,
        score=40,
        status="non-compliant",
        findings=[finding("high", "a"), finding("high", "b")],
    )
    risks = [
        RiskResult(document=DOC, score=50, level="medium", breakdown={"financial": 30}),
        RiskResult(document=DOC, score=70, level="high", breakdown={"financial": 80}),
    ]
    chart = findings_chart([checked], risks)
    assert chart is not None and chart.type == "plotly"
    severity, risk = chart.figure.data
    assert list(severity.y) == [0, 2, 0, 0]
    assert list(risk.y) == [80, 0, 0, 0]
    assert findings_chart([], []) is None
