"""Which rows of a statement page a query is about: the line items sharing its words."""

from __future__ import annotations

import re

from knowledge.retrieval.metrics import metrics_named
from knowledge.retrieval.query import content_of
from tools.agent_tools.models import TableRow
from tools.formulas import formula_in
from tools.statement_rows import statement_rows

MIN_ROWS = 5
MAX_LABEL = 90
MAX_ROWS = 3
MIN_OPERAND_FIT = 0.75  # a row for a term of a formula the question defines (fit 0: not a lead)
_WORD = re.compile(r"[a-z]{3,}")
_IGNORED_TEXT = """the and for from with year years ended what how much was were are
    fiscal amount usd millions million billions thousands company end did does have has"""
_IGNORED = frozenset(_IGNORED_TEXT.split())


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _IGNORED}


def _fit(
    label: set[str], question: set[str], line_items: list[set[str]]
) -> tuple[float, int, int]:
    """How well a row's label names what is asked: the share of its words the question
    uses, or its overlap with a line item the asked figure is printed as (whichever is
    higher); ties go to the label sharing more words, then to the one with fewer words
    the question does not use. "Total assets" beats "Total current
    assets" for "total assets", "Capital spending" beats "Sales of property" for capex."""
    if not label:
        return 0.0, 0, 0
    shared = len(label & question)
    best = shared / len(label) if shared else 0.0
    for item in line_items:
        overlap = len(label & item)
        if overlap:
            best = max(best, overlap / len(label | item))
    return best, shared, -len(label - question)  # then the fewest words not asked


def term_fit(label: str, term: str) -> tuple[float, float]:
    """How well a row's label names a term of a formula ("cash from operations"): the
    share of the term's words the label has (or its overlap with a line item the term is
    printed as), then the share of the label's words the term has."""
    wanted, words = _stems(term), _stems(label)
    if not wanted or not words:
        return 0.0, 0.0
    named = [i for items in metrics_named(term).line_items for i in items.split(";")]
    items = [len(words & _stems(i)) / len(words | _stems(i)) for i in named if _stems(i)]
    recall = len(wanted & words) / len(wanted)
    return max([recall, *items]), len(wanted & words) / len(words)


def matching_rows(page_text: str, query: str) -> list[TableRow]:
    """Up to three rows whose labels best name the figure the query asks for (none when
    the page is not a table of amounts under column headings)."""
    rows = [
        row
        for row in statement_rows(page_text)
        if len(row.columns) >= 2 and len(row.amounts) >= 2 and len(row.label) <= MAX_LABEL
    ]
    if len(rows) < MIN_ROWS:
        return []  # a page of prose with a few figures in it is not a table
    # the question without its instruction wrapper ("… shown in the cash flow statement"
    # names a statement, not a row), and each line item of the figures it asks for
    question = _stems(content_of(query))
    named = [i for items in metrics_named(query).line_items for i in items.split(";")]
    items = [_stems(i) for i in named if _stems(i)]
    scored = [(_fit(_stems(row.label), question, items), -index, row)
              for index, row in enumerate(rows)]  # fmt: skip
    best = sorted((item for item in scored if item[0][0] > 0), reverse=True)
    chosen: list[TableRow] = []
    for (fit, *_), _, row in best:
        if all(c.label != row.label for c in chosen) and len(chosen) < MAX_ROWS:
            chosen.append(TableRow(label=row.label, amounts=list(row.amounts),
                                   columns=list(row.columns), fit=round(fit, 3)))  # fmt: skip
    formula = formula_in(query)
    for operand in (formula.left, formula.right) if formula else ():
        fits = [(term_fit(row.label, operand.item), -i, row) for i, row in enumerate(rows)]
        (term, _), _, row = max(fits, key=lambda item: (item[0], item[1]))
        if term >= MIN_OPERAND_FIT and all(c.label != row.label for c in chosen):
            chosen.append(TableRow(label=row.label, amounts=list(row.amounts),
                                   columns=list(row.columns), fit=0.0))  # fmt: skip
    return chosen
