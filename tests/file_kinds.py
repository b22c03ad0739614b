"""The files analysts really have, built from real filings in ../shared (nothing downloaded).

- an EDGAR-style inline-XBRL 10-K in HTML, from the text of Netflix's 2017 10-K: its cover
  page and its balance sheet, with EDGAR's quirks (hidden ix:header, "$" and ")" in cells
  of their own, spacer cells, `page-break-after` rules, entities, a script and a style);
- scans: real filing pages rendered to images with poppler's `pdftoppm` and wrapped into
  a PDF with Pillow (no text layer), a mixed PDF (one text page, one scanned page), and a
  PNG of a page;
- an e-mail with a CSV of wires attached, and a reply thread that quotes its predecessor;
- a PDF whose annex prints a table of wires (one to Tehran).

Plain functions (tests/ is on pytest's pythonpath): `from file_kinds import edgar_html`.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from shared_data import FINANCEBENCH_DIR

FILING = "NETFLIX_2017_10K.pdf"
COVER_PAGE = 0  # 0-based, as pypdf counts
BALANCE_SHEET_PAGE = 44
RENDER_DPI = 200
_GAP = re.compile(r"\s{2,}")


def filing_path() -> Path:
    path = FINANCEBENCH_DIR / FILING
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared filing missing in CI: {path}")
        pytest.skip(f"shared data not available: {path}")
    return path


def require_ocr_tools() -> None:
    """Tesseract and pdftoppm, or a skip that says how to get them (a failure in CI)."""
    missing = [tool for tool in ("tesseract", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    reason = (
        f"{', '.join(missing)} not installed: apt-get install tesseract-ocr "
        "tesseract-ocr-eng poppler-utils (.ci/run does this in CI)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# -- HTML ----------------------------------------------------------------------------------
def balance_sheet_rows() -> list[list[str]]:
    """The balance sheet's printed lines as cells, from the filing's layout text."""
    page = PdfReader(filing_path()).pages[BALANCE_SHEET_PAGE]
    layout = page.extract_text(extraction_mode="layout")
    rows = [[c for c in _GAP.split(line.strip()) if c] for line in layout.splitlines()]
    return [row for row in rows if row]


def _edgar_cell(text: str) -> str:
    """A cell as EDGAR writes it: "$" and ")" split off, figures tagged as iXBRL facts."""
    figure = re.fullmatch(r"(\$)?\s*(\(?)([\d,]+)(\)?)", text)
    if not figure:
        return f'<td style="padding:0 1pt"><p style="margin:0">{html.escape(text)}</p></td>'
    dollar, opening, digits, closing = figure.groups()
    fact = (
        f'<ix:nonFraction unitRef="usd" name="us-gaap:Amount" decimals="-3" '
        f'contextRef="FY2017">{opening}{digits}</ix:nonFraction>'
    )
    cells = ['<td style="width:1%">&#160;</td>']
    cells.append(f"<td>{'$' if dollar else ''}</td>")
    cells.append(f'<td style="text-align:right">{fact}</td>')
    cells.append(f"<td>{closing}</td>")
    return "".join(cells)


def edgar_html_text() -> str:
    """The inline-XBRL document: cover page, page break, balance sheet table."""
    cover = PdfReader(filing_path()).pages[COVER_PAGE].extract_text()
    paragraphs = "\n".join(
        f"<p style='font-family:Times'>{html.escape(line.strip())}</p>"
        for line in cover.splitlines()
        if line.strip()
    )
    rows = "\n".join(
        "<tr>" + "".join(_edgar_cell(cell) for cell in row) + "</tr>"
        for row in balance_sheet_rows()
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:dei="http://xbrl.sec.gov/dei/2017">
<head><title>nflx-20171231x10k</title>
<style type="text/css">td {{ font-size: 10pt }} .hidden-fact {{ color: red }}</style>
<script type="text/javascript">window.secret = "do not index";</script></head>
<body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="FY2017">0001065280</ix:nonNumeric>
<ix:nonNumeric name="dei:AmendmentFlag" contextRef="FY2017">HIDDENFLAGFALSE</ix:nonNumeric>
</ix:hidden></ix:header></div>
{paragraphs}
<p>Netflix&#8217;s fiscal year &amp; reporting&nbsp;period end on December&#160;31.</p>
<hr style="page-break-after:always"/>
<p style="text-align:center"><b>NETFLIX, INC.</b></p>
<p style="text-align:center"><b>CONSOLIDATED BALANCE SHEETS</b></p>
<p style="text-align:center">(in thousands)</p>
<table style="border-collapse:collapse;width:100%">
{rows}
</table>
<div style="page-break-before:always"></div>
<p>The accompanying notes are an integral part of these consolidated financial statements.</p>
</body></html>
"""


def edgar_html(folder: Path, name: str = "nflx-20171231x10k.htm") -> Path:
    path = folder / name
    path.write_text(edgar_html_text(), encoding="utf-8")
    return path


# -- scans ---------------------------------------------------------------------------------
def render_page(source: Path, page_index: int, folder: Path, dpi: int = RENDER_DPI) -> Path:
    """One page of a PDF as a greyscale PNG, rendered by poppler's pdftoppm."""
    prefix = folder / f"{source.stem}-{page_index + 1}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
         "-f", str(page_index + 1), "-l", str(page_index + 1), str(source), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    return prefix.with_suffix(".png")


def scanned_pdf(folder: Path, name: str, page_indexes: list[int], dpi: int = RENDER_DPI) -> Path:
    """Real filing pages as images only, wrapped into a PDF: a scan, no text layer."""
    images = [
        Image.open(render_page(filing_path(), index, folder, dpi)).convert("L")
        for index in page_indexes
    ]
    path = folder / name
    images[0].save(path, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def mixed_pdf(folder: Path, name: str, text_page: int, scanned_page: int) -> Path:
    """The filing's `text_page` as it is (text layer), then `scanned_page` as a scan."""
    scan = PdfReader(scanned_pdf(folder, f"scan-{scanned_page}.pdf", [scanned_page]))
    writer = PdfWriter()
    writer.add_page(PdfReader(filing_path()).pages[text_page])
    writer.add_page(scan.pages[0])
    path = folder / name
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def page_image(folder: Path, name: str, page_index: int) -> Path:
    rendered = render_page(filing_path(), page_index, folder)
    path = folder / name
    rendered.rename(path)
    return path


def text_layer(page_index: int) -> str:
    return PdfReader(filing_path()).pages[page_index].extract_text()


# -- e-mail --------------------------------------------------------------------------------
WIRES_CSV = (
    "Value date,Beneficiary,Beneficiary country,Amount (USD),Reference\n"
    "2024-03-04,Nordhafen Logistik GmbH,Germany,48200.00,INV-2291\n"
    "2024-03-05,Pars Tejarat Trading Co,Iran,86500.00,INV-2304\n"
    "2024-03-06,Lakeside Components Ltd,United Kingdom,12990.50,INV-2310\n"
)


def email_with_wires(folder: Path, name: str = "march wires.eml") -> Path:
    """A treasury e-mail (plain and HTML bodies) with the week's wires attached as CSV."""
    message = EmailMessage()
    message["From"] = "Dana Whitfield <dana.whitfield@northwind-treasury.example>"
    message["To"] = "Compliance Desk <compliance@northwind-treasury.example>"
    message["Cc"] = "Ops <ops@northwind-treasury.example>"
    message["Date"] = "Thu, 07 Mar 2024 16:20:00 +0000"
    message["Subject"] = "Outgoing wires for the week of 4 March"
    message.set_content(
        "Hi team,\n\nAttached is the list of outgoing wires released this week for your "
        "review. Treasury approved all three.\n\nDana\n"
    )
    message.add_alternative(
        "<html><body><p>Hi team,</p><p>Attached is the list of outgoing wires released this "
        "week for your review. Treasury approved all three.</p><p>Dana</p></body></html>",
        subtype="html",
    )
    message.add_attachment(
        WIRES_CSV.encode(), maintype="text", subtype="csv", filename="wires-2024-03.csv"
    )
    path = folder / name
    path.write_bytes(bytes(message))
    return path


def email_thread(folder: Path, name: str = "re wires.eml") -> Path:
    """A reply whose quoted predecessor is where the payment to Syria is mentioned."""
    message = EmailMessage()
    message["From"] = "Marta Quist <marta.quist@northwind-treasury.example>"
    message["To"] = "Dana Whitfield <dana.whitfield@northwind-treasury.example>"
    message["Date"] = "Fri, 08 Mar 2024 09:02:00 +0000"
    message["Subject"] = "RE: Supplier payment"
    message.set_content(
        "Dana, please hold this until compliance has looked at it.\n\nMarta\n\n"
        "-----Original Message-----\n"
        "From: Dana Whitfield\n"
        "Sent: Thursday, March 7, 2024 5:40 PM\n"
        "To: Marta Quist\n"
        "Subject: Supplier payment\n\n"
        "Marta, the supplier asked us to route the remaining balance of EUR 40,000 through "
        "their agent in Damascus, Syria. Can we release it tomorrow?\n"
    )
    path = folder / name
    path.write_bytes(bytes(message))
    return path


# -- a PDF with an annex table of wires ----------------------------------------------------
ANNEX_WIRES = [
    ("Value date", "Beneficiary", "Country", "Amount (USD)"),
    ("2024-02-12", "Alder Freight BV", "Netherlands", "31,400.00"),
    ("2024-02-14", "Kish Marine Services", "Iran", "58,750.00"),
    ("2024-02-19", "Baltic Timber AS", "Norway", "22,180.00"),
    ("2024-02-23", "Monterrey Steel SA", "Mexico", "44,900.00"),
]


def annex_pdf(folder: Path, name: str = "payments review Q1.pdf") -> Path:
    """A two-page memo; page 2 is Annex A, a printed table of the quarter's wires."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(
        0,
        6,
        "Quarterly payments review\n\nThis memo summarises outgoing payments reviewed by "
        "treasury in the first quarter. All payments were released after the usual "
        "approvals. The list of wires is in Annex A.",
    )
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 10, "Annex A - Outgoing wires", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(30, 60, 40, 40), text_align=("LEFT", "LEFT", "LEFT", "RIGHT")) as t:
        for values in ANNEX_WIRES:
            row = t.row()
            for value in values:
                row.cell(value)
    path = folder / name
    path.write_bytes(bytes(pdf.output()))
    return path


def pdf_of_text_pages(folder: Path, name: str, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    path = folder / name
    path.write_bytes(bytes(pdf.output()))
    return path


def as_bytes(path: Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())
