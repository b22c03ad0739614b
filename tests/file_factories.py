"""Real files of every supported kind, written in a test's tmp dir by the real libraries.

Plain functions rather than conftest fixtures, so they do not shadow the shared
tests/conftest.py (fixtures only; `shared_path` lives in tests/shared_data.py). Each takes
the folder and the file name, so a test can choose names with spaces, unicode or shell
characters. A top-level module (tests/ is on pytest's pythonpath), so tests of every
package import it as `from file_factories import make_pdf`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

PdfFactory = Callable[..., Path]


def pdf_bytes(pages: Sequence[str]) -> bytes:
    """A text PDF (fpdf2, core Helvetica font) with one page per string; '' = blank page."""
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def scanned_pdf_bytes(page_count: int) -> bytes:
    """Pages with only drawings on them, like a scan: no text layer at all."""
    pdf = FPDF()
    for _ in range(page_count):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def with_damaged_page(data: bytes, page_index: int) -> bytes:
    """Replace one page's content stream with a truncated one pypdf cannot parse."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    broken = DecodedStreamObject()
    broken.set_data(b"BT /F1 12 Tf 10 10 Td (abc) Tj ET ((((( [[[ <<")
    writer.pages[page_index][NameObject("/Contents")] = writer._add_object(broken)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(data: bytes, *, user_password: str) -> bytes:
    """The PDF encrypted with AES-128, as filings protected against editing are."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def make_pdf(
    folder: Path,
    name: str,
    pages: Sequence[str],
    *,
    damaged_page: int | None = None,
    user_password: str | None = None,
    scanned: bool = False,
) -> Path:
    """A PDF with one page per string; damaged_page is 1-based."""
    data = scanned_pdf_bytes(len(pages)) if scanned else pdf_bytes(pages)
    if damaged_page is not None:
        data = with_damaged_page(data, damaged_page - 1)
    if user_password is not None:
        data = encrypted(data, user_password=user_password)
    return write_file(folder, name, data)


def make_docx(folder: Path, name: str, blocks: Sequence[str | Sequence[Sequence[str]]]) -> Path:
    """A DOCX from a list of blocks: a str is a paragraph, a list of rows is a table."""
    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    path = folder / name
    document.save(str(path))
    return path


def make_xlsx(folder: Path, name: str, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """An XLSX from {sheet name: rows}; an empty list of rows leaves the sheet empty."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    path = folder / name
    workbook.save(path)
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy an Office zip, replacing (or adding) some members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in replace:
                new.writestr(info, old.read(info.filename))
        for member, data in replace.items():
            new.writestr(member, data)
    return target
