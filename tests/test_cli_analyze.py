"""`quorum analyze` as a user runs it: one real subprocess over a PDF, a DOCX, an XLSX, a
CSV and a broken file; then the JSON, the report files and the SQL rows are checked."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from file_factories import make_docx, make_pdf, make_xlsx, write_file
from pypdf import PdfReader
from typer.testing import CliRunner

from knowledge.parsing import parse_file
from quorum.cli import app
from tools.compliance import check_document, default_rulebook

QUORUM = str(Path(sys.executable).parent / "quorum")
SANCTIONED = "Payment 2: USD 48,000 wired to Gulf Star Trading, Bandar Abbas, Iran, for parts."
CARD = "4539148803436467"  # Luhn-valid, not a published test number
DISABLED = "contract.missing_governing_law"
FINDING_KEYS = {
    "rule_id", "category", "severity", "page", "evidence", "recommendation", "regulation",
}  # fmt: skip

CONTRACT = [
    "SUPPLY AGREEMENT",
    'This Supply Agreement (the "Agreement") is made on 5 May 2024 between Harbor Bank '
    '("Customer") and Quill Parts Inc ("Supplier").',
    "1. Supply. Supplier shall deliver the parts listed in Schedule A to Customer's branches "
    "and shall replace any faulty part within ten days.",
    "2. Fees. Customer shall pay each invoice within 30 days. Supplier shall not raise its "
    "prices during the first year of this Agreement.",
    "3. Confidentiality. Each party shall keep the other's confidential information secret "
    "and shall use it only to perform this Agreement.",
    "4. Termination. Either party may terminate this Agreement on 60 days' written notice.",
    "5. Entire Agreement. This Agreement is the entire agreement of the parties.",
]


@dataclass(frozen=True)
class Analyzed:
    data: Path
    inputs: Path
    files: dict[str, Path]
    code: int
    stderr: str
    documents: dict[str, dict[str, Any]]
    summary: str


def quorum(data: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [QUORUM, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    pdf = make_pdf(
        folder,
        "wire log.pdf",
        [
            "TREASURY OPERATIONS - OUTGOING PAYMENTS, MARCH 2024\n"
            "Every payment below was released by the payments desk after two approvals.",
            f"{SANCTIONED}\nPayment 3: USD 12,500 wired to Nordic Parts AB, Stockholm, Sweden.",
        ],
    )
    cash: list[list[object]] = [
        ["Txn Date", "Customer Name", "Transaction", "Amount (USD)", "CTR #"],
        [date(2024, 6, 3), "Lily Tran", "Cash deposit", 3000, None],
        [date(2024, 6, 4), "Ace Vending", "Cash deposit", 9600, None],
        [date(2024, 6, 5), "Ace Vending", "Cash deposit", 9900, None],
        [date(2024, 6, 6), "Ace Vending", "Cash deposit", 9400, None],
    ]
    csv = f"customer,card_number,city\nMaria Lopez,{CARD},Austin\nJohn Park,****1234,Dallas\n"
    return {
        "pdf": pdf,
        "docx": make_docx(folder, "supply agreement.docx", CONTRACT),
        "xlsx": make_xlsx(folder, "teller.xlsx", {"Cash": cash}),
        "csv": write_file(folder, "customers.csv", csv.encode()),
        "broken": write_file(folder, "broken.pdf", b"%PDF-1.4 not really" + bytes(range(256))),
        "copy": Path(shutil.copy(pdf, folder / "wire log copy.pdf")),
    }


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> Analyzed:
    """Disable one rule from the terminal, analyse every file at once, then re-run one."""
    root = tmp_path_factory.mktemp("analyze")
    data, inputs = root / "data", root / "inputs"
    files = write_inputs(inputs)
    disabled = CliRunner().invoke(app, ["--data-dir", str(data), "rules", "disable", DISABLED])
    assert disabled.exit_code == 0, disabled.output
    paths = [str(files[k]) for k in ("pdf", "docx", "broken", "xlsx", "csv", "copy")]
    result = quorum(data, "analyze", *paths, "--json", cwd=root)
    listed = json.loads(result.stdout)["documents"]
    again = quorum(data, "analyze", str(files["pdf"]), cwd=root)
    assert again.returncode == 0, again.stderr
    return Analyzed(
        data=data,
        inputs=inputs,
        files=files,
        code=result.returncode,
        stderr=result.stderr,
        documents={entry["filename"]: entry for entry in listed},
        summary=again.stdout,
    )


def only(entry: dict[str, Any], category: str) -> dict[str, Any]:
    found = [f for f in entry["compliance"]["findings"] if f["category"] == category]
    assert len(found) == 1, entry["compliance"]["findings"]
    return found[0]


def test_the_json_is_the_design_contract(analyzed: Analyzed) -> None:
    assert analyzed.code == 0, analyzed.stderr
    for entry in (e for e in analyzed.documents.values() if e["status"] != "error"):
        assert {"document_id", "filename", "compliance", "risk", "reports"} <= set(entry)
        assert {"score", "status", "findings"} <= set(entry["compliance"])
        assert all(set(f) >= FINDING_KEYS for f in entry["compliance"]["findings"])
        assert {"score", "level", "breakdown"} <= set(entry["risk"])
        assert set(entry["risk"]["breakdown"]) == {
            "financial", "regulatory", "operational", "reputational",
        }  # fmt: skip


def test_each_kind_of_file_gets_findings_with_their_place(analyzed: Analyzed) -> None:
    docs = analyzed.documents
    sanctions = only(docs["wire log.pdf"], "sanctions.jurisdiction")
    assert (sanctions["page"], sanctions["evidence"]) == (2, SANCTIONED)
    assert sanctions["severity"] == "critical" and sanctions["regulation"].startswith("OFAC")
    assert docs["wire log.pdf"]["compliance"]["score"] == 50
    assert docs["wire log.pdf"]["risk"]["breakdown"]["regulatory"] > 0

    only(docs["supply agreement.docx"], "contract.missing_liability_cap")
    structuring = only(docs["teller.xlsx"], "aml.structuring")
    assert (structuring["sheet"], structuring["row"]) == ("Cash", 3)
    assert structuring["evidence"] == "Ace Vending" and structuring["page"] is None
    card = only(docs["customers.csv"], "privacy.unmasked_card")
    assert (card["evidence"], card["row"]) == (CARD, 2)
    assert docs["customers.csv"]["compliance"]["status"] == "non-compliant"


def test_a_bad_file_is_reported_and_the_others_go_through(analyzed: Analyzed) -> None:
    bad = analyzed.documents["broken.pdf"]
    assert bad["status"] == "error" and bad["document_id"] is None
    assert bad["error"].startswith("broken.pdf ") and "\n" not in bad["error"]
    assert len(analyzed.documents) == 6
    assert sum(e["status"] == "error" for e in analyzed.documents.values()) == 1
    copy = analyzed.documents["wire log copy.pdf"]
    assert copy["status"] == "duplicate"
    assert copy["document_id"] == analyzed.documents["wire log.pdf"]["document_id"]
    # The copy is analysed again: the same findings, saved as new rows (new finding ids).
    assert _without_ids(copy["compliance"]["findings"]) == _without_ids(
        analyzed.documents["wire log.pdf"]["compliance"]["findings"]
    )


def _without_ids(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k != "finding_id"} for f in findings]


def test_a_rule_disabled_in_the_terminal_does_not_fire(analyzed: Analyzed) -> None:
    contract = analyzed.documents["supply agreement.docx"]
    assert DISABLED not in {f["category"] for f in contract["compliance"]["findings"]}
    shipped = check_document(
        parse_file(analyzed.files["docx"], max_bytes=10 * 1024 * 1024),
        document_id="x",
        filename="supply agreement.docx",
        rules=default_rulebook().enabled_rules,
    )
    assert DISABLED in {f.category for f in shipped}  # the shipped rule would have fired
    assert contract["compliance"]["rulebook_version"] != default_rulebook().version


def test_reports_are_written_and_open(analyzed: Analyzed) -> None:
    default_dir = (analyzed.data / "reports").resolve()
    for entry in (e for e in analyzed.documents.values() if e["status"] != "error"):
        paths = [Path(p) for p in entry["reports"]]
        assert sorted(p.suffix for p in paths) == [".html", ".md", ".pdf"]
        assert all(p.is_file() and p.parent.resolve() == default_dir for p in paths)
        by_suffix = {p.suffix: p for p in paths}
        score = entry["compliance"]["score"]
        name = "wire log.pdf" if entry["status"] == "duplicate" else entry["filename"]
        pdf_text = "\n".join(page.extract_text() for page in PdfReader(by_suffix[".pdf"]).pages)
        assert f"Compliance report: {name}" in pdf_text
        assert f"{score}/100" in pdf_text.replace(" ", ""), pdf_text
        assert name in by_suffix[".html"].read_text(encoding="utf-8")
        markdown = by_suffix[".md"].read_text(encoding="utf-8")
        assert str(score) in markdown
        for finding in entry["compliance"]["findings"]:
            assert finding["evidence"] in markdown


def test_analyses_and_findings_land_in_sql(analyzed: Analyzed) -> None:
    database = analyzed.data / "quorum.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        analyses = connection.execute(
            "SELECT id, document_id, score, rulebook, rulebook_version, knowledge_version"
            " FROM analyses"
        ).fetchall()
        findings = connection.execute(
            "SELECT analysis_id, rule_id, page, sheet, row, evidence FROM findings"
        ).fetchall()
    documents = [e for e in analyzed.documents.values() if e["status"] != "error"]
    assert len(analyses) == len(documents) + 1  # the second run analysed the PDF again
    by_id = {row[0]: row for row in analyses}
    for entry in documents:
        row = by_id[entry["analysis_id"]]
        assert row[1:5] == (entry["document_id"], entry["compliance"]["score"], "financial",
                            entry["compliance"]["rulebook_version"])  # fmt: skip
        assert row[5] == entry["compliance"]["knowledge_version"] != ""
        stored = {(r[1], r[2], r[3], r[4], r[5]) for r in findings if r[0] == row[0]}
        assert stored == {
            (f["rule_id"], f["page"], f["sheet"], f["row"], f["evidence"])
            for f in entry["compliance"]["findings"]
        }


def test_the_summary_reads_as_sentences(analyzed: Analyzed) -> None:
    lines = analyzed.summary.splitlines()
    assert lines[0].startswith("✓ wire log.pdf (") and "duplicate" in lines[0]
    assert "compliance 50/100 non-compliant" in lines[0] and "1 finding" in lines[0]
    assert lines[1].strip().startswith("Rules: ") and "1 failed" in lines[1]
    assert "sanctions.jurisdiction" in lines[2] and "p. 2" in lines[2]
    assert sum(line.strip().startswith("report: ") for line in lines) == 3


def test_when_every_file_fails_the_exit_code_says_so(tmp_path: Path) -> None:
    broken = write_file(tmp_path, "broken.pdf", b"%PDF-1.4 nothing here")
    data = ["--data-dir", str(tmp_path / "data")]
    failed = CliRunner().invoke(app, [*data, "analyze", str(broken), str(tmp_path / "gone.csv")])
    assert failed.exit_code == 1, failed.output
    assert failed.output.count("✗ ") == 2 and "Traceback" not in failed.output
    assert CliRunner().invoke(app, [*data, "analyze"]).exit_code == 2


def test_rules_that_could_not_run_are_in_the_json(tmp_path: Path) -> None:
    log = write_file(
        tmp_path,
        "releases.csv",
        b"Payment,Vendor,Amount,Released by\nP-1,Acme Ltd,48000,K. Mortlock\n",
    )
    result = quorum(tmp_path / "data", "analyze", str(log), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [entry] = json.loads(result.stdout)["documents"]
    compliance = entry["compliance"]
    assert compliance["status"] == "not fully checked" and compliance["findings"] == []
    assert compliance["not_checked"] == [
        {
            "rule_id": "governance.self_approval.log",
            "category": "governance.self_approval",
            "reason": "no requester column",
        }
    ]
    assert compliance["checks"]["not checked"] == 1
    assert compliance["checks"]["applied"] == compliance["checks"]["passed"] > 0
    outcomes = {o["rule_id"]: o for o in compliance["outcomes"]}
    assert outcomes["governance.self_approval.log"]["outcome"] == "not checked"
    assert len(outcomes) == compliance["checks"]["applied"] + sum(
        compliance["checks"][k] for k in ("not checked", "not applicable")
    )
    database = tmp_path / "data" / "quorum.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        stored = connection.execute(
            "SELECT rule_id, outcome, reason FROM rule_checks WHERE analysis_id = ?",
            (entry["analysis_id"],),
        ).fetchall()
    assert {(r, o, why) for r, o, why in stored} == {
        (o["rule_id"], o["outcome"], o["reason"]) for o in compliance["outcomes"]
    }


def test_a_foreign_approval_log_is_read_by_role_and_says_how(tmp_path: Path) -> None:
    """Columns named in Portuguese are found by their role; the finding says how it read
    them, and the reading is stored with it."""
    log = write_file(
        tmp_path,
        "aprovacoes.csv",
        "Nº Lançamento,Data,Fornecedor,Valor (USD),Solicitante,Aprovador(a)\n"
        "PG-1,03/06/2024,Nuvem Austral Ltda.,14.842,00,Tatiane Rocha,Marcelo Diniz\n"
        "PG-4,05/06/2024,Rota Sul Consultoria,27.300,00,Marcelo Diniz,Marcelo Diniz\n".replace(
            "14.842,00", '"14.842,00"'
        )
        .replace("27.300,00", '"27.300,00"')
        .encode(),
    )
    result = quorum(tmp_path / "data", "analyze", str(log), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [entry] = json.loads(result.stdout)["documents"]
    [finding] = [
        f for f in entry["compliance"]["findings"] if f["category"] == "governance.self_approval"
    ]
    assert finding["row"] == 3 and finding["source"] == "rule"
    assert "read 'Solicitante' as requester" in finding["reading"]
    assert "read 'Aprovador(a)' as approver" in finding["reading"]
    database = tmp_path / "data" / "quorum.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        [(reading, source)] = connection.execute(
            "SELECT reading, source FROM findings WHERE rule_id = 'governance.self_approval.log'"
        ).fetchall()
    assert (reading, source) == (finding["reading"], "rule")
