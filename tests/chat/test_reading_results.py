"""Tool results are read by shape: citations, compliance and risk results, report files."""

from __future__ import annotations

import json

from autogen_agentchat.messages import SelectorEvent, SelectSpeakerEvent

from agents.events import RoutingEvent
from chat.citations import Citation, parse_rows
from chat.team_view import next_speaker, routing_text
from chat.tool_results import RunResults, absorb, pretty

DOC = {"document_id": "d" * 32, "filename": "ledger.csv", "type": "csv", "pages": 1, "chunks": 3}
FINDING = {
    "rule_id": "AML-001",
    "category": "aml",
    "severity": "high",
    "document_id": "d" * 32,
    "filename": "ledger.csv",
    "page": 1,
    "row": 7,
    "evidence": "cash 9,900",
    "recommendation": "File a report.",
    "regulation": "BSA",
}


def test_search_passages_become_citations_with_rows() -> None:
    results = RunResults()
    content = json.dumps(
        {
            "query": "cash",
            "searched_documents": 1,
            "passages": [
                {
                    "document_id": "a" * 32,
                    "filename": "f.pdf",
                    "page": 12,
                    "text": "Cash",
                    "score": 1,
                },
                {
                    "document_id": "d" * 32,
                    "filename": "ledger.csv",
                    "page": 1,
                    "text": "r",
                    "score": 0.5,
                    "rows": "4-9",
                },
            ],
        }
    )
    citations = absorb(content, results)
    assert [c.label for c in citations] == ["f.pdf p.12", "ledger.csv rows 4-9"]
    assert not results.has_analysis


def test_compliance_risk_and_report_results_are_collected() -> None:
    results = RunResults()
    checked = {"document": DOC, "score": 95, "status": "compliant", "findings": [FINDING]}
    citations = absorb(json.dumps(checked), results)
    assert citations == [
        Citation(
            document_id="d" * 32,
            filename="ledger.csv",
            page=1,
            quote="cash 9,900",
            row_start=7,
            row_end=7,
        )
    ]
    risk = {"document": DOC, "score": 30, "level": "low", "breakdown": {"financial": 40}}
    absorb(json.dumps(risk), results)
    reported = {
        "document": DOC,
        "compliance_score": 95,
        "compliance_status": "compliant",
        "risk_score": 30,
        "risk_level": "low",
        "finding_count": 1,
        "top_findings": [FINDING],
    }
    report = {
        "title": "Report",
        "headline": "h",
        "documents": [reported],
        "markdown": "# r",
        "files": ["/data/reports/r.html", "/data/reports/r.pdf"],
    }
    assert [c.label for c in absorb(json.dumps(report), results)] == ["ledger.csv row 7"]
    assert list(results.compliance) == ["d" * 32]
    assert results.risk["d" * 32].breakdown == {"financial": 40}
    assert results.report_paths == ["/data/reports/r.html", "/data/reports/r.pdf"]
    assert results.has_analysis


def test_text_and_unknown_json_carry_nothing() -> None:
    results = RunResults()
    assert absorb("not json at all", results) == []
    assert absorb(json.dumps({"rules": []}), results) == []
    assert not results.has_analysis


def test_rows_parsing() -> None:
    assert parse_rows("4-9") == (4, 9)
    assert parse_rows("7") == (7, 7)
    assert parse_rows("x") == (None, None)
    assert parse_rows(None) == (None, None)


def test_pretty_indents_json_and_shortens() -> None:
    assert pretty('{"a": 1}') == '{\n  "a": 1\n}'
    assert pretty("plain") == "plain"
    assert pretty("x" * 50, limit=10).endswith("…")


def test_routing_events_read_as_arrows() -> None:
    routed = RoutingEvent(
        source="manager", speaker="risk", reason="files were checked", workflow="analysis"
    )
    assert routing_text(routed) == "→ risk: files were checked"
    assert next_speaker(routed) == "risk"
    by_model = RoutingEvent(
        source="manager",
        speaker="reporter",
        reason="open question",
        workflow="open",
        decided_by="model",
    )
    assert routing_text(by_model) == "→ reporter: open question (chosen by the model)"
    assert routing_text(SelectSpeakerEvent(source="manager", content=["judge"])) == "→ judge"
    assert routing_text(SelectorEvent(source="manager", content="picking")) == "→ picking"
