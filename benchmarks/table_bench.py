"""Tables in PDFs: which extractor keeps a statement's line item and its values on one row.

The pages are the first primary-statement evidence page of each FinanceBench filing (its
first 400 characters name an income statement, balance sheet or cash flow statement), up
to 20 filings. The truth is geometric: the words pdfminer places on one baseline form a
printed line, and a printed line that starts with a label and carries figures is a
statement row ("Net income ... 4,858 5,363"). An extractor keeps a row when one of its
output rows holds the label and every figure of that line. Measured for:

- pypdf plain `extract_text()` (what citations quote: the baseline);
- pypdf layout mode, lines split into cells at runs of 2+ spaces (what Quorum uses);
- pdfplumber `extract_tables()` with its default ruling-line strategy;
- pdfplumber `extract_tables()` with the text-alignment strategy.

    python -m benchmarks.table_bench [--data DIR] [--pages 20]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from pathlib import Path

from pdfplumber.page import Page
from pypdf import PdfReader

from knowledge.parsing.tables import layout_rows

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/financebench-dev"
_STATEMENT_HEAD = re.compile(
    r"statements? of (?:consolidated )?(?:cash flows?|income|operations|earnings|financial "
    r"position)|balance sheets?",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"^\(?\$?\(?-?\d[\d,]*(?:\.\d+)?\)?%?$")
_SQUEEZE = re.compile(r"\W+")

Rows = list[list[str]]


def statement_pages(data: Path, limit: int) -> list[tuple[str, int]]:
    """(document, 0-based page) of the first statement evidence page per filing."""
    chosen: dict[str, int] = {}
    for line in (data / "questions.jsonl").read_text().splitlines():
        for evidence in json.loads(line)["evidence"]:
            head = evidence["evidence_text_full_page"][:400]
            name = evidence["doc_name"]
            if name not in chosen and _STATEMENT_HEAD.search(head):
                chosen[name] = evidence["evidence_page_num"]
    return sorted(chosen.items())[:limit]


def truth_rows(plumber_page: Page) -> list[tuple[str, list[str]]]:
    """(label, figures) of every printed line that starts with a label and has figures."""
    words = [
        (float(w["top"]), float(w["x0"]), str(w["text"]))
        for w in plumber_page.extract_words(keep_blank_chars=False, use_text_flow=False)
    ]
    lines: list[list[tuple[float, float, str]]] = []
    for word in sorted(words, key=lambda w: (round(w[0]), w[1])):
        if lines and abs(lines[-1][0][0] - word[0]) <= 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows = []
    for line in lines:
        texts = [text for _, _, text in sorted(line, key=lambda w: w[1])]
        figures = [t for t in texts if _FIGURE.match(t) and any(c.isdigit() for c in t)]
        label_words = []
        for text in texts:
            if _FIGURE.match(text) or text == "$":
                break
            label_words.append(text)
        label = " ".join(label_words)
        if sum(c.isalpha() for c in label) >= 3 and figures:
            rows.append((label, figures))
    return rows


def _squeezed(text: str) -> str:
    return _SQUEEZE.sub("", text).lower()


def kept(truth: list[tuple[str, list[str]]], rows: Rows) -> int:
    """How many truth rows one output row holds whole (label and every figure)."""
    outputs = [
        (_squeezed(" ".join(row)), {_squeezed(c) for c in " ".join(row).split()}) for row in rows
    ]
    count = 0
    for label, figures in truth:
        wanted = _squeezed(label)
        needed = {_squeezed(f) for f in figures}
        if any(wanted in text and needed <= tokens for text, tokens in outputs):
            count += 1
    return count


def pypdf_plain(reader: PdfReader, index: int) -> Rows:
    return [[line] for line in (reader.pages[index].extract_text() or "").splitlines()]


def pypdf_layout(reader: PdfReader, index: int) -> Rows:
    return layout_rows(reader.pages[index].extract_text(extraction_mode="layout") or "")


def plumber_tables(page: Page, strategy: str) -> Rows:
    settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}
    tables = page.extract_tables(settings)
    return [[cell or "" for cell in row] for table in tables for row in table]


def plumber_fresh(path: Path, index: int, strategy: str) -> Rows:
    """pdfplumber from opening the file, so its character parsing is timed too."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return plumber_tables(pdf.pages[index], strategy)


EXTRACTORS = (
    "pypdf plain (baseline)",
    "pypdf layout, cells at 2+ spaces (Quorum)",
    "pdfplumber tables, ruling lines",
    "pdfplumber tables, text alignment",
)


def extract(name: str, reader: PdfReader, path: Path, index: int) -> Rows:
    """The rows one extractor gives for page `index` (pdfplumber from opening the file)."""
    if name == EXTRACTORS[0]:
        return pypdf_plain(reader, index)
    if name == EXTRACTORS[1]:
        return pypdf_layout(reader, index)
    return plumber_fresh(path, index, "lines" if name == EXTRACTORS[2] else "text")


def report(data: Path, page_limit: int) -> None:
    """Print, for each extractor, the statement rows it keeps whole and its speed."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = statement_pages(data, page_limit)
    totals = dict.fromkeys(EXTRACTORS, 0)
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    truth_total = 0
    for document, index in pages:
        path = data / f"{document}.pdf"
        reader = PdfReader(path)
        with pdfplumber.open(path) as pdf:
            truth = truth_rows(pdf.pages[index])
        truth_total += len(truth)
        for name in EXTRACTORS:
            started = time.perf_counter()
            rows = extract(name, reader, path, index)
            seconds[name] += time.perf_counter() - started
            totals[name] += kept(truth, rows)
    print(f"{len(pages)} statement pages, {truth_total} statement rows (label + figures, one line)")
    print("| extractor | rows kept whole | share | pages/s |")
    print("|---|---|---|---|")
    for name in EXTRACTORS:
        share = totals[name] / truth_total if truth_total else 0.0
        rate = len(pages) / seconds[name] if seconds[name] else 0.0
        print(f"| {name} | {totals[name]} | {share:.2f} | {rate:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    report(args.data, args.pages)


if __name__ == "__main__":
    main()
