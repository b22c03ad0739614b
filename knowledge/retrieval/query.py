"""Reading a question the way an analyst would before opening the filing.

Questions arrive wrapped in instructions ("Give a response to the question by relying
on the details shown in the cash flow statement. Answer in USD millions."). The wrapper
is not what to search for, but it often names where to look: the statement it names
is kept as a signal, and the wrapper itself is dropped from the search text, where rare
words like "judgments" or "analyst" would otherwise match pages at random. Wrappers are
recognised by their form (a sentence that names nothing to look up), never by a list
of the phrases some benchmark happens to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.retrieval.metrics import metrics_named
from knowledge.retrieval.statements import Statement, statements_named

_FISCAL_YEAR = re.compile(
    r"\b(?:fy|fiscal(?:\s+year)?)\s*'?((?:19|20)?\d\d)\b|\b((?:19|20)\d\d)\s*fy\b", re.IGNORECASE
)
_YEAR = re.compile(r"(?<![\d.,$])((?:19|20)\d\d)(?![\d,%])")
_QUARTER = re.compile(
    r"\bq([1-4])\b|\b([1-4])q\b|\b(first|second|third|fourth)\s+(?:fiscal\s+)?quarter\b",
    re.IGNORECASE,
)
_HALF = re.compile(r"\bh([12])\b|\b(first|second)\s+half\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

# How instructions look, whatever their words: a sentence with nothing to look up (no
# year, no figure, no name, no line item) only says how to answer ("Give a response by
# relying on the details shown in the cash flow statement."); a leading clause that
# names nothing, before a part that does, frames the question ("to the best of your
# abilities, ..."); a unit caption ("(in USD millions)", "in USD billions") says how to
# write the figure.
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"“])")
_LEADING_CLAUSE = re.compile(r"^(?P<clause>[^,;:]+)[,;:]\s*(?P<rest>.+)$", re.DOTALL)
_UNIT = r"(?:[A-Z]{3}\s+|\$\s*)?(?:millions?|thousands?|billions?|percents?|percentage|%)"
_UNIT_CAPTION = re.compile(
    rf"\(\s*(?:in\s+)?(?:units\s+of\s+)?{_UNIT}\s*\)|\bin\s+(?:units\s+of\s+)?{_UNIT}(?!\w)",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=\S)\s+(?:[A-Z][\w&'’.-]*|[A-Z]{2,})")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.-]*[A-Za-z0-9&]|[A-Za-z0-9]")


@dataclass(frozen=True)
class QueryAnalysis:
    """A question split into what to search for and where to look."""

    text: str
    content: str  # the question without its instructions, fiscal years spelled as years
    expansions: tuple[str, ...]  # filing line items for the figures it asks about
    statements: tuple[Statement, ...]  # statements the question names
    implied_statements: tuple[Statement, ...]  # statements its figures come from
    years: tuple[int, ...]  # fiscal years named, fiscal-year markers first
    quarter: int | None
    half: int | None

    @property
    def target_year(self) -> int | None:
        """The latest fiscal year named: the filing that reports it is the one to read."""
        return max(self.years) if self.years else None


def analyse(text: str) -> QueryAnalysis:
    """Statements, figures, periods and the content words of one question."""
    metrics = metrics_named(text)
    named = statements_named(text)
    return QueryAnalysis(
        text=text,
        content=content_of(text),
        expansions=metrics.line_items,
        statements=tuple(named),
        implied_statements=tuple(s for s in metrics.statements if s not in named),
        years=fiscal_years(text),
        quarter=_quarter(text),
        half=_half(text),
    )


def content_of(text: str) -> str:
    """The question without its instructions (read by form), with `FY2018` as `2018`."""
    text = _FISCAL_YEAR.sub(lambda m: " " + _full_year(m.group(1) or m.group(2)) + " ", text)
    text = _UNIT_CAPTION.sub(" ", text)
    sentences = [s for s in _SENTENCE.split(text.strip()) if s.strip()]
    kept = [_without_framing(s) for s in sentences if _anchored(s)] or sentences
    return " ".join(_WORD.findall(" ".join(kept)))


def _anchored(text: str) -> bool:
    """Does the text name something to look up: a year, a figure, a name or a line item?"""
    return bool(
        _YEAR.search(text)
        or re.search(r"\d", text)
        or _NAME.search(text)
        or metrics_named(text).line_items
    )


def _without_framing(sentence: str) -> str:
    """The sentence without a leading clause that names nothing before a part that does."""
    match = _LEADING_CLAUSE.match(sentence)
    if match and not _anchored(match.group("clause")) and _anchored(match.group("rest")):
        return match.group("rest")
    return sentence


def fiscal_years(text: str) -> tuple[int, ...]:
    """Years the question asks about; explicit fiscal years (FY2019) win over bare years,
    which may be dates in the future ("expected to pay in 2024")."""
    marked = [int(_full_year(m.group(1) or m.group(2))) for m in _FISCAL_YEAR.finditer(text)]
    if marked:
        return tuple(dict.fromkeys(marked))
    return tuple(dict.fromkeys(int(year) for year in _YEAR.findall(text)))


def _full_year(year: str) -> str:
    return year if len(year) == 4 else f"20{year}"


def _quarter(text: str) -> int | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    digit = match.group(1) or match.group(2)
    return int(digit) if digit else _ORDINALS[match.group(3).lower()]


def _half(text: str) -> int | None:
    match = _HALF.search(text)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else _ORDINALS[match.group(2).lower()]
