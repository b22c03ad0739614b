"""`make bench`, the other file kinds: OCR of scans, HTML filings, tables in PDFs.

All measured in one run on real FinanceBench filings (../shared/data), nothing downloaded:
- OCR: filing pages rendered to greyscale PNG at 300 dpi with poppler's `pdftoppm`, wrapped
  into a scanned PDF (no text layer) and read through `parse_file`; pages/s, and character
  accuracy against the page's own text layer (1 - edit distance / reference length, both
  with whitespace collapsed), with Tesseract's own confidence beside it;
- HTML: each filing's pages written as an EDGAR-style HTML document (paragraphs, tables
  from the layout text, `page-break-after` between pages); `parse_file` pages/s, with the
  same filings' PDF parse as the baseline in the same run;
- the cost of table detection on PDF parsing (same filings, detection on and off);
- table extraction: benchmarks/table_bench.py (pypdf plain / layout vs pdfplumber).

    python -m benchmarks.file_kinds_bench [--data DIR] [--ocr-pages 8]
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PdfReader

import knowledge.parsing.tables as tables
from benchmarks import table_bench
from knowledge.parsing import parse_file
from knowledge.parsing.tables import layout_rows

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "financebench-dev"
MAX_BYTES = 500 * 1024 * 1024
OCR_DPI = 300
# Short filings of each kind (10-K, 10-Q, 8-K, earnings), so the run stays in minutes.
HTML_FILINGS = ("NETFLIX_2017_10K", "BESTBUY_2024Q2_10Q", "AMCOR_2023Q4_EARNINGS")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one NumPy row at a time (insertions by a running minimum)."""
    if not a or not b:
        return max(len(a), len(b))
    target = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    offsets = np.arange(len(b) + 1)
    row = offsets.copy()
    codes = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    for index, code in enumerate(codes, start=1):
        substitute = row[:-1] + (target != code)
        delete = row[1:] + 1
        best = np.empty_like(row)
        best[0] = index
        best[1:] = np.minimum(substitute, delete)
        row = np.minimum.accumulate(best - offsets) + offsets
    return int(row[-1])


def squeezed(text: str) -> str:
    return " ".join(text.split())


def ocr_pages(data: Path, count: int) -> list[tuple[str, int]]:
    """Prose and statement pages: the statement evidence page and page 3 of each filing."""
    chosen: list[tuple[str, int]] = []
    for document, index in table_bench.statement_pages(data, count):
        chosen += [(document, 2), (document, index)]
    return chosen[:count]


def bench_ocr(data: Path, count: int, folder: Path) -> None:
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        print("OCR: skipped (install tesseract-ocr tesseract-ocr-eng poppler-utils)")
        return
    rows, seconds, errors, chars = [], 0.0, 0, 0
    for number, (document, index) in enumerate(ocr_pages(data, count)):
        source = data / f"{document}.pdf"
        reference = squeezed(PdfReader(source).pages[index].extract_text() or "")
        prefix = folder / f"scan-{number}"
        subprocess.run(
            ["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-singlefile",
             "-f", str(index + 1), "-l", str(index + 1), str(source), str(prefix)],
            check=True, capture_output=True,
        )  # fmt: skip
        scan = folder / f"scan-{number}.pdf"
        Image.open(prefix.with_suffix(".png")).save(scan, format="PDF", resolution=OCR_DPI)
        started = time.perf_counter()
        (page,) = parse_file(scan, max_bytes=MAX_BYTES).pages
        seconds += time.perf_counter() - started
        distance = edit_distance(squeezed(page.text), reference)
        errors, chars = errors + distance, chars + len(reference)
        rows.append((document, index + 1, len(reference), 1 - distance / len(reference),
                     page.ocr_confidence))  # fmt: skip
    print(f"OCR ({OCR_DPI} dpi scans of {len(rows)} filing pages through parse_file):")
    print("| filing | page | reference chars | character accuracy | Tesseract confidence |")
    print("|---|---|---|---|---|")
    for document, page_number, length, accuracy, confidence in rows:
        print(f"| {document} | {page_number} | {length} | {accuracy:.3f} | {confidence} |")
    print(f"overall character accuracy {1 - errors / chars:.3f}; {len(rows) / seconds:.2f} pages/s")


def filing_html(source: Path) -> tuple[str, int]:
    """The filing as EDGAR-style HTML: a div per page, tables as <table>, page breaks."""
    reader = PdfReader(source)
    pages = []
    for page in reader.pages:
        layout = page.extract_text(extraction_mode="layout") or ""
        blocks, table = [], []
        for cells in layout_rows(layout):
            if len(cells) >= 2:
                table.append(
                    "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                )
                continue
            if table:
                blocks.append("<table>" + "".join(table) + "</table>")
                table = []
            blocks.append(f"<p>{html.escape(cells[0])}</p>")
        if table:
            blocks.append("<table>" + "".join(table) + "</table>")
        pages.append("<div>" + "\n".join(blocks) + "</div>")
    breaks = '\n<hr style="page-break-after:always"/>\n'
    return f"<!DOCTYPE html><html><body>{breaks.join(pages)}</body></html>", len(pages)


def bench_html(data: Path, folder: Path) -> None:
    html_seconds = pdf_seconds = 0.0
    html_pages = pdf_pages = 0
    for name in HTML_FILINGS:
        text, _ = filing_html(data / f"{name}.pdf")
        path = folder / f"{name}.htm"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        html_pages += parse_file(path, max_bytes=MAX_BYTES).page_count
        html_seconds += time.perf_counter() - started
        started = time.perf_counter()
        pdf_pages += parse_file(data / f"{name}.pdf", max_bytes=MAX_BYTES).page_count
        pdf_seconds += time.perf_counter() - started
    print(f"HTML ({', '.join(HTML_FILINGS)} as EDGAR-style HTML, {html_pages} pages):")
    print(f"  parse_file HTML {html_pages / html_seconds:.1f} pages/s; the same filings as PDF "
          f"{pdf_pages / pdf_seconds:.1f} pages/s ({pdf_seconds / html_seconds:.1f}x)")  # fmt: skip


def bench_table_cost(data: Path) -> None:
    """PDF parse with table detection as shipped, and with it switched off."""
    timings = {}
    found = 0
    shipped = tables.MIN_FIGURES
    for label, minimum in (("tables on", shipped), ("tables off", 10**9)):
        tables.MIN_FIGURES = minimum
        started = time.perf_counter()
        pages = 0
        for name in HTML_FILINGS:
            document = parse_file(data / f"{name}.pdf", max_bytes=MAX_BYTES)
            pages += document.page_count
            if label == "tables on":
                found += sum("on this page, row by row:" in p.text for p in document.pages)
        timings[label] = pages / (time.perf_counter() - started)
    tables.MIN_FIGURES = shipped
    on, off = timings["tables on"], timings["tables off"]
    print(
        f"PDF parse of the same filings: {on:.1f} pages/s with table detection, {off:.1f} "
        f"without ({off / on:.2f}x); {found} pages got tables"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ocr-pages", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quorum-kinds-bench-") as folder:
        bench_ocr(args.data, args.ocr_pages, Path(folder))
        bench_html(args.data, Path(folder))
    bench_table_cost(args.data)
    print("Tables on statement pages (benchmarks/table_bench.py):")
    table_bench.report(args.data, 20)


if __name__ == "__main__":
    main()
