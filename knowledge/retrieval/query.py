"""Reading a question the way an analyst would before opening the filing.

Questions arrive wrapped in instructions ("Give a response to the question by relying
on the details shown in the cash flow statement. Answer in USD millions."). The wrapper
is not what to search for, but it often names where to look: the statement it names
is kept as a signal, and its instruction words are dropped from the search text, where
rare words like "judgments" or "analyst" would otherwise match pages at random.
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

# Whole clauses that only say how to answer.
_INSTRUCTION_CLAUSES = (
    re.compile(
        r"\bif\s[^.?!]*?\bnot\s+(?:a\s+)?(?:useful|relevant|meaningful)\b[^.?!]*[.?!]?",
        re.IGNORECASE,
    ),
    re.compile(r"\bto\s+the\s+best\s+of\s+(?:your|my|our)\s+abilit(?:y|ies)\b", re.IGNORECASE),
    re.compile(r"\btak(?:e|ing)\s+into\s+account\b", re.IGNORECASE),
    re.compile(
        r"\b(?:who|which)\s+(?:only\s+)?(?:has|have|can)\s+(?:only\s+)?access\s+to\b", re.IGNORECASE
    ),
    re.compile(r"\bround\s+(?:your\s+)?(?:answer\s+)?to\s+[^.?!]*?places?\b", re.IGNORECASE),
    re.compile(r"\banswer\s+in\s+(?:units\s+of\s+)?[^.?!]*?(?=[.?!]|\band\b|$)", re.IGNORECASE),
    re.compile(
        r"\b(?:public\s+equities|investment\s+banking|investment|equity\s+research|financial)"
        r"\s+analysts?\b",
        re.IGNORECASE,
    ),
)
# Words that only instruct or frame the question; content words are never listed here.
_INSTRUCTION_WORDS_TEXT = """
    give giving response respond responding question questions answer answers answering
    relying rely relies details detail shown show shows showing information info
    provided provide primarily only using use utilize utilizing based basing judgments
    judgment according clearly outlined outline drawing draw conclusions conclusion stated
    referencing assume assuming assumption perspective standpoint analyst analysts please
    help calculate compute calculating computing round rounded decimal places percents usd
    millions billions thousands metric metrics within approach asked abilities ability
    following here want need explain why
"""
_INSTRUCTION_WORDS = frozenset(_INSTRUCTION_WORDS_TEXT.split())
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
    """The question without instruction clauses and words, with `FY2018` as `2018`."""
    stripped = _FISCAL_YEAR.sub(lambda m: " " + _full_year(m.group(1) or m.group(2)) + " ", text)
    for clause in _INSTRUCTION_CLAUSES:
        stripped = clause.sub(" ", stripped)
    words = [word for word in _WORD.findall(stripped) if word.lower() not in _INSTRUCTION_WORDS]
    return " ".join(words)


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
