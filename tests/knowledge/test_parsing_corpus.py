"""The parsers on the shared corpora: labelled evidence and a real encrypted filing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shared_data import shared_path

from knowledge.documents import DocType, ParsedDocument
from knowledge.parsing import parse_file

MAX = 50 * 1024 * 1024


def compliance_labels() -> list[dict]:
    labels = shared_path("corpus", "compliance-dev", "labels.json")
    return json.loads(labels.read_text(encoding="utf-8"))


def evidence_text(document: ParsedDocument, page: int | None) -> str:
    if document.doc_type is DocType.PDF:
        assert page is not None
        return document.pages[page - 1].text
    return document.text


def test_every_label_evidence_is_in_the_page_text() -> None:
    folder = shared_path("corpus", "compliance-dev")
    missing: list[str] = []
    for entry in compliance_labels():
        document = parse_file(folder / entry["file"], max_bytes=MAX)
        for finding in entry["findings"]:
            if finding["evidence"] not in evidence_text(document, finding["page"]):
                missing.append(f"{entry['file']}: {finding['evidence']!r}")
        for near_miss in entry["near_misses"]:
            if near_miss["text"] not in document.text:
                missing.append(f"{entry['file']} (near miss): {near_miss['text']!r}")
    assert missing == []


def test_ledger_evidence_cells_lie_inside_a_cited_row() -> None:
    folder = shared_path("corpus", "compliance-dev")
    for entry in compliance_labels():
        document = parse_file(folder / entry["file"], max_bytes=MAX)
        if not document.doc_type.is_ledger:
            continue
        assert document.rows, entry["file"]
        for finding in entry["findings"]:
            cited = [
                row
                for row in document.rows
                if finding["evidence"] in document.pages[row.page_number - 1].text[slice(*row.span)]
            ]
            assert cited, f"{entry['file']}: no row holds {finding['evidence']!r}"
            assert any(finding["evidence"] in cell for cell in cited[0].raw.values())


def test_corpus_ledgers_map_their_columns() -> None:
    folder = shared_path("corpus", "compliance-dev")
    for entry in compliance_labels():
        document = parse_file(folder / entry["file"], max_bytes=MAX)
        if not document.doc_type.is_ledger:
            continue
        rows = document.rows
        assert all(row.date is not None for row in rows), entry["file"]
        assert all(row.party for row in rows), entry["file"]


def test_types_detected_from_content_match_the_corpus_kinds() -> None:
    """Each file reads as its extension says, except e-mails saved as .txt: e-mails."""
    folder = shared_path("corpus", "compliance-dev")
    for entry in compliance_labels():
        path = folder / entry["file"]
        document = parse_file(path, max_bytes=MAX)
        is_mail = path.name.startswith("email_")
        expected = "email" if is_mail else path.suffix.lstrip(".")
        assert document.doc_type.value == expected, entry["file"]
        if is_mail:
            assert document.metadata["from"] in document.pages[0].text
            assert document.metadata["subject"]


@pytest.mark.slow
def test_real_filing_encrypted_with_an_empty_password_parses() -> None:
    path: Path = shared_path("data", "financebench-dev", "BESTBUY_2024Q2_10Q.pdf")
    document = parse_file(path, max_bytes=MAX)
    assert document.doc_type is DocType.PDF
    assert document.page_count == 30
    assert [page.number for page in document.pages] == list(range(1, 31))
    assert "Best Buy" in document.text
    assert sum(1 for page in document.pages if page.text.strip()) >= 28
