"""Analysts' words for figures, and the statements that report them.

A question asks for "capex" or "net PPNE"; the filing prints "Purchases of property,
plant and equipment" in its cash flow statement and "Property, plant and equipment,
net" in its balance sheet. Each entry maps the analyst's terms to the line items a
filing uses and to the statements where the figure (or its inputs) is reported. This is
general accounting vocabulary, the same for any filer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.retrieval.statements import Statement

BAL, INC, CF, EQ = Statement.BALANCE, Statement.INCOME, Statement.CASH_FLOW, Statement.EQUITY


@dataclass(frozen=True)
class Metric:
    """A figure analysts ask for: how they name it, how filings print it, where."""

    pattern: re.Pattern[str]
    line_items: str
    statements: tuple[Statement, ...]


def _metric(pattern: str, line_items: str, *statements: Statement) -> Metric:
    return Metric(re.compile(pattern, re.IGNORECASE), line_items, statements)


METRICS: tuple[Metric, ...] = (
    _metric(
        r"\bcapital\s+expenditures?\b|\bcapex\b|\bcapital\s+spending\b|\bcapital[-\s]intensive",
        "purchases of property, plant and equipment; capital expenditures; additions to "
        "property and equipment",
        CF,
        BAL,
    ),
    _metric(
        r"\bpp\s?&\s?e\b|\bppne\b|\bproperty,?\s+plant,?\s+and\s+equipment\b|\bfixed\s+assets?\b",
        "property, plant and equipment, net",
        BAL,
    ),
    _metric(r"\bd\s?&\s?a\b|\bdepreciation\b", "depreciation and amortization", CF, INC),
    _metric(
        r"\bebitda\b",
        "operating income; operating profit; depreciation and amortization",
        INC,
        CF,
    ),
    _metric(r"\bebit\b", "operating income; earnings before interest and taxes", INC),
    _metric(
        r"\bcogs\b|\bcost\s+of\s+(?:goods\s+)?(?:sold|sales|revenues?)\b",
        "cost of sales; cost of goods sold",
        INC,
    ),
    _metric(r"\bsg\s?&\s?a\b", "selling, general and administrative expenses", INC),
    _metric(
        r"\bgross\s+(?:margin|profit)\b",
        "gross profit; gross margin; net sales; cost of sales",
        INC,
    ),
    _metric(
        r"\boperating\s+(?:margin|income|profit)\b",
        "operating income; operating profit; total revenues; net sales",
        INC,
    ),
    _metric(
        r"\bnet\s+(?:income|earnings|profit|loss)\b|\bprofit\s+margin\b|\bbottom\s+line\b",
        "net income; net earnings",
        INC,
    ),
    _metric(
        r"\brevenues?\b|\bnet\s+sales\b|\btop\s+line\b|\bsales\s+growth\b",
        "total revenues; net sales; net revenue",
        INC,
    ),
    _metric(r"\beps\b|\bearnings\s+per\s+share\b", "earnings per share; basic; diluted", INC),
    _metric(
        r"\beffective\s+tax\s+rate\b|\bincome\s+tax(?:es)?\b",
        "provision for income taxes; income before income taxes; effective tax rate",
        INC,
    ),
    _metric(r"\binterest\s+coverage\b", "operating income; interest expense", INC),
    _metric(
        r"\bworking\s+capital\b",
        "total current assets; total current liabilities",
        BAL,
    ),
    _metric(
        r"\bquick\s+ratio\b|\bacid[-\s]test\b",
        "cash and cash equivalents; short-term investments; accounts receivable; total "
        "current liabilities",
        BAL,
    ),
    _metric(r"\bcurrent\s+ratio\b", "total current assets; total current liabilities", BAL),
    _metric(
        r"\bcurrent\s+(?:assets|liabilities)\b|\btotal\s+(?:assets|liabilities)\b",
        "total current assets; total current liabilities; total assets; total liabilities",
        BAL,
    ),
    _metric(
        r"\binventor(?:y|ies)\s+turnover\b|\bdays\s+(?:of\s+)?inventory\b|\bdio\b",
        "inventories; cost of sales",
        INC,
        BAL,
    ),
    _metric(r"\binventor(?:y|ies)\b", "merchandise inventories; inventories", BAL),
    _metric(
        r"\bdays\s+payables?\s+outstanding\b|\bdpo\b|\baccounts\s+payable\b",
        "accounts payable; cost of sales; inventories",
        BAL,
        INC,
    ),
    _metric(
        r"\bdays\s+sales\s+outstanding\b|\bdso\b|\breceivables?\b",
        "accounts receivable, net; revenues",
        BAL,
        INC,
    ),
    _metric(
        r"\breturn\s+on\s+(?:total\s+)?assets\b|\broa\b",
        "net income; total assets",
        INC,
        BAL,
    ),
    _metric(
        r"\breturn\s+on\s+(?:shareholders'?\s+|stockholders'?\s+)?equity\b|\broe\b",
        "net income; total shareholders' equity",
        INC,
        BAL,
    ),
    _metric(
        r"\basset\s+turnover\b",
        "total revenues; total assets",
        INC,
        BAL,
    ),
    _metric(
        r"\bcash\s+(?:flow\s+)?from\s+operations\b|\boperating\s+cash\s+flows?\b"
        r"|\bcash\s+flows?\s+from\s+operating\b|\boperating\s+activities\b",
        "net cash provided by operating activities",
        CF,
    ),
    _metric(
        r"\bfree\s+cash\s+flows?\b",
        "net cash provided by operating activities; capital expenditures",
        CF,
    ),
    _metric(
        r"\binvesting\s+activities\b|\bfinancing\s+activities\b",
        "net cash used in investing activities; net cash used in financing activities",
        CF,
    ),
    _metric(
        r"\bdividends?\b|\bpayout\s+ratio\b",
        "cash dividends paid; dividends declared per share",
        CF,
        EQ,
    ),
    _metric(
        r"\b(?:share|stock)\s+(?:repurchases?|buybacks?)\b|\bbuybacks?\b|\brepurchas",
        "repurchases of common stock; treasury stock purchases",
        CF,
        EQ,
    ),
    _metric(
        r"\bcash\s+(?:and|&)\s+cash\s+equivalents\b|\bcash\s+balance\b",
        "cash and cash equivalents",
        BAL,
    ),
    _metric(
        r"\b(?:total\s+|long[-\s]term\s+|net\s+)?debt\b|\bleverage\b|\bborrowings?\b",
        "long-term debt; short-term borrowings; current maturities of long-term debt",
        BAL,
    ),
    _metric(r"\bgoodwill\b", "goodwill; intangible assets", BAL),
    # Topics rather than figures: the words filings use for them, in no statement.
    _metric(
        r"\blegal\b|\blawsuits?\b|\blitigation\b|\bsued\b|\bcourt\b",
        "legal proceedings; litigation; contingencies",
    ),
    _metric(
        r"\bgeograph\w*|\bregions?\b|\bcountries\b|\boperates?\s+in\b",
        "geographic areas; regions; countries; international operations",
    ),
    _metric(
        r"\bacquisitions?\b|\bacquired\b|\bm\s?&\s?a\b|\bmergers?\b",
        "acquisitions; business combinations; acquired",
    ),
    _metric(r"\bsegments?\b", "segment results; reportable segments; segment information"),
    _metric(r"\bstores?\b|\blocations\b", "number of stores; store count; square footage"),
    _metric(r"\bemployees\b|\bheadcount\b|\bworkforce\b", "employees; human capital"),
    _metric(
        r"\bliquidity\b",
        "liquidity and capital resources; cash and cash equivalents; credit facilities",
        BAL,
    ),
    _metric(
        r"\b(?:shareholders|stockholders)['’]?\s+equity\b|\bbook\s+value\b",
        "total shareholders' equity",
        BAL,
    ),
)


@dataclass(frozen=True)
class MetricMatch:
    """What a question's figures add to the search: line items and likely statements."""

    line_items: tuple[str, ...]
    statements: tuple[Statement, ...]


def metrics_named(text: str) -> MetricMatch:
    """Line items and statements implied by the figures a question asks about."""
    items: list[str] = []
    statements: dict[Statement, None] = {}
    for metric in METRICS:
        if metric.pattern.search(text):
            items.append(metric.line_items)
            statements.update(dict.fromkeys(metric.statements))
    return MetricMatch(tuple(items), tuple(statements))
