"""`make bench` (answers): does the offline reporter's answer lead with the answer?

On FinanceBench dev (64 questions over 35 real filings, indexed once under BENCH_DIR and
reused), each question is searched and answered the way the reporter does it in the chat
(`agents.offline.reporter`: `search_query`, `search_knowledge`, `answer`) and by the
baseline, the reporter before issue 10 (`benchmarks/baseline_reporter.py`: content words
as the query, a list of up to three sentences cut at 220 characters). The baseline is
also run on today's passages, which tells the writer's share of the change from the
search's. Measured per answer:
- the share whose first cited passage, as shown, holds the gold answer's key figure
  (numbers normalised: 1,577 / 1577.0 / $1.58 billion against a table in millions) or,
  for answers without a figure, most of its key words;
- the share whose first citation is one of the question's evidence pages;
- the share where an evidence page is among the passages at all (the ceiling).
Seconds spent parsing, indexing and answering are printed apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from agents.offline.answers import answer
from agents.offline.reading import content_words, search_query
from benchmarks.baseline_reporter import baseline_answer, baseline_query
from benchmarks.bench_index import OWNER, open_index
from benchmarks.ingest_bench import DATA
from knowledge.library import KnowledgeBase
from tools.agent_tools import SqlRulebooks, ToolDeps, search_knowledge

_NUMBER = re.compile(
    r"(?<![\w.])\(?-?\$?\s?(\d[\d,]*(?:\.\d+)?|\.\d+)\)?\s*(%|billion|bn|million|mn|m\b)?", re.I
)
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Shown:
    """What a writer shows first: its first cited passage as shown, and where it is."""

    text: str
    filename: str | None
    page: int | None


def numbers(text: str) -> list[tuple[Decimal, str]]:
    """Every figure in the text with its unit word: `$1.58 billion` -> (1.58, 'billion')."""
    found = []
    for match in _NUMBER.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:
            continue
        found.append((value, (match.group(2) or "").lower()))
    return found


def _close(candidate: Decimal, gold: Decimal) -> bool:
    """Equal as an analyst rounds: within 0.6%, or to the gold's last printed digit."""
    tolerance = max(abs(gold) * Decimal("0.006"), Decimal("0.006"))
    return abs(abs(candidate) - abs(gold)) <= tolerance


def _scales(value: Decimal, unit: str, money: bool) -> list[Decimal]:
    """The gold figure as a filing may print it: $1.58 billion is 1,580 (millions) too, and
    a dollar amount given without its unit ("$8.70" asked in billions, "$382.00" in
    millions) may be printed in millions or thousands."""
    if unit in ("billion", "bn"):
        return [value, value * 1000, value * 1_000_000]
    if unit in ("million", "mn", "m"):
        return [value, value * 1000, value / 1000]
    if money and not unit:
        return [value, value * 1000, value * 1_000_000, value / 1000]
    return [value, value / 1000] if abs(value) >= 1000 else [value]


def key_figure(gold_answer: str) -> tuple[Decimal, str, bool] | None:
    """The gold answer's first figure that is not a year, its unit, and whether it is
    money ("$")."""
    for match in _NUMBER.finditer(gold_answer):
        found = numbers(match.group(0))
        if not found:
            continue
        value, unit = found[0]
        if unit or not _YEARLIKE.match(f"{value}"):
            return value, unit, "$" in match.group(0)
    return None


def holds_key(shown: str, gold_answer: str) -> bool:
    """The gold answer's first figure (scaled as a filing prints it) or most of its words."""
    figure = key_figure(gold_answer)
    if figure is not None:
        scales = _scales(*figure)
        return any(_close(c, g) for c, _ in numbers(shown) for g in scales)
    words = {w for w in content_words(gold_answer) if len(w) > 3}
    if not words:
        words = set(content_words(gold_answer))
    if not words:
        return False
    present = set(content_words(shown))
    return len(words & present) / len(words) >= 0.6


def reporter_shown(question: str, passages: list[dict[str, Any]]) -> Shown:
    """Today's reporter: its answer up to the supporting sentences, and its first citation."""
    result = answer(question, passages, content_words(question))
    lead = result.lead
    first = result.text.split("\n- Also:", 1)[0]
    return Shown(first, lead.get("filename") if lead else None, lead.get("page") if lead else None)


def baseline_shown(question: str, passages: list[dict[str, Any]]) -> Shown:
    quoted = baseline_answer(question, passages)
    return Shown(quoted.first_quote, quoted.filename, quoted.page)


Writer = Callable[[str, list[dict[str, Any]]], Shown]
RUNS: tuple[tuple[str, Callable[[str], str], Writer], ...] = (
    ("baseline: reporter before issue 10", baseline_query, baseline_shown),
    ("baseline writer, today's search", search_query, baseline_shown),
    ("reporter", search_query, reporter_shown),
)


def load_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / "questions.jsonl").read_text().splitlines()]


@dataclass
class Tally:
    key: int = 0
    page: int = 0
    reachable: int = 0


async def measure(kb: KnowledgeBase, folder: Path, *, show: bool) -> dict[str, Tally]:
    deps = ToolDeps(
        knowledge=kb, owner=OWNER, reports_dir=folder / "reports",
        rulebooks=SqlRulebooks(kb.database.sessions),
    )  # fmt: skip
    documents = await kb.list_documents(owner=OWNER)
    names = {Path(d.filename).stem for d in documents if d.status == "ready"}
    rows = [r for r in load_rows() if r["doc_name"] in names]
    tallies = {name: Tally() for name, _, _ in RUNS}
    for row in rows:
        question, pages = row["question"], {e["evidence_page_num"] + 1 for e in row["evidence"]}
        evidence = f"{row['doc_name']}.pdf"
        searched: dict[str, list[dict[str, Any]]] = {}
        for name, query_of, writer in RUNS:
            query = query_of(question)
            if query not in searched:
                found = await search_knowledge(deps, query=query)
                searched[query] = [p.model_dump() for p in found.passages]
            passages = searched[query]
            shown = writer(question, passages)
            tally = tallies[name]
            on_page = shown.filename == evidence and shown.page in pages
            tally.reachable += any(
                p["filename"] == evidence and p["page"] in pages for p in passages
            )
            tally.key += holds_key(shown.text, row["answer"])
            tally.page += on_page
            if show and name == RUNS[-1][0]:
                print(f"\nQ: {question}\ngold: {row['answer'][:160]} (pages {sorted(pages)})")
                print(f"key {holds_key(shown.text, row['answer'])} / page {on_page}: {shown.text}")
    print_table(tallies, len(rows))
    return tallies


def print_table(tallies: dict[str, Tally], count: int) -> None:
    print(f"\nFinanceBench dev answers, {count} of {len(load_rows())} questions"
          " (those whose filing is indexed)")  # fmt: skip
    print(f"{'writer':<36} first cited passage holds the key | first citation on an evidence page"
          " | evidence page among the passages")  # fmt: skip
    for name, tally in tallies.items():
        print(f"{name:<36} {tally.key / count:>38.2f} | {tally.page / count:>34.2f}"
              f" | {tally.reachable / count:>32.2f}")  # fmt: skip
    base, current = tallies[RUNS[0][0]], tallies[RUNS[-1][0]]
    same = tallies[RUNS[1][0]]
    print(
        f"reporter vs baseline: key {current.key / max(base.key, 1):.2f}x,"
        f" evidence page {current.page / max(base.page, 1):.2f}x;"
        f" vs the baseline writer on the same passages: key {current.key / max(same.key, 1):.2f}x,"
        f" evidence page {current.page / max(same.page, 1):.2f}x"
    )


def by_questions_per_page(rows: list[dict[str, Any]]) -> list[Path]:
    """The filings, those most questions ask about per page first: an index built in
    part (a time budget, an interrupted run) then answers the most questions."""
    asked = Counter(row["doc_name"] for row in rows)
    pdfs = sorted(DATA.glob("*.pdf"))
    pages = {pdf: len(PdfReader(pdf).pages) for pdf in pdfs}
    return sorted(pdfs, key=lambda pdf: (-asked[pdf.stem] / max(pages[pdf], 1), pdf.name))


async def run(data_dir: Path | None, *, show: bool, minutes: float | None) -> None:
    folder = data_dir or Path(tempfile.mkdtemp(prefix="quorum-answers-"))
    pdfs = await asyncio.to_thread(by_questions_per_page, load_rows())
    kb, build, built = await open_index(folder, pdfs, minutes=minutes)
    try:
        documents = await kb.list_documents(owner=OWNER)
        print(("" if built else "reused ") + build.summary(documents))
        start = time.perf_counter()
        await measure(kb, folder, show=show)
        print(f"answering (3 writers, 2 searches a question): {time.perf_counter() - start:.0f} s")
    finally:
        await kb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, help="the index of the filings, kept and reused")
    parser.add_argument("--show", action="store_true", help="print each question's answer")
    parser.add_argument(
        "--index-minutes", type=float,
        help="stop indexing after this long and measure the questions of the filings indexed"
        " (the next run goes on from there)",
    )  # fmt: skip
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"benchmark data not found: {DATA}")
    asyncio.run(run(args.data_dir, show=args.show, minutes=args.index_minutes))


if __name__ == "__main__":
    main()
