"""The analyst's review from the terminal: decide on findings, see both scores, carry the
decisions over a re-analysis, sign the report off, and export an audit trail that
`quorum audit verify` refuses once a line is altered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from quorum.cli import app
from quorum.settings import Settings

LEDGER = (
    "date,party,type,amount,currency,country,memo\n"
    "2024-03-01,Harbor Imports LLC,cash deposit,9500.00,USD,US,counter deposit\n"
    "2024-03-02,Harbor Imports LLC,cash deposit,9400.00,USD,US,counter deposit\n"
    "2024-03-03,Harbor Imports LLC,cash deposit,9800.00,USD,US,counter deposit\n"
    "2024-03-05,Northwind Trading,wire out,250000.00,USD,IR,consulting fee\n"
    "2024-03-09,Acme Office Supply,card payment,120.50,USD,US,stationery\n"
)


@dataclass(frozen=True)
class Terminal:
    """The `quorum` command on one data dir and SQL backend (SQLite or PostgreSQL)."""

    data: Path
    database_url: str | None = None

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url} if self.database_url else {}


def quorum(where: Terminal, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(where.data), *args], env=where.env())
    return result.exit_code, result.output


def analyse(data: Terminal, path: Path, reports: Path) -> dict[str, Any]:
    code, output = quorum(data, "analyze", str(path), "--json", "--report-dir", str(reports))
    assert code == 0, output
    document: dict[str, Any] = json.loads(output)["documents"][0]
    return document


@pytest.fixture
def reviewed(backend_settings: Settings, tmp_path: Path) -> tuple[Terminal, Path, dict[str, Any]]:
    """A ledger analysed once, whose sanctions finding the analyst dismissed (either backend)."""
    data = Terminal(backend_settings.data_dir, backend_settings.database_url)
    ledger = tmp_path / "branch_ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    first = analyse(data, ledger, tmp_path / "reports")
    findings = first["compliance"]["findings"]
    assert {f["decision"] for f in findings} == {None}
    sanctions = next(f for f in findings if f["rule_id"].startswith("sanctions."))
    code, output = quorum(
        data, "findings", "dismiss", str(sanctions["finding_id"]),
        "--reason", "policy text, not a transaction", "--json",
    )  # fmt: skip
    assert code == 0, output
    return data, ledger, first | {"dismissed": json.loads(output)}


def test_a_dismissal_needs_a_reason_and_lifts_the_score(
    reviewed: tuple[Terminal, Path, dict[str, Any]],
) -> None:
    data, _, first = reviewed
    dismissed = first["dismissed"]
    assert dismissed["finding"]["decision"]["decision"] == "dismissed"
    assert dismissed["finding"]["decision"]["decided_by"] == "local"
    scores = dismissed["document"]["compliance"]
    before, after = scores["before"], scores["after"]
    assert before == first["compliance"]["score"] and after > before
    assert dismissed["document"]["risk"]["after"] < dismissed["document"]["risk"]["before"]

    other = next(f for f in first["compliance"]["findings"] if f["rule_id"].startswith("aml."))
    code, output = quorum(data, "findings", "dismiss", str(other["finding_id"]))
    assert code != 0 and "needs a reason" in output and "Traceback" not in output
    code, output = quorum(data, "findings", "list")
    assert code == 0 and f"compliance {before} → {after} after review" in output


def test_re_analysis_carries_the_decision_only_to_the_same_evidence(
    reviewed: tuple[Terminal, Path, dict[str, Any]], tmp_path: Path
) -> None:
    data, ledger, first = reviewed
    # A new version of the ledger (same file name, one more row): different bytes, same evidence.
    version_two = tmp_path / "v2" / ledger.name
    version_two.parent.mkdir()
    version_two.write_text(
        LEDGER + "2024-03-11,Caspian Freight,wire out,90000.00,USD,IR,freight\n", encoding="utf-8"
    )
    second = analyse(data, version_two, tmp_path / "reports")
    assert second["document_id"] != first["document_id"]
    sanctions = [f for f in second["compliance"]["findings"] if f["rule_id"].startswith("sanct")]
    carried = [f for f in sanctions if f["decision"]]
    assert len(carried) == 1 and carried[0]["decision"]["carried_over"] is True
    assert carried[0]["evidence"] == first["dismissed"]["finding"]["evidence"]
    # The new row's finding is on other evidence: the dismissal does not hide it.
    assert len(sanctions) == 2 and sum(f["decision"] is None for f in sanctions) == 1
    assert second["compliance"]["reviewed"]["carried_over"] == 1
    assert second["compliance"]["reviewed"]["score"] >= second["compliance"]["score"]

    code, output = quorum(data, "rules", "stats", "--json")
    rules = {r["rule_id"]: r for r in json.loads(output)["rules"]}
    noisy = rules[carried[0]["rule_id"]]
    assert code == 0 and noisy["dismissed"] >= 1 and noisy["dismissal_rate"] > 0
    assert noisy["top_reasons"] == ["policy text, not a transaction"]


def test_approval_signs_the_files_and_a_later_decision_makes_a_new_draft(
    reviewed: tuple[Terminal, Path, dict[str, Any]], tmp_path: Path
) -> None:
    data, ledger, first = reviewed
    document = first["document_id"]
    code, output = quorum(data, "report", "approve", document)  # no stdin: not confirmed
    assert code != 0
    code, output = quorum(data, "report", "approve", document, "--yes", "--json",
                          "--report-dir", str(tmp_path / "signed"))  # fmt: skip
    assert code == 0, output
    approval = json.loads(output)
    html = next(Path(p) for p in approval["files"] if p.endswith(".html")).read_text()
    assert "Sign-off" in html and approval["signoff"]["content_hash"] in html
    assert 'class="watermark"' not in html and "Approved by" in html
    pdf = next(Path(p) for p in approval["files"] if p.endswith(".pdf"))
    signed_text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Sign-off" in signed_text and "DRAFT" not in signed_text

    confirmed = next(f for f in first["compliance"]["findings"] if f["rule_id"].startswith("aml"))
    code, _ = quorum(data, "findings", "confirm", str(confirmed["finding_id"]))
    assert code == 0
    code, output = quorum(data, "report", "approve", document, "--yes", "--json",
                          "--report-dir", str(tmp_path / "signed"))  # fmt: skip
    again = json.loads(output)
    assert again["signoff"]["content_hash"] != approval["signoff"]["content_hash"]
    assert Path(approval["files"][0]).read_text() != Path(again["files"][0]).read_text()
    draft = analyse(data, ledger, tmp_path / "drafts")
    draft_html = next(Path(p) for p in draft["reports"] if p.endswith(".html")).read_text()
    assert 'class="watermark"' in draft_html and "DRAFT" in draft_html
    draft_pdf = next(Path(p) for p in draft["reports"] if p.endswith(".pdf"))
    assert "DRAFT" in PdfReader(draft_pdf).pages[0].extract_text()


def test_the_audit_export_verifies_until_a_line_is_altered(
    reviewed: tuple[Terminal, Path, dict[str, Any]], tmp_path: Path
) -> None:
    data, _, first = reviewed
    export = tmp_path / "audit" / "trail.jsonl"
    code, output = quorum(data, "audit", "export", "--document", first["document_id"],
                          "--output", str(export))  # fmt: skip
    assert code == 0, output
    entries = [json.loads(line) for line in export.read_text().splitlines()]
    kinds = [e["kind"] for e in entries]
    assert {"analysis", "finding", "decision"} <= set(kinds)
    decision = next(e for e in entries if e["kind"] == "decision")
    assert decision["user"] == "local" and decision["data"]["reason"]
    assert export.with_suffix(".html").read_text().count("<tr class=") == len(entries)
    code, output = quorum(data, "audit", "verify", str(export))
    assert code == 0 and "intact" in output

    lines = export.read_text().splitlines()
    target = kinds.index("decision")
    lines[target] = lines[target].replace("policy text", "a typo")
    export.write_text("\n".join(lines) + "\n")
    code, output = quorum(data, "audit", "verify", str(export))
    assert code != 0
    assert f"line {target + 1} (entry {target + 1})" in output and "altered" in output


def test_a_rule_change_asked_of_the_team_waits_for_quorum_actions(tmp_path: Path) -> None:
    data = Terminal(tmp_path / "data")
    code, output = quorum(data, "ask", "disable rule privacy.unmasked_ssn")
    assert code == 0 and "waits for your confirmation (request 1)" in output
    code, output = quorum(data, "rules", "list", "--json")
    assert {r["id"]: r["enabled"] for r in json.loads(output)["rules"]}["privacy.unmasked_ssn"]
    code, output = quorum(data, "actions", "list")
    assert code == 0 and "request 1: disable rule privacy.unmasked_ssn" in output
    code, output = quorum(data, "actions", "confirm", "1")
    assert code == 0 and "executed" in output
    code, output = quorum(data, "rules", "list", "--json")
    assert not {r["id"]: r["enabled"] for r in json.loads(output)["rules"]}["privacy.unmasked_ssn"]
    code, output = quorum(data, "actions", "decline", "1")
    assert code != 0 and "already answered (executed by local)" in output
