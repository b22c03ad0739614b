"""The parsers of HTML, e-mail, images and PDF tables, on the edge cases analysts meet.

The end-to-end paths (CLI, chat upload) are in tests/test_cli_file_kinds.py and
tests/chat/test_upload_file_kinds.py; these pin what each parser keeps and drops.
"""

from __future__ import annotations

import os
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from file_factories import make_pdf
from file_kinds import annex_pdf, edgar_html, require_ocr_tools, scanned_pdf
from PIL import Image

from knowledge.documents import DocType
from knowledge.errors import DamagedFileError, NoTextLayerError, UnsafeFileError
from knowledge.parsing import parse_file
from knowledge.parsing.html import parse_html
from knowledge.parsing.tables import find_tables, table_header, with_tables

MAX = 50 * 1024 * 1024


def test_html_keeps_reading_order_tables_and_pages_and_drops_what_is_not_shown() -> None:
    document = parse_html(
        b"<html><head><title>T</title><style>p{color:red}</style></head><body>"
        b"<div style='display:none'><ix:header>dei:Flag HIDDEN</ix:header></div>"
        b"<h2>Item 8</h2><p>Revenue grew <b>7</b>%&nbsp;&amp; margins held.</p>"
        b"<table><tr><td></td><td>2024</td><td>2023</td></tr>"
        b"<tr><td>Net income</td><td>$</td><td>4,858</td><td>$</td><td>5,363</td></tr>"
        b"<tr><td>Loss on sale</td><td>(12</td><td>)</td><td>(3</td><td>)</td></tr></table>"
        b"<p style='page-break-before: always'>Second page</p><script>x()</script>"
        b"<p hidden>not shown</p></body></html>"
    )
    assert [page.text for page in document.pages] == [
        "Item 8\n\nRevenue grew 7% & margins held.\n\n2024 | 2023\n"
        "Net income | $4,858 | $5,363\nLoss on sale | (12) | (3)",
        "Second page",
    ]
    assert document.doc_type is DocType.HTML


def test_edgar_fixture_hides_the_ixbrl_header_and_keeps_statement_lines(tmp_path: Path) -> None:
    document = parse_file(edgar_html(tmp_path), max_bytes=MAX)
    text = document.text
    assert "0001065280" not in text and "HIDDENFLAGFALSE" not in text
    assert "window.secret" not in text and "font-size" not in text
    assert "Total current assets | 7,669,974 | 5,720,291" in document.pages[1].text


def test_email_keeps_headers_prefers_plain_text_and_names_attachments_safely(
    tmp_path: Path,
) -> None:
    message = EmailMessage()
    message["From"] = "=?utf-8?q?Ren=C3=A9e_Mart?= <renee@example.com>"
    message["To"] = "desk@example.com"
    message["Subject"] = "Invoice"
    message.set_content("<p>Only HTML here</p>", subtype="html")
    message.add_attachment(b"a,b\n1,2\n3,4\n", maintype="text", subtype="csv",
                           filename="../../etc/passwd.csv")  # fmt: skip
    message.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png",
                           filename="logo.png", disposition="inline")  # fmt: skip
    inner = EmailMessage()
    inner["From"] = "old@example.com"
    inner["Subject"] = "earlier"
    inner.set_content("forwarded body")
    message.add_attachment(inner)
    path = tmp_path / "invoice.eml"
    path.write_bytes(bytes(message))
    document = parse_file(path, max_bytes=MAX)
    assert document.metadata["from"] == "Renée Mart <renee@example.com>"
    assert document.pages[0].text.endswith("Only HTML here")
    names = [a.filename for a in document.attachments]
    assert names == ["passwd.csv", "attachment-3.eml"]
    assert document.warnings == ["inline image logo.png in the body was not read"]
    assert b"forwarded body" in document.attachments[1].content


def test_e_mail_saved_as_txt_is_read_as_e_mail(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("From: a@example.com\nTo: b@example.com\nSubject: hi\n\nBody text.\n")
    document = parse_file(path, max_bytes=MAX)
    assert document.doc_type is DocType.EMAIL
    assert document.metadata == {"from": "a@example.com", "to": "b@example.com", "subject": "hi"}


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_e_mail_without_a_declared_charset_keeps_its_accented_letters(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "bekreftelse.txt"
    body = "Dette e-postbrevet utgjør avtalen mellom Banken («Banken») og Nordvik AS.\n"
    path.write_bytes(
        f"From: k@nordvik.no\nTo: i@fjord.no\nSubject: Oppdrag\n\n{body}".encode(encoding)
    )
    document = parse_file(path, max_bytes=MAX)
    text = "\n".join(page.text for page in document.pages)
    assert "utgjør avtalen" in text and "«Banken»" in text
    assert "\ufffd" not in text


def test_annex_table_becomes_ledger_rows_a_statement_table_does_not(tmp_path: Path) -> None:
    document = parse_file(annex_pdf(tmp_path), max_bytes=MAX)
    (iran,) = [row for row in document.rows if row.country == "Iran"]
    page = document.pages[1]
    assert page.text[iran.span[0] : iran.span[1]] == (
        "2024-02-14 | Kish Marine Services | Iran | 58,750.00"
    )
    assert (iran.party, str(iran.amount), iran.page_number) == ("Kish Marine Services",
                                                                "58750.00", 2)  # fmt: skip
    assert page.text.startswith("Annex A - Outgoing wires\nValue date")  # printed text first

    statement = "\n".join(
        ["                     2024        2023", "Net sales        $ 1,200     $ 1,100",
         "Cost of sales       (700)       (650)", "Net income       $   310     $   280"]
    )  # fmt: skip
    tables = find_tables(statement)
    text, rows = with_tables("Income statement", tables, 1)
    assert rows == []
    assert "Net sales | $1,200 | $1,100" in text
    start = text.index("Net income")
    assert table_header(text, start, len(text)) == "2024 | 2023"
    assert table_header(text, 0, 10) is None


def test_png_bomb_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (12000, 12000)).save(path)
    with pytest.raises(UnsafeFileError, match="too large to read safely"):
        parse_file(path, max_bytes=MAX)


def test_a_truncated_png_is_damaged_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    with pytest.raises(DamagedFileError, match=r"photo\.png is a damaged image"):
        parse_file(path, max_bytes=MAX)


def test_mixed_pdf_without_tesseract_keeps_the_text_and_names_the_unread_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_ocr_tools()
    scan = scanned_pdf(tmp_path, "scan.pdf", [0], dpi=50)
    text = make_pdf(tmp_path, "text.pdf", ["Revenue grew in every segment."])
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(text).pages[0])
    writer.add_page(PdfReader(scan).pages[0])
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name: None if name == "tesseract" else real_which(name)
    )
    document = parse_file(mixed, max_bytes=MAX)
    assert document.pages[0].text.strip() == "Revenue grew in every segment."
    assert document.pages[1].text == ""
    assert document.warnings == [
        "page 2 is scanned (no text layer) and was not read: install Tesseract OCR to read it "
        "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng; macOS: brew install "
        "tesseract)"
    ]
    with pytest.raises(NoTextLayerError, match=r"scan\.pdf is a scan"):
        parse_file(scan, max_bytes=MAX)
