"""The labelled development corpus: every (document, category) right, pages right, no near miss.

The full report with per-category numbers and the real filings is `make eval`; this test
keeps the development targets from regressing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from shared_data import shared_path

from benchmarks.compliance_eval import evaluate_corpus
from knowledge.documents import ParsedDocument
from knowledge.parsing import parse_file
from tools.compliance import check_document, default_rulebook
from tools.models import Finding

CORPUS = ("corpus", "compliance-dev")


@pytest.fixture(scope="module")
def results() -> list[tuple[dict[str, Any], ParsedDocument, list[Finding]]]:
    folder = shared_path(*CORPUS)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    rules = default_rulebook().enabled_rules
    out = []
    for entry in labels:
        document = parse_file(folder / entry["file"], max_bytes=50 * 1024 * 1024)
        findings = check_document(
            document, document_id=entry["file"], filename=entry["file"], rules=rules
        )
        out.append((entry, document, findings))
    return out


def test_every_document_category_pair_and_page(results: list) -> None:
    wrong: list[tuple[object, ...]] = []
    for entry, _document, findings in results:
        expected = {label["category"]: label["page"] for label in entry["findings"]}
        reported: dict[str, int | None] = {}
        for finding in findings:
            page = reported.get(finding.category, finding.page)
            reported[finding.category] = min(p for p in (page, finding.page) if p) if page else None
        if set(expected) != set(reported):
            wrong.append((entry["file"], sorted(set(expected) ^ set(reported))))
        wrong += [
            (entry["file"], c, p, reported.get(c))
            for c, p in expected.items()
            if p and reported.get(c) != p
        ]
    assert wrong == []


def test_no_near_miss_is_cited(results: list) -> None:
    cited = []
    for entry, document, findings in results:
        for near in entry["near_misses"]:
            pattern = r"\s+".join(re.escape(part) for part in near["text"].split())
            for page in document.pages:
                for match in re.finditer(pattern, page.text):
                    for finding in findings:
                        if finding.category != near["category"] or finding.start is None:
                            continue
                        if finding.page not in (None, page.number):
                            continue
                        end = finding.start + len(finding.evidence)
                        if page.text[finding.start : end] == finding.evidence and (
                            finding.start < match.end() and match.start() < end
                        ):
                            cited.append((entry["file"], near["text"]))
    assert cited == []


def test_findings_quote_the_parsed_text_exactly(results: list) -> None:
    for _entry, document, findings in results:
        texts = [page.text for page in document.pages]
        for finding in findings:
            assert any(
                text[finding.start : finding.start + len(finding.evidence)] == finding.evidence
                for text in texts
            )


BLIND_DEV = Path(__file__).resolve().parents[1] / "corpus" / "compliance-blind" / "dev"


def test_the_blind_development_half_meets_the_targets() -> None:
    """Documents written by sessions that never saw the engine (the frozen validation half
    is measured by `make eval`, never asserted here, so nothing is tuned against it)."""
    report = evaluate_corpus(BLIND_DEV, cache=None)
    tp = sum(s.tp for s in report.by_category.values())
    fp = sum(s.fp for s in report.by_category.values())
    fn = sum(s.fn for s in report.by_category.values())
    assert report.documents >= 50
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95, report.errors
    assert report.near_misses_reported == []
    assert report.breach_called_compliant == []
    assert report.page_matched >= 0.9 * report.page_checked
