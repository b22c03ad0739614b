"""PDF parsing on real PDFs written by fpdf2 and pypdf in tmp dirs."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from file_factories import make_pdf, write_file
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from knowledge.documents import DocType
from knowledge.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    IngestError,
    NoTextLayerError,
)
from knowledge.parsing import parse_file

MAX = 10 * 1024 * 1024


def assert_user_message(error: IngestError, path: Path) -> None:
    message = str(error)
    assert path.name in message
    assert "\n" not in message
    assert ": " in message  # "<what is wrong>: <what to do>"


def test_pages_keep_their_text_and_numbers(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path, "filing.pdf", ["First page about revenue.", "Second page: going concern."]
    )
    document = parse_file(path, max_bytes=MAX)
    assert document.doc_type is DocType.PDF
    assert [page.number for page in document.pages] == [1, 2]
    assert "going concern" in document.pages[1].text
    assert document.warnings == []


def test_blank_page_in_the_middle_keeps_the_numbering(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, "gap.pdf", ["one", "", "three"])
    document = parse_file(path, max_bytes=MAX)
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[2].text.strip() == "three"


def test_empty_user_password_opens_normally(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, "protected.pdf", ["Net revenue rose 4%."], user_password="")
    document = parse_file(path, max_bytes=MAX)
    assert "Net revenue rose" in document.pages[0].text


def test_real_password_is_an_encrypted_error(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, "locked.pdf", ["secret"], user_password="hunter2")
    with pytest.raises(EncryptedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert "without a password" in str(caught.value)
    assert_user_message(caught.value, path)


def test_damaged_page_is_skipped_and_named(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, "one bad page.pdf", ["alpha", "bravo", "charlie"], damaged_page=2)
    document = parse_file(path, max_bytes=MAX)
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[1].text == ""
    assert document.pages[2].text.strip() == "charlie"
    assert document.warnings == ["page 2 could not be read and was skipped"]


def test_pages_without_text_or_images_are_refused(tmp_path: Path) -> None:
    """Nothing to read and nothing to OCR (scans are read: tests/knowledge/test_ocr.py)."""
    path = make_pdf(tmp_path, "scan.pdf", ["", ""], scanned=True)
    with pytest.raises(NoTextLayerError) as caught:
        parse_file(path, max_bytes=MAX)
    assert "no text on any page" in str(caught.value)
    assert_user_message(caught.value, path)


def test_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    whole = make_pdf(tmp_path, "whole.pdf", ["some text " * 50]).read_bytes()
    path = write_file(tmp_path, "cut.pdf", whole[: len(whole) // 3])
    with pytest.raises((DamagedFileError, NoTextLayerError, EmptyFileError)) as caught:
        parse_file(path, max_bytes=MAX)
    assert_user_message(caught.value, path)


def test_header_only_pdf_is_damaged(tmp_path: Path) -> None:
    path = write_file(tmp_path, "stub.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    with pytest.raises(DamagedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_user_message(caught.value, path)


def test_garbage_after_pdf_magic_is_damaged(tmp_path: Path) -> None:
    path = write_file(tmp_path, "noise.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40)
    with pytest.raises(DamagedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_user_message(caught.value, path)


def test_search_text_is_only_extracted_on_request(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path, "10k.pdf", ["Net   sales increased 20% compared to the prior year.", ""]
    )
    assert parse_file(path, max_bytes=MAX).pages[0].search_text is None
    pages = parse_file(path, max_bytes=MAX, pdf_search_text=True).pages
    assert pages[0].search_text is not None
    assert "compared to the prior year." in pages[0].search_text
    assert "  " not in pages[0].search_text
    assert pages[1].search_text is None  # a blank page has nothing to search


def test_search_text_never_loses_words_of_the_plain_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Body text about revenue.")
    with pdf.rotation(90, x=10, y=250):  # layout extraction skips rotated text
        pdf.text(10, 250, "Rotated footer Annual Report")
    path = write_file(tmp_path, "footer.pdf", bytes(pdf.output()))
    (page,) = parse_file(path, max_bytes=MAX, pdf_search_text=True).pages
    assert "Rotated footer Annual Report" in page.text
    assert page.search_text is not None
    assert page.search_text.startswith("Body text about revenue.")
    assert "Rotated footer Annual Report" in page.search_text


def test_decompression_bomb_page_is_skipped(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path, "src.pdf", ["one", "two"])))
    bomb = StreamObject()
    bomb._data = zlib.compress(b" " * 100_000_000, 1)  # 100 MB behind ~100 kB
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[1][NameObject("/Contents")] = writer._add_object(bomb)
    path = tmp_path / "bomb.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    document = parse_file(path, max_bytes=MAX)
    assert [page.text for page in document.pages] == ["one", ""]
    assert document.warnings == ["page 2 could not be read and was skipped"]


def test_worker_processes_extract_the_same_pages_as_one_process(tmp_path: Path) -> None:
    """Long PDFs are split across processes; the result must not depend on it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pages = [f"Page {n}: segment revenue and operating income." for n in range(1, 31)]
    path = make_pdf(tmp_path, "long.pdf", pages, damaged_page=17)
    alone = parse_file(path, max_bytes=10**8)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        split = parse_file(path, max_bytes=10**8, pool=pool, workers=2)
    assert split.pages == alone.pages
    assert split.warnings == alone.warnings == ["page 17 could not be read and was skipped"]
    assert [p.number for p in split.pages] == list(range(1, 31))
