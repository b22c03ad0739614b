"""What a finished analysis shows: report files from the data dir only, a chart, a table."""

from __future__ import annotations

from pathlib import Path

from chainlit.context import init_http_context

from chat.results import findings_chart, findings_table, report_files
from tools.agent_tools.models import ComplianceResult, DocumentRef, RiskResult
from tools.models import Finding

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


def test_the_table_is_worst_first_escaped_and_short() -> None:
    checked = ComplianceResult(
        document=DOC,
        score=40,
        status="non-compliant",
        findings=[
            finding("low", "fine print", page=2),
            finding("critical", "<b>cash</b> | 9,900 " + "x" * 200, row=7),
        ],
    )
    table = findings_table([checked])
    lines = table.splitlines()
    assert lines[0] == "| severity | finding | where | evidence |"
    assert lines[2].startswith("| critical | critical rule | ledger\\.csv, row 7 | &lt;b")
    assert "<b>" not in table and "…" in lines[2]
    assert lines[3].startswith("| low | low rule | ledger\\.csv, p\\.2 |")
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
