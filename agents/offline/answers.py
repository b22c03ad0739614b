"""Answers that answer: the sentence or table row that answers first, in whole sentences,
with its page; for a figure, the statement row with its column headings and the value
for the period asked, and the arithmetic when the question asks for a change or a ratio;
when the documents do not say, that is said first, with the closest evidence.

Pure functions over search results, so the benchmark can measure them on the same
passages as the reporter they replace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agents.offline.reading import content_words
from agents.offline.writing import cite, flat
from knowledge.retrieval.metrics import metrics_named
from knowledge.retrieval.query import fiscal_years
from tools.agent_tools.tables import MIN_OPERAND_FIT, term_fit
from tools.formulas import Formula, Operand, formula_in
from tools.statement_rows import amount_value

Passage = Mapping[str, Any]
LEAD_WINDOW = 3  # the lead is chosen among the best-ranked passages only
SUPPORTING = 2
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])|\n{2,}|\n(?=[-•*]\s)")
_FIGURE = re.compile(
    r"\b(?:how\s+much|how\s+many|amount|total|value|figure|ratio|margin|percent|percentage"
    r"|rate|change|growth|grew|increase|decrease|decline|in\s+usd|\$)",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"%|\bpercent(?:age)?s?\b|\bmargin\b", re.IGNORECASE)
_CHANGE = re.compile(
    r"\b(?:change|growth|grew|grow|increase|decrease|decline|from\s+\S+\s+to)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Answer:
    """The answer's text and the passage its first citation points at."""

    text: str
    lead: Passage | None
    direct: bool


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: Passage
    hits: int
    rank: int

    @property
    def citation(self) -> str:
        """Where it is, '…, read by OCR, 94%' for a scan, the columns of a table row quoted."""
        p = self.passage
        where = cite(p["filename"], p.get("page"), p.get("rows"), p.get("ocr"))
        header = p.get("table_header")
        if header and "|" in self.text and header not in self.text:
            return f"{where}, table columns: {header}"
        return where


def whole_sentences(text: str) -> list[str]:
    """The passage's complete sentences: a fragment cut off at either end by the chunking
    is dropped, unless it is all there is."""
    parts = [flat(s) for s in _SENTENCE.split(text) if len(s.strip()) > 3]
    if len(parts) > 1 and parts[0][:1].islower() and "|" not in parts[0]:
        parts = parts[1:]
    ended = parts[-1].rstrip("”\")").endswith((".", "!", "?", ":")) if parts else True
    if len(parts) > 1 and not ended and "|" not in parts[-1]:  # a table row is whole
        parts = parts[:-1]
    return parts


def _stems(words: Sequence[str]) -> set[str]:
    return {w[:6] for w in words}


def best_sentences(passages: Sequence[Passage], terms: Sequence[str]) -> list[Sentence]:
    """Each passage's sentence sharing the most words with the question, in rank order."""
    wanted = _stems(terms)
    found = []
    for rank, passage in enumerate(passages):
        scored = [
            (len(wanted & _stems(content_words(s))), s) for s in whole_sentences(passage["text"])
        ]
        if scored:
            hits, text = max(scored, key=lambda pair: pair[0])
            found.append(Sentence(text, passage, hits, rank))
    return found


def answer(question: str, passages: Sequence[Passage], terms: Sequence[str]) -> Answer:
    """The answer to `question` from search results in rank order (best first)."""
    topic = " ".join(terms)
    if not passages:
        return Answer(f"The documents do not mention “{topic}”.", None, False)
    formula = formula_in(question)
    computed = _formula_answer(question, formula, passages) if formula else None
    if computed is not None:
        return computed
    if _FIGURE.search(question) or metrics_named(question).line_items:
        figure = _figure_answer(question, passages)
        if figure is not None:
            return figure
    sentences = best_sentences(passages, terms)
    if not sentences:
        return Answer(f"The documents do not say anything about “{topic}”.", passages[0], False)
    # A sentence answers when it shares at least a third of the question's words ("the
    # agreement" alone does not answer a question about its notice period); the lead is the
    # one sharing the most among the best-ranked passages (ties: the better-ranked).
    needed = max(1, -(-len(set(_stems(terms))) // 3))
    lead = max(sentences[:LEAD_WINDOW], key=lambda s: (s.hits, -s.rank))
    if lead.hits < needed:
        return Answer(
            f"The documents do not say this directly. The closest evidence: “{lead.text}” "
            f"({lead.citation}).",
            lead.passage,
            False,
        )
    others = [s for s in sentences if s is not lead and s.hits >= needed and s.text != lead.text]
    lines = [f"“{lead.text}” ({lead.citation})"]
    lines += [f"- Also: “{s.text}” ({s.citation})" for s in others[:SUPPORTING]]
    return Answer("\n".join(lines), lead.passage, True)


def _figure_answer(question: str, passages: Sequence[Passage]) -> Answer | None:
    """The statement row that answers, with its value for the year asked: the row whose
    label best names the figure among the best-ranked passages (ties: the better-ranked)."""
    candidates = [
        (float(row.get("fit", 0.0)), -rank, row, passage)
        for rank, passage in enumerate(passages[:LEAD_WINDOW])
        for row in (passage.get("table_rows") or [])[:1]
    ]
    if not candidates:
        return None
    _, _, row, passage = max(candidates, key=lambda item: (item[0], item[1]))
    return Answer(_row_text(question, row, passage), passage, True)


def _formula_answer(question: str, formula: Formula, passages: Sequence[Passage]) -> Answer | None:
    """The figure the question defines, computed from the statement rows of its terms, each
    row cited, the arithmetic shown; None when a term's row or year is not in the passages."""
    years = sorted(str(y) for y in fiscal_years(question))
    year = years[-1] if years else None
    terms = []
    for operand in (formula.left, formula.right):
        found = _term(operand, year, passages)
        if found is None:
            return None
        terms.append(found)
    (left, left_text, lead), (right, right_text, _) = terms
    result = _apply(formula.operator, left, right)
    if result is None:
        return None
    shown = _result_text(question, formula.operator, result)
    when = f" for {year}" if year else ""
    operation = f"{_fmt(left)} {formula.operator} {_fmt(right)}"
    named = [f"average {o.item}" if o.average_of else o.item for o in (formula.left, formula.right)]
    lines = [
        f"As the question defines it, {named[0]} {formula.operator} {named[1]}"
        f" = {operation} = **{shown}**{when}.",
        f"- {formula.left.item}: {left_text}",
        f"- {formula.right.item}: {right_text}",
    ]
    return Answer("\n".join(lines), lead, True)


def _term(
    operand: Operand, year: str | None, passages: Sequence[Passage]
) -> tuple[Decimal, str, Passage] | None:
    """The value of one term: its best-named row among the passages, at the year asked or
    averaged over the two years named; with the row as printed and its citation."""
    rows = [(term_fit(r["label"], operand.item), -rank, r, p)
            for rank, p in enumerate(passages) for r in p.get("table_rows") or []]  # fmt: skip
    rows = [item for item in rows if item[0][0] >= MIN_OPERAND_FIT]
    if not rows:
        return None
    _, _, row, passage = max(rows, key=lambda item: (item[0], item[1]))
    where = cite(passage["filename"], passage.get("page"), ocr=passage.get("ocr"))
    columns, amounts = list(row["columns"]), list(row["amounts"])
    wanted = list(operand.average_of) if operand.average_of else [year]
    if any(y is None or y not in columns for y in wanted) or len(amounts) < len(columns):
        return None
    values = [amount_value(amounts[columns.index(y)]) for y in wanted if y is not None]
    if any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    printed = " and ".join(f"{amounts[columns.index(y)]} ({y})" for y in wanted if y)
    if len(known) == 1:
        return known[0], f"{row['label']} {printed} ({where})", passage
    average = sum(known, Decimal(0)) / len(known)
    text = f"average of {row['label']} {printed} = {_fmt(average)} ({where})"
    return average, text, passage


def _apply(operator: str, left: Decimal, right: Decimal) -> Decimal | None:
    if operator == "/":
        return left / right if right else None
    if operator == "-":
        return left - right
    if operator == "+":
        return left + right
    return left * right


def _result_text(question: str, operator: str, result: Decimal) -> str:
    """A ratio to two decimals (a percentage when the question asks for one), a sum or
    difference as an amount."""
    if operator != "/":
        return _fmt(result)
    if _PERCENT.search(question):
        return f"{result * 100:.1f}%"
    return f"{result:.2f}"


def _row_text(question: str, row: Mapping[str, Any], passage: Passage) -> str:
    columns, amounts = list(row["columns"]), list(row["amounts"])
    years = [str(y) for y in fiscal_years(question)]
    target = next((y for y in sorted(years, reverse=True) if y in columns), None)
    where = cite(passage["filename"], passage.get("page"), ocr=passage.get("ocr"))
    printed = " | ".join(f"{c} {a}" for c, a in zip(columns, amounts, strict=False)) or " | ".join(
        amounts
    )
    lines = []
    if target is not None and len(amounts) >= len(columns):
        value = amounts[columns.index(target)]
        lines.append(f"**{row['label']}**: {value} for {target} ({where}).")
    else:
        lines.append(f"**{row['label']}** ({where}).")
    lines.append(f"- The row as printed: {row['label']} — {printed}.")
    change = _change(question, columns, amounts, years)
    if change:
        lines.append(f"- {change}")
    return "\n".join(lines)


def _change(question: str, columns: list[str], amounts: list[str], years: list[str]) -> str | None:
    """The change between two years of the row, when the question asks for one."""
    if not _CHANGE.search(question) or len(amounts) < len(columns) or len(columns) < 2:
        return None
    asked = [y for y in years if y in columns]
    later, earlier = (sorted(asked, reverse=True) + columns)[:2] if asked else columns[:2]
    if later == earlier:
        earlier = next((c for c in columns if c != later), earlier)
    new, old = (amount_value(amounts[columns.index(y)]) for y in (later, earlier))
    if new is None or old is None:
        return None
    difference = new - old
    share = f" ({difference / abs(old) * 100:+.1f}%)" if old else ""
    return f"Change {earlier} → {later}: {_fmt(new)} − {_fmt(old)} = {_fmt(difference)}{share}."


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
