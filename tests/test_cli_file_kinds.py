"""HTML filings, e-mails, scans, images and PDF tables through `quorum ingest --json`.

Every file is built from real filing text or pages in ../shared (tests/file_kinds.py);
the CLI runs as a real subprocess over a fresh data dir, as a user runs it.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from file_kinds import (
    annex_pdf,
    edgar_html,
    email_thread,
    email_with_wires,
    mixed_pdf,
    page_image,
    require_ocr_tools,
    scanned_pdf,
)
from test_cli_knowledge import QUORUM, quorum

pytestmark = pytest.mark.timeout(900)  # real subprocesses, each loading the embedder


def ingest(data: Path, *paths: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    if env is None:
        result = quorum(data, "ingest", *map(str, paths), "--json", check=False)
    else:
        import subprocess

        result = subprocess.run(
            [QUORUM, "--data-dir", str(data), "ingest", *map(str, paths), "--json"],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        assert "Traceback" not in result.stdout + result.stderr
    return list(json.loads(result.stdout)["documents"])


def search(data: Path, query: str, *extra: str) -> list[dict[str, Any]]:
    return list(json.loads(quorum(data, "search", query, "--json", *extra).stdout)["results"])


def documents(data: Path) -> dict[str, dict[str, Any]]:
    listed = json.loads(quorum(data, "documents", "--json").stdout)["documents"]
    return {entry["filename"]: entry for entry in listed}


@pytest.mark.slow
def test_edgar_filing_reads_by_page_with_table_rows_cited_under_their_header(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    (entry,) = ingest(data, edgar_html(tmp_path))
    assert entry["status"] == "ingested", entry
    assert entry["pages"] == 3  # two CSS page breaks
    assert documents(data)[entry["filename"]]["type"] == "html"

    (hit, *_) = search(data, "cash and cash equivalents short-term investments", "-k", "3")
    assert hit["page"] == 2
    assert "Cash and cash equivalents | $2,822,795 | $1,467,576" in hit["text"]
    assert hit["table_header"] == "2017 | 2016"
    assert "<td" not in hit["text"] and "ix:" not in hit["text"]

    for hidden in ("HIDDENFLAGFALSE", "window.secret"):  # iXBRL header, script
        assert all(hidden not in r["text"] for r in search(data, hidden, "-k", "10"))
    decoded = "Netflix’s fiscal year & reporting period end on December 31."  # entities
    assert any(decoded in r["text"] for r in search(data, "Netflix fiscal year", "-k", "10"))


def test_html_named_docx_is_read_as_html_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = tmp_path / "Policy.docx"
    path.write_text(
        "<html><body><h1>Policy</h1><p>Cash over $10,000 is reported within 15 days.</p>"
        "</body></html>"
    )
    (entry,) = ingest(data, path)
    assert entry["status"] == "ingested"
    assert entry["warnings"] == [
        "Policy.docx is an HTML file, not a Word document: it was read as an HTML file"
    ]
    assert documents(data)["Policy.docx"]["type"] == "html"
    (hit,) = search(data, "cash reported", "-k", "1")
    assert hit["text"] == "Policy\n\nCash over $10,000 is reported within 15 days."


def test_email_with_a_csv_of_wires_gives_two_linked_documents_both_analysed(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    message, attachment = ingest(data, email_with_wires(tmp_path))
    assert (message["status"], attachment["status"]) == ("ingested", "ingested")
    assert attachment["filename"] == "wires-2024-03.csv"
    assert attachment["attached_to"] == message["document_id"]
    listed = documents(data)
    assert listed["march wires.eml"]["type"] == "email"
    assert listed["march wires.eml"]["metadata"]["subject"] == (
        "Outgoing wires for the week of 4 March"
    )
    assert listed["wires-2024-03.csv"]["attached_to"] == message["document_id"]
    (hit, *_) = search(data, "who sent the outgoing wires", "--document", message["document_id"])
    assert "From: Dana Whitfield <dana.whitfield@northwind-treasury.example>" in hit["text"]

    analysed = json.loads(  # the message is stored already: it comes with its attachment
        quorum(
            data,
            "analyze",
            str(email_with_wires(tmp_path)),
            "--json",
            "--report-dir",
            str(tmp_path / "reports"),
        ).stdout
    )["documents"]
    assert [d["filename"] for d in analysed] == ["march wires.eml", "wires-2024-03.csv"]
    wires = analysed[1]
    assert wires["attached_to"] == analysed[0]["document_id"]
    sanctions = [
        f for f in wires["compliance"]["findings"] if f["category"] == "sanctions.jurisdiction"
    ]
    assert sanctions and "Iran" in sanctions[0]["evidence"]
    assert sanctions[0]["row"] == 3


def test_a_broken_attachment_stores_nothing_of_the_message(tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "a@example.com"
    message["To"] = "b@example.com"
    message["Subject"] = "two files"
    message.set_content("See attached.")
    message.add_attachment(b"a,b,c\n1,2,3\n4,5,6\n", maintype="text", subtype="csv",
                           filename="ok.csv")  # fmt: skip
    message.add_attachment(b"\x7fELF" + os.urandom(64), maintype="application",
                           subtype="octet-stream", filename="tool.bin")  # fmt: skip
    path = tmp_path / "two files.eml"
    path.write_bytes(bytes(message))
    data = tmp_path / "data"
    (entry,) = ingest(data, path)
    assert entry["status"] == "error"
    assert "tool.bin" in entry["error"] and "nothing of the message was stored" in entry["error"]
    assert documents(data) == {}


def test_a_thread_cites_the_message_that_says_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (entry,) = ingest(data, email_thread(tmp_path))
    assert entry["pages"] == 2
    (hit, *_) = search(data, "agent in Damascus", "-k", "1")
    assert hit["page"] == 2
    assert hit["label"] == "From Dana Whitfield, Thursday, March 7, 2024 5:40 PM: Supplier payment"
    analysed = json.loads(
        quorum(data, "analyze", str(email_thread(tmp_path)), "--json", "--report-dir",
               str(tmp_path / "reports")).stdout
    )["documents"]  # fmt: skip
    (sanctions,) = [
        f
        for f in analysed[0]["compliance"]["findings"]
        if f["category"] == "sanctions.jurisdiction"
    ]
    assert sanctions["page"] == 2 and "Damascus, Syria" in sanctions["evidence"]


def test_pdf_annex_table_of_wires_is_checked_as_a_ledger(tmp_path: Path) -> None:
    analysed = json.loads(
        quorum(
            tmp_path / "data",
            "analyze",
            str(annex_pdf(tmp_path)),
            "--json",
            "--report-dir",
            str(tmp_path / "reports"),
        ).stdout
    )["documents"]
    findings = analysed[0]["compliance"]["findings"]
    rows = [f for f in findings if f["category"] == "sanctions.jurisdiction" and f["row"]]
    assert rows, findings
    assert rows[0]["page"] == 2
    assert rows[0]["evidence"] in "2024-02-14 | Kish Marine Services | Iran | 58,750.00"
    assert "Iran" in rows[0]["evidence"]


def test_zip_archive_says_to_upload_its_documents_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("wires.csv", "a,b\n1,2\n")
        archive.writestr("memo.txt", "hello")
    (entry,) = ingest(tmp_path / "data", path)
    assert entry["status"] == "error"
    assert entry["error"] == (
        "bundle.zip is a zip archive (2 files: memo.txt, wires.csv): archives are not "
        "unpacked; upload the documents inside it one by one"
    )


# -- OCR -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_scanned_filing_page_is_searchable_with_its_ocr_confidence(tmp_path: Path) -> None:
    require_ocr_tools()
    data = tmp_path / "data"
    (entry,) = ingest(data, scanned_pdf(tmp_path, "scanned cover.pdf", [0]))
    assert entry["status"] == "ingested", entry
    (hit, *_) = search(data, "annual report securities exchange act fiscal year", "-k", "1")
    assert "SECURITIES AND EXCHANGE COMMISSION" in hit["text"]
    assert hit["ocr_confidence"] > 80
    assert hit["ocr"] == f"read by OCR, {hit['ocr_confidence']:.0f}%"


@pytest.mark.slow
def test_mixed_pdf_keeps_the_text_page_and_reads_the_scanned_one(tmp_path: Path) -> None:
    require_ocr_tools()
    data = tmp_path / "data"
    (entry,) = ingest(data, mixed_pdf(tmp_path, "mixed.pdf", text_page=0, scanned_page=44))
    assert (entry["status"], entry["pages"]) == ("ingested", 2)
    (cover, *_) = search(data, "securities exchange commission annual report", "-k", "1")
    assert (cover["page"], cover["ocr"]) == (1, None)
    (sheet, *_) = search(data, "total current assets cash equivalents", "-k", "1")
    assert sheet["page"] == 2 and sheet["ocr"].startswith("read by OCR, ")
    assert "Total current assets" in sheet["text"]


@pytest.mark.slow
def test_png_of_a_page_is_read_by_ocr(tmp_path: Path) -> None:
    require_ocr_tools()
    data = tmp_path / "data"
    (entry,) = ingest(data, page_image(tmp_path, "balance sheet photo.png", 44))
    assert entry["status"] == "ingested", entry
    assert documents(data)["balance sheet photo.png"]["type"] == "image"
    (hit, *_) = search(data, "total stockholders equity", "-k", "1")
    assert "stockholders" in hit["text"].lower() and hit["ocr"].startswith("read by OCR")


def test_without_tesseract_a_scan_says_how_to_install_it(tmp_path: Path) -> None:
    require_ocr_tools()  # to render the scan; Tesseract is then hidden from the CLI
    scan = scanned_pdf(tmp_path, "scan.pdf", [0], dpi=60)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    (entry,) = ingest(tmp_path / "data", scan, env=env)
    assert entry["status"] == "error"
    assert entry["error"] == (
        "scan.pdf is a scan (no text layer): install Tesseract OCR to read it (Debian/Ubuntu: "
        "apt-get install tesseract-ocr tesseract-ocr-eng; macOS: brew install tesseract)"
    )
