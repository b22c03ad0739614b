"""Reports as a reader gets them: every finding cited and quoted, hostile text inert, real PDF."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markupsafe import escape
from pypdf import PdfReader

from tools.models import SEVERITY_WEIGHTS, ComplianceAssessment, Finding
from tools.reports import (
    DocumentReport,
    ReportData,
    render_html,
    render_markdown,
    render_pdf,
    write_reports,
)
from tools.reports.pdf_fonts import FontChoice, to_latin1
from tools.reports.view import citation
from tools.risk import assess_risk

# A realistic report: several documents, every severity, long and hostile evidence, and
# text outside Latin-1 ("€", "—").

HOSTILE_EVIDENCE = "<script>alert('x')</script> | `rm -rf` | **bold** [link](http://evil.example)"
LONG_EVIDENCE = (
    "The Company has incurred recurring losses from operations, has a net capital deficiency "
    "of €41.7 million as at 30 June 2024 and its revolving credit facility matures in "
    "February 2025 — these conditions raise substantial doubt about the Company's ability "
    "to continue as a going concern within one year after the date that the financial "
    "statements are issued."
)


REGULATIONS = {
    "critical": "31 U.S.C. 5324",
    "high": "31 CFR 1010.230",
    "medium": "FINRA Rule 2210(d)(1)(A)",
    "low": "Contracting policy §4",
}


def finding(
    doc: str, filename: str, rule: str, category: str, severity: str, evidence: str, **where: object
) -> Finding:
    return Finding(
        rule_id=rule,
        category=category,
        severity=severity,
        document_id=doc,
        filename=filename,
        evidence=evidence,
        title=category.split(".", 1)[1].replace("_", " ").capitalize(),
        recommendation=f"Escalate {category} to the compliance officer and document the outcome.",
        regulation=REGULATIONS[severity],
        **where,
    )


def compliance(doc: str, filename: str, findings: list[Finding]) -> ComplianceAssessment:
    score = max(0, 100 - 5 * sum(SEVERITY_WEIGHTS[f.severity] for f in findings))
    status = "compliant" if score >= 90 else "needs attention" if score >= 70 else "non-compliant"
    return ComplianceAssessment(
        document_id=doc, filename=filename, score=score, status=status, findings=findings
    )


def document(
    doc: str, filename: str, kind: str, pages: int, findings: list[Finding]
) -> DocumentReport:
    return DocumentReport(
        document_id=doc,
        filename=filename,
        type=kind,
        pages=pages,
        compliance=compliance(doc, filename, findings),
        risk=assess_risk(doc, findings),
    )


def sample_documents() -> list[DocumentReport]:
    ledger, filing, msa, mail = ("d-ledger", "d-10q", "d-msa", "d-mail")
    lf, ff, mf, ef = (
        "branch014_cash_ledger_2024-03.xlsx",
        "brightwater_q2_2024_10q.pdf",
        "cloudpay_msa_2024.pdf",
        "email_keller_ortega_income_note.txt",
    )
    return [
        document(
            ledger,
            lf,
            "xlsx",
            3,
            [
                finding(
                    ledger,
                    lf,
                    "AML-STRUCT-01",
                    "aml.structuring",
                    "critical",
                    "2024-03-04 | R. Halvorsen | cash deposit | 9,400.00 USD",
                    sheet="March",
                    row=14,
                ),
                finding(
                    ledger,
                    lf,
                    "AML-CTR-01",
                    "aml.cash_threshold",
                    "high",
                    "2024-03-11 | Kestrel Imports LLC | cash withdrawal | 12,750.00 USD",
                    sheet="March",
                    row=22,
                ),
                finding(
                    ledger,
                    lf,
                    "SAN-JUR-01",
                    "sanctions.jurisdiction",
                    "critical",
                    "Wire to Banco Metropolitano, Havana, Cuba — EUR 18,200.00",
                    sheet="Wires",
                    row=3,
                ),
                finding(
                    ledger,
                    lf,
                    "GOV-SOD-01",
                    "governance.self_approval",
                    "high",
                    "Requested by: M. Ortega; Approved by: M. Ortega",
                    sheet="Journal",
                    row=41,
                ),
            ],
        ),
        document(
            filing,
            ff,
            "pdf",
            48,
            [
                finding(
                    filing,
                    ff,
                    "DISC-GC-01",
                    "disclosure.going_concern",
                    "critical",
                    LONG_EVIDENCE,
                    page=12,
                ),
                finding(
                    filing,
                    ff,
                    "DISC-MW-01",
                    "disclosure.material_weakness",
                    "high",
                    "management identified a material weakness in our internal control over "
                    "financial reporting related to revenue cut-off",
                    page=31,
                ),
                finding(
                    filing,
                    ff,
                    "DISC-RST-01",
                    "disclosure.restatement",
                    "high",
                    "the previously issued financial statements for fiscal 2023 should no "
                    "longer be relied upon",
                    page=9,
                ),
            ],
        ),
        document(
            msa,
            mf,
            "pdf",
            14,
            [
                finding(
                    msa,
                    mf,
                    "CON-LIAB-01",
                    "contract.missing_liability_cap",
                    "medium",
                    "MASTER SERVICES AGREEMENT",
                    page=1,
                ),
                finding(
                    msa,
                    mf,
                    "CON-DPA-01",
                    "contract.missing_data_protection",
                    "high",
                    "payment card transaction histories",
                    page=1,
                ),
                finding(
                    msa,
                    mf,
                    "CON-LAW-01",
                    "contract.missing_governing_law",
                    "low",
                    "This Agreement is entered into as of 1 April 2024",
                    page=1,
                ),
            ],
        ),
        document(
            mail,
            ef,
            "txt",
            1,
            [
                finding(
                    mail,
                    ef,
                    "MKT-GUAR-01",
                    "marketing.guaranteed_returns",
                    "high",
                    "a guaranteed 12% annual return — you simply cannot lose",
                ),
                finding(
                    mail,
                    ef,
                    "MKT-RISK-01",
                    "marketing.missing_risk_disclosure",
                    "medium",
                    HOSTILE_EVIDENCE,
                ),
            ],
        ),
        document("d-policy", "harborview_fcc_policy_manual_excerpt.md", "md", 1, []),
    ]


def sample_report() -> ReportData:
    return ReportData(
        title="Quarterly compliance review — Branch 014 and counterparties",
        generated_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        documents=sample_documents(),
        rulebook_name="Quorum baseline",
        rulebook_version="2025.1",
        knowledge_version="kb-7f3a9c2",
    )


@pytest.fixture(scope="module")
def report() -> ReportData:
    return sample_report()


@pytest.fixture(scope="module")
def html_text(report: ReportData) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def pdf_text(report: ReportData) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


class TagCollector(HTMLParser):
    """Every start tag with its attributes, to check what a browser would load or run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_summary_is_computed_from_the_assessments(report: ReportData) -> None:
    summary = report.summary
    assert summary.document_count == 5
    assert summary.finding_count == 12
    assert summary.severity_counts == {"critical": 3, "high": 6, "medium": 2, "low": 1}
    assert summary.highest_risk is not None
    assert summary.highest_risk.filename == "branch014_cash_ledger_2024-03.xlsx"
    assert "12 findings" in summary.headline
    assert summary.actions and "SAN-JUR-01" in summary.actions[0]


def test_html_quotes_every_finding_escaped(report: ReportData, html_text: str) -> None:
    for document in report.documents:
        for finding in document.findings:
            assert str(escape(finding.evidence)) in html_text
            assert str(escape(citation(finding, document.filename))) in html_text
            assert str(escape(finding.recommendation)) in html_text
            assert str(escape(finding.regulation)) in html_text
    assert "&lt;script&gt;alert(" in html_text
    assert "<script>alert(" not in html_text


def test_html_is_self_contained_and_scriptless(html_text: str) -> None:
    collector = TagCollector()
    collector.feed(html_text)
    names = [tag for tag, _ in collector.tags]
    assert "script" not in names and "link" not in names and "iframe" not in names
    assert names.count("svg") == 2 + 5  # two summary charts, one per document
    for _, attrs in collector.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), f"external {key}={value}"
        assert not any(key.startswith("on") for key in attrs)
    assert "<style>" in html_text and "@import" not in html_text
    assert not re.search(r"url\(", html_text)


def test_html_shows_scores_versions_and_chips(report: ReportData, html_text: str) -> None:
    assert "Quorum baseline" in html_text and "2025.1" in html_text and "kb-7f3a9c2" in html_text
    assert "14 March 2025, 09:30 UTC" in html_text
    for document in report.documents:
        assert f">{document.compliance.score}<" in html_text
        assert f">{document.risk.score}<" in html_text
    assert html_text.count('class="chip chip-critical"') >= 3
    assert "Risk by category" in html_text and "Findings by severity" in html_text
    assert "€41.7 million" in html_text


def test_markdown_has_a_cited_row_per_finding(report: ReportData) -> None:
    text = render_markdown(report)
    rows = [line for line in text.splitlines() if re.match(r"\| \d+\.\d+ \|", line)]
    assert len(rows) == report.summary.finding_count
    assert any("brightwater_q2_2024_10q.pdf, p. 12" in row for row in rows)
    assert any("sheet March, row 14" in row for row in rows)
    assert "<script>" not in text
    assert "kb-7f3a9c2" in text and "Findings by severity" in text


def test_markdown_tables_survive_pipes_and_backticks(report: ReportData) -> None:
    parser = MarkdownIt("commonmark").enable("table")
    rows: list[list[str]] = []
    cells: list[str] | None = None
    for token in parser.parse(render_markdown(report)):
        if token.type == "tr_open":
            cells = []
        elif token.type == "inline" and cells is not None:
            cells.append(token.content)
        elif token.type == "tr_close" and cells is not None:
            rows.append(cells)
            cells = None
    finding_rows = [r for r in rows if re.fullmatch(r"\d+\.\d+", r[0])]
    assert len(finding_rows) == 12
    assert all(len(r) == 7 for r in finding_rows)
    hostile = next(r for r in finding_rows if "alert" in r[4])
    rendered = parser.renderInline(hostile[4])
    assert "&lt;script&gt;alert('x')&lt;/script&gt; | `rm -rf` | **bold**" in rendered
    for markup in ("<script", "<strong", "<a ", "<code"):
        assert markup not in rendered


def test_pdf_opens_and_carries_scores_and_evidence(report: ReportData, pdf_text: str) -> None:
    assert "Page 1 of" in pdf_text
    assert "Executive summary" in pdf_text
    for document in report.documents:
        assert document.filename in pdf_text
    assert "87/100" in pdf_text  # highest risk tile
    assert "Wire to Banco Metropolitano, Havana, Cuba — EUR 18,200.00" in pdf_text
    assert " ".join(LONG_EVIDENCE.split()) in pdf_text
    assert "alert('x')" in pdf_text
    assert "kb-7f3a9c2" in pdf_text and "Quorum baseline 2025.1" in pdf_text
    assert "brightwater_q2_2024_10q.pdf, p. 12" in pdf_text


def test_pdf_falls_back_to_core_fonts(report: ReportData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tools.reports.pdf.choose_fonts", lambda: FontChoice(family="helvetica"))
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "net capital deficiency of EUR 41.7 million" in text
    assert "Havana, Cuba - EUR 18,200.00" in text
    assert to_latin1("€5 — “ok” … 😀") == 'EUR 5 - "ok" ... ?'


def test_write_reports_writes_three_files(report: ReportData, tmp_path: Path) -> None:
    paths = write_reports(report, tmp_path / "out")
    assert [p.suffix for p in paths] == [".md", ".html", ".pdf"]
    assert all(p.parent == tmp_path / "out" and p.stat().st_size > 500 for p in paths)
    assert paths[0].stem.startswith("quarterly-compliance-review")
    assert paths[2].read_bytes().startswith(b"%PDF-")
    named = write_reports(report, tmp_path, stem="../../etc/passwd")
    assert all(p.parent == tmp_path for p in named)


def test_empty_report_renders(report: ReportData) -> None:
    empty = report.model_copy(update={"documents": []})
    assert "0 documents reviewed" in render_markdown(empty)
    assert "0 documents reviewed" in render_html(empty)
    assert render_pdf(empty).startswith(b"%PDF-")
