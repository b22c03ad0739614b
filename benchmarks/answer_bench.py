"""`make bench` (answers): does the offline reporter's answer lead with the answer?

On FinanceBench dev (64 questions over 35 real filings), each question is searched the
way the reporter searches it, and two writers answer from the same passages: today's
reporter (`agents.offline.answers`) and the baseline, the reporter as it was before
(sentences ranked by shared words, quotes cut at 220 characters). Measured per writer:
- the share whose first cited passage, as shown, holds the gold answer's key figure
  (numbers normalised: 1,577 / 1577.0 / $1.58 billion against a table in millions) or,
  for answers without a figure, most of its key words;
- the share whose first citation is one of the question's evidence pages.
Also the share of questions whose evidence page is among the passages at all (the
ceiling either writer can reach), so the two are compared on what retrieval gave them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from agents.offline.answers import answer
from agents.offline.reading import content_words
from agents.offline.writing import best_excerpts, quote
from benchmarks.ingest_bench import DATA, OWNER, config_for
from knowledge.library import KnowledgeBase
from tools.agent_tools import SqlRulebooks, ToolDeps, search_knowledge

_NUMBER = re.compile(r"\(?-?\$?\s?(\d[\d,]*(?:\.\d+)?)\)?\s*(%|billion|bn|million|mn|m\b)?", re.I)


@dataclass(frozen=True)
class Shown:
    """What a writer shows first: the text of its first cited passage, and where."""

    text: str
    filename: str | None
    page: int | None


def numbers(text: str) -> list[tuple[Decimal, str]]:
    found = []
    for match in _NUMBER.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:
            continue
        found.append((value, (match.group(2) or "").lower()))
    return found


def _close(candidate: Decimal, gold: Decimal) -> bool:
    tolerance = max(abs(gold) * Decimal("0.006"), Decimal("0.006"))
    return abs(abs(candidate) - abs(gold)) <= tolerance


def holds_key(shown: str, gold_answer: str) -> bool:
    """The gold answer's first figure (scaled as a filing prints it) or most of its words."""
    gold = numbers(gold_answer)
    if gold:
        value, unit = gold[0]
        scales = [value]
        if unit in ("billion", "bn"):
            scales += [value * 1000, value * 1_000_000]
        if unit in ("million", "mn", "m"):
            scales += [value * 1000]
        return any(_close(c, g) for c, _ in numbers(shown) for g in scales)
    words = {w for w in content_words(gold_answer) if len(w) > 3}
    if not words:
        return False
    present = {w for w in content_words(shown)}
    return len(words & present) / len(words) >= 0.6


def baseline_shown(passages: Sequence[Mapping[str, Any]], terms: list[str]) -> Shown:
    """The reporter before this change: the first quote of its answer."""
    excerpts = best_excerpts(passages, terms, limit=3)
    if not excerpts:
        return Shown("", None, None)
    direct = [e for e in excerpts if e.hits > 0]
    first = direct[0] if direct else excerpts[0]
    return Shown(quote(first.text, 220 if direct else 140), first.filename, first.page)


def current_shown(question: str, passages: Sequence[Mapping[str, Any]], terms: list[str]) -> Shown:
    result = answer(question, passages, terms)
    lead = result.lead
    first = result.text.split("\n- Also:", 1)[0]
    return Shown(first, lead.get("filename") if lead else None, lead.get("page") if lead else None)


async def measure(kb: KnowledgeBase, folder: Path) -> None:
    deps = ToolDeps(
        knowledge=kb, owner=OWNER, reports_dir=folder / "reports",
        rulebooks=SqlRulebooks(kb.database.sessions),
    )
    rows = [json.loads(line) for line in (DATA / "questions.jsonl").read_text().splitlines()]
    names = {Path(d.filename).stem for d in await kb.list_documents(owner=OWNER)}
    rows = [r for r in rows if r["doc_name"] in names]
    tally = {"baseline": [0, 0], "current": [0, 0]}
    reachable = 0
    for row in rows:
        question, pages = row["question"], {e["evidence_page_num"] + 1 for e in row["evidence"]}
        terms = content_words(question)
        found = await search_knowledge(deps, query=" ".join(terms))
        passages = [p.model_dump() for p in found.passages]
        evidence = f"{row['doc_name']}.pdf"
        reachable += any(p["filename"] == evidence and p["page"] in pages for p in passages)
        for name, shown in (
            ("baseline", baseline_shown(passages, terms)),
            ("current", current_shown(question, passages, terms)),
        ):
            tally[name][0] += holds_key(shown.text, row["answer"])
            tally[name][1] += shown.filename == evidence and shown.page in pages
    count = len(rows)
    print(f"\nFinanceBench dev answers, {count} questions (same passages for both writers)")
    print(f"evidence page among the passages at all: {reachable / count:.2f}")
    print(f"{'writer':<28}  first cited passage holds the key   first citation on evidence page")
    for name, label in (("baseline", "baseline: previous reporter"), ("current", "reporter")):
        key, page = tally[name]
        print(f"{label:<28}  {key / count:>33.2f}   {page / count:>31.2f}")
    base_key, cur_key = tally["baseline"][0], tally["current"][0]
    print(f"key-figure share, reporter vs baseline: {cur_key / max(base_key, 1):.2f}x")


async def run(data_dir: Path | None, *, only_indexed: bool) -> None:
    folder = data_dir or Path(tempfile.mkdtemp(prefix="quorum-answers-"))
    kb = await KnowledgeBase.open(config_for(folder))
    try:
        have = {d.filename for d in await kb.list_documents(owner=OWNER)}
        missing = [p for p in sorted(DATA.glob("*.pdf")) if p.name not in have]
        if missing and not only_indexed:
            print(f"ingesting {len(missing)} filings into {folder} (reuse it with --data-dir)")
            await kb.ingest(missing, owner=OWNER)
        await measure(kb, folder)
    finally:
        await kb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, help="an index of the filings to reuse")
    parser.add_argument(
        "--only-indexed", action="store_true",
        help="measure only the questions whose filing is already in the index",
    )
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"benchmark data not found: {DATA}")
    asyncio.run(run(args.data_dir, only_indexed=args.only_indexed))


if __name__ == "__main__":
    main()
