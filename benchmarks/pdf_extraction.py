"""pypdf plain vs layout extraction on real filings: speed and words kept whole.

Plain `extract_text()` is what citations quote (the compliance labels were made with
it), but on some filings it splits words ("Cash Flow s", "prior ye ar") and glues others
("Werecognized"), which hurts full-text search. Layout mode re-joins most of them. This
measures, on each FinanceBench question's evidence pages:
- pages/s of each mode (same pages, same process, so the ratio holds on a busy machine);
- the share of the question's terms found as whole words on its evidence page;
- the share of the page's words that occur in at least 3 documents (split fragments and
  glued words rarely do).

    python -m benchmarks.pdf_extraction [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path

from pypdf import PdfReader

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/financebench-dev"
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "what",
        "was",
        "were",
        "with",
        "from",
        "that",
        "this",
        "which",
        "how",
        "much",
        "give",
        "response",
        "question",
        "relying",
        "details",
        "shown",
        "statement",
        "company",
        "fiscal",
        "year",
        "years",
        "based",
        "answer",
        "round",
    ]
)
MODES = ("plain", "layout")


def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)]


def extract(reader: PdfReader, index: int, mode: str) -> tuple[str, float]:
    started = time.perf_counter()
    page = reader.pages[index]
    text = page.extract_text() if mode == "plain" else page.extract_text(extraction_mode="layout")
    return text or "", time.perf_counter() - started


def evidence_pages(data: Path) -> dict[str, dict[int, list[str]]]:
    """doc name -> 0-based evidence page -> questions about it."""
    pages: dict[str, dict[int, list[str]]] = {}
    for line in (data / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        question = json.loads(line)
        for evidence in question["evidence"]:
            by_page = pages.setdefault(evidence["doc_name"], {})
            by_page.setdefault(evidence["evidence_page_num"], []).append(question["question"])
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pypdf warns about every odd object
    seconds: dict[str, float] = dict.fromkeys(MODES, 0.0)
    texts: dict[str, list[tuple[str, str, list[str]]]] = {mode: [] for mode in MODES}
    for doc, by_page in sorted(evidence_pages(args.data).items()):
        reader = PdfReader(args.data / f"{doc}.pdf")
        if reader.is_encrypted:
            reader.decrypt("")
        for index, questions in sorted(by_page.items()):
            # Alternate which mode goes first: the second pass reuses parsed page objects.
            order = MODES if index % 2 else tuple(reversed(MODES))
            for mode in order:
                text, spent = extract(reader, index, mode)
                seconds[mode] += spent
                texts[mode].append((doc, text, questions))
    page_count = len(texts["plain"])
    doc_freq: Counter[str] = Counter()
    for doc in {doc for doc, _, _ in texts["plain"]}:
        doc_freq.update(
            {w for mode in MODES for d, t, _ in texts[mode] if d == doc for w in words(t)}
        )
    common = {w for w, n in doc_freq.items() if n >= 3}
    print(f"evidence pages: {page_count}")
    for mode in MODES:
        found = total = known = seen = 0
        for _doc, text, questions in texts[mode]:
            page_words = words(text)
            vocabulary = set(page_words)
            known += sum(1 for w in page_words if w in common)
            seen += len(page_words)
            for question in questions:
                terms = {w for w in words(question) if len(w) > 2 and w not in STOPWORDS}
                found += len(terms & vocabulary)
                total += len(terms)
        print(
            f"{mode:6s}  {page_count / seconds[mode]:6.1f} pages/s   question terms on the "
            f"evidence page {found / total:.3f}   page words common {known / seen:.3f}"
        )


if __name__ == "__main__":
    main()
