"""A document summarised from its structure, every point cited.

A filing: its form and period, the headline figures from its statements (with the column
they were read under), and where its risk and legal sections start. A contract: its
parties, term and fees, and which of the rulebook's required clauses it has (cited) or
lacks. A ledger: its period, totals, counterparties and largest items (cited by row).
Anything else: its opening sentences and headings. Points are quoted from the document,
never paraphrased, so each can be checked against the page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from knowledge.documents import LedgerRow, Page, ParsedDocument
from knowledge.retrieval.pages import page_context
from knowledge.retrieval.profile import profile_document
from knowledge.retrieval.statements import Statement
from tools.compliance.classify import classify_document, contract_title
from tools.compliance.kinds.base import compiled
from tools.compliance.rulebook import Rule
from tools.statement_rows import StatementRow, amount_value, statement_rows

Kind = Literal["filing", "contract", "ledger", "document"]
MAX_SENTENCE = 600
# a sentence ends at a full stop before white space or a blank line ("Inc., a" and
# "5.1 This" do not end one)
_END = re.compile(r"(?<=[.!?])[\"”)]?(?=\s)|\n\s*\n")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"“(])")
HEADLINES: tuple[tuple[Statement, str, re.Pattern[str]], ...] = (
    (
        Statement.INCOME,
        "revenue",
        re.compile(r"^(?:total\s+)?(?:net\s+)?(?:revenues?|sales)\b", re.I),
    ),
    (Statement.INCOME, "net income", re.compile(r"^net\s+(?:income|earnings|loss)\b", re.I)),
    (Statement.BALANCE, "total assets", re.compile(r"^total\s+assets\b", re.I)),
    (Statement.BALANCE, "total liabilities", re.compile(r"^total\s+liabilities\b", re.I)),
    (
        Statement.CASH_FLOW,
        "operating cash flow",
        re.compile(r"^net\s+cash\s+(?:provided|generated|from|used)\b.*operating", re.I),
    ),
)
SECTIONS = (
    (
        "risk factors",
        re.compile(r"\bitem\s*1a\.?\s*risk\s*factors\b|^risk\s+factors$", re.I | re.M),
    ),
    ("legal proceedings", re.compile(r"\bitem\s*3\.?\s*legal\s*proceedings\b", re.I)),
)
_PARTIES = re.compile(
    r"\bbetween\s+(?P<a>[A-Z][^,;()\n]{2,80}?)(?:\s*\([^)]*\))?,?\s+and\s+"
    r"(?P<b>[A-Z][^,;()\n]{2,80}?)(?=\s*[,(.;]|\s+\()",
)
# "between A, a Delaware company having its office at …  ("Bank"), and B, … ("Supplier")":
# each party's name up to its first comma, and the name the contract defines for it
_DEFINED_PARTIES = re.compile(
    r"\bbetween\s+(?P<a>[A-Z][^,;()]{2,80}?(?:,\s*(?:Inc|LLC|Ltd|L\.P|N\.A|plc)\.?)?),[^\"“”]{0,300}?\(\s*(?:the\s+)?[\"“](?P<ra>[^\"”]{2,40})[\"”]\s*\)"
    r",?\s+and\s+(?P<b>[A-Z][^,;()]{2,80}?(?:,\s*(?:Inc|LLC|Ltd|L\.P|N\.A|plc)\.?)?),[^\"“”]{0,300}?\(\s*(?:the\s+)?[\"“](?P<rb>[^\"”]{2,40})[\"”]\s*\)",
    re.DOTALL,
)
_TERM = re.compile(
    r"\b(?:term|duration|commence|renew)\w*\b[^.]{0,200}\b(?:\d+|one|two|three|five)\s+"
    r"(?:\(\d+\)\s+)?(?:years?|months?)\b|\bperpetual\b",  # a licence may run without end
    re.I,
)
_FEE = re.compile(
    r"\b(?:fees?|price|charges?|compensation|payable|pay)\b[^.]{0,200}(?:[$€£]\s?\d|\b(?:USD|EUR|GBP)\s?\d)",
    re.I,
)


@dataclass(frozen=True)
class Point:
    """One cited point of a summary."""

    topic: str
    text: str
    page: int | None = None
    row: int | None = None


@dataclass
class Summary:
    kind: Kind
    points: list[Point] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required clauses the contract lacks


def summarise(document: ParsedDocument, *, title: str, rules: Sequence[Rule] = ()) -> Summary:
    """The summary of one parsed document; `rules`: the rulebook, for required clauses."""
    kinds = classify_document(document, has_rows=bool(document.rows))
    if "ledger" in kinds and document.rows:
        return Summary("ledger", _ledger_points(document.rows))
    if "sec_filing" in kinds:
        return Summary("filing", _filing_points(document.pages, title))
    if "contract" in kinds or _reads_as_contract(document):
        points, missing = _contract_points(document.pages, rules)
        return Summary("contract", points, missing)
    return Summary("document", _opening_points(document.pages))


def sentence_at(text: str, offset: int) -> str:
    """The whole sentence around `offset` (one line of a table if it has no sentence),
    without a heading line before it ("5. Term and Termination"); a sentence longer than
    MAX_SENTENCE is cut after a clause, and the cut is shown."""
    starts = [m.end() for m in _END.finditer(text, 0, offset)]
    start = _after_heading(text, starts[-1] if starts else 0, offset)
    end = _sentence_end(text, offset)
    if len(text[start:end].split()) < 6:  # a heading ("Governing Law."): take what follows
        end = _sentence_end(text, end + 1)
    sentence = " ".join(text[start:end].split())
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    head = sentence[:MAX_SENTENCE]
    cut = max(head.rfind("; "), head.rfind(", "))
    return (head[:cut] if cut > MAX_SENTENCE // 2 else head.rsplit(" ", 1)[0]) + " …"


def _after_heading(text: str, start: int, offset: int) -> int:
    """Where the sentence starts once a short heading line before it is skipped."""
    line_start = text.rfind("\n", start, offset)
    while line_start > start:
        line = text[start:line_start].strip()
        if line and len(line.split()) < 7 and not line.endswith((",", ";")):
            return line_start + 1
        line_start = text.rfind("\n", start, line_start)
    return start


def _sentence_end(text: str, offset: int) -> int:
    match = _END.search(text, offset)
    return match.start() + 1 if match else len(text)


# -- filings ---------------------------------------------------------------------------------
def _filing_points(pages: Sequence[Page], title: str) -> list[Point]:
    profile = profile_document(title, [p.text for p in pages])
    period = f"FY{profile.year}" if profile.year else "period not stated"
    if profile.quarter:
        period = f"Q{profile.quarter} {period}"
    named = [name for name in profile.names if name != title]  # the file name is no name
    who = _registrant(pages) or (named[0] if named else title)
    points = [Point("filing", f"{profile.form or 'Filing'} of {who}, {period}", pages[0].number)]
    points += _headline_figures(pages)
    for name, pattern in SECTIONS:
        section = _section(pages, pattern)
        if section is not None:
            page, sentence = section
            points.append(Point(name, sentence, page))
    return points


_REGISTRANT = re.compile(
    r"^\s*(?P<name>[^\n]{2,80}?)\s*\n[^\n]{0,40}\(\s*exact\s+name\s+of\s+registrant", re.I | re.M
)


_AFTER_FILE_NUMBER = re.compile(
    r"commission\s+file\s+number[^\n]*\n(?:\s*\n)*\s*(?P<name>[A-Z0-9][A-Z0-9&.,' -]{1,60})\s*$",
    re.I | re.M,
)


def _registrant(pages: Sequence[Page]) -> str | None:
    """The cover page's name: above "(Exact name of registrant as specified in its
    charter)", or the capitalised line after the Commission file number."""
    for page in pages[:2]:
        match = _REGISTRANT.search(page.text)
        if match:
            return " ".join(match.group("name").split())
        match = _AFTER_FILE_NUMBER.search(page.text)
        if match and match.group("name").strip().isupper():
            return " ".join(match.group("name").split())
    return None


def _headline_figures(pages: Sequence[Page]) -> list[Point]:
    found: dict[str, Point] = {}
    for page in pages:
        statement = page_context(page.text).statement
        if statement is None:
            continue
        for row in statement_rows(page.text):
            for wanted, name, pattern in HEADLINES:
                if wanted is statement and name not in found and pattern.search(row.label):
                    found[name] = Point(name, _with_prior_year(row), page.number)
    return [found[name] for _, name, _ in HEADLINES if name in found]


def _with_prior_year(row: StatementRow) -> str:
    """`Net sales: 32,765 (2018) against 31,657 (2017), +3.5%`: the latest column, the one
    before it and the change between them, when the columns are years in a row."""
    if not row.columns or len(row.amounts) < len(row.columns):
        return f"{row.label}: {row.amounts[0]}"
    order = sorted(range(len(row.columns)), key=lambda i: row.columns[i], reverse=True)
    latest = order[0]
    text = f"{row.label}: {row.amounts[latest]} ({row.columns[latest]})"
    if len(order) < 2:
        return text
    prior = order[1]
    text += f" against {row.amounts[prior]} ({row.columns[prior]})"
    new, old = amount_value(row.amounts[latest]), amount_value(row.amounts[prior])
    if new is not None and old:
        text += f", {(new - old) / abs(old) * 100:+.1f}%"
    return text


def _section(pages: Sequence[Page], pattern: re.Pattern[str]) -> tuple[int, str] | None:
    """The page a section starts on and its first real sentence (contents pages skipped)."""
    for page in pages:
        match = pattern.search(page.text)
        if match is None or len(re.findall(r"\bitem\s*\d", page.text, re.I)) > 6:
            continue
        rest = page.text[match.end() :]
        for sentence in _SENTENCE.split(" ".join(rest.split())):
            if len(sentence.split()) >= 8:
                return page.number, sentence[:MAX_SENTENCE]
    return None


# -- contracts -------------------------------------------------------------------------------
def _contract_points(pages: Sequence[Page], rules: Sequence[Rule]) -> tuple[list[Point], list[str]]:
    points: list[Point] = _parties(pages)
    read = (("term", _TERM), ("fees", _FEE))
    for topic, pattern in read if points else (("parties", _PARTIES), *read):
        hit = _first(pages, pattern)
        if hit is not None:
            points.append(Point(topic, *hit))
    missing = []
    for name, patterns in _required_clauses(rules):
        hit = _first_of(pages, patterns)
        if hit is None:
            missing.append(name)
        else:
            points.append(Point(f"clause: {name}", *hit))
    return points, missing


def _parties(pages: Sequence[Page]) -> list[Point]:
    """The parties as the contract names and defines them: `A (“Bank”) and B (“Supplier”)`."""
    for page in pages[:2]:
        match = _DEFINED_PARTIES.search(page.text)
        if match:
            a, b = (" ".join(match.group(g).split()) for g in ("a", "b"))
            text = f"{a} (“{match.group('ra')}”) and {b} (“{match.group('rb')}”)"
            return [Point("parties", text, page.number)]
    return []


def _reads_as_contract(document: ParsedDocument) -> bool:
    """Titled as an agreement or naming its parties: summarised as a contract even when
    too short for the compliance engine to hold it to contract rules."""
    head = "\n".join(page.text for page in document.pages[:2])
    return contract_title(document) is not None or _PARTIES.search(head) is not None


def _required_clauses(rules: Sequence[Rule]) -> list[tuple[str, list[str]]]:
    """The clauses the rulebook requires of every contract, named from the rule titles."""
    clauses = []
    for rule in rules:
        kinds = rule.params.get("document_kinds") or []
        if rule.kind != "required_clause" or "contract" not in kinds or rule.params.get("trigger"):
            continue
        name = re.sub(r"^.*\bwithout\s+an?\s+|\s+clause$", "", rule.title, flags=re.I)
        clauses.append((name, list(rule.params.get("clauses", []))))
    return clauses


def _first(pages: Sequence[Page], pattern: re.Pattern[str]) -> tuple[str, int] | None:
    for page in pages:
        match = pattern.search(page.text)
        if match:
            return sentence_at(page.text, match.start()), page.number
    return None


def _first_of(pages: Sequence[Page], sources: list[str]) -> tuple[str, int] | None:
    patterns = compiled(sources)
    for page in pages:
        for pattern in patterns:
            span = pattern.search(page.text)
            if span is not None:
                return sentence_at(page.text, span[0]), page.number
    return None


# -- ledgers ---------------------------------------------------------------------------------
def _ledger_points(rows: Sequence[LedgerRow]) -> list[Point]:
    points: list[Point] = []
    dated = [(r.date, r) for r in rows if r.date is not None]
    if dated:
        first = min(dated, key=lambda pair: pair[0])[1]
        last = max(dated, key=lambda pair: pair[0])[1]
        points.append(
            Point("period", f"{first.date} to {last.date}, {len(rows)} rows", row=first.row_number)
        )
    totals = _totals(rows)
    if totals:
        points.append(Point("totals", totals, row=rows[0].row_number))
    parties = Counter(r.party for r in rows if r.party)
    if parties:
        named = ", ".join(f"{p} ({n})" for p, n in parties.most_common(5))
        points.append(Point("counterparties", f"{len(parties)} counterparties; most rows: {named}"))
    for row in sorted(_with_amount(rows), key=lambda r: -abs(r.amount or Decimal(0)))[:3]:
        what = " · ".join(v for v in (str(row.date or ""), row.party or "", row.memo or "") if v)
        points.append(
            Point(
                "largest item",
                f"{row.amount:,} {row.currency or ''} — {what}".strip(),
                row=row.row_number,
            )
        )
    return points


def _with_amount(rows: Iterable[LedgerRow]) -> list[LedgerRow]:
    return [r for r in rows if r.amount is not None]


def _totals(rows: Sequence[LedgerRow]) -> str:
    """Per currency: what came in and what went out (signed amounts), and the net; a
    ledger that prints every amount positive says so, with its largest entry types."""
    parts = []
    by_currency: dict[str, list[LedgerRow]] = defaultdict(list)
    for row in _with_amount(rows):
        by_currency[row.currency or "(no currency)"].append(row)
    for currency, items in by_currency.items():
        amounts = [row.amount or Decimal(0) for row in items]
        inflow = sum((a for a in amounts if a > 0), Decimal(0))
        outflow = sum((-a for a in amounts if a < 0), Decimal(0))
        if outflow:
            parts.append(f"{currency}: in {inflow:,}, out {outflow:,}, net {inflow - outflow:,}"
                         f" ({len(items)} amounts)")  # fmt: skip
            continue
        types: dict[str, Decimal] = defaultdict(Decimal)
        for row in items:
            types[row.type or "no type"] += row.amount or Decimal(0)
        largest = sorted(types.items(), key=lambda item: -item[1])[:4]
        split = "; ".join(f"{name} {total:,}" for name, total in largest)
        parts.append(f"{currency}: {inflow:,} over {len(items)} amounts, all positive"
                     f" (by type: {split})")  # fmt: skip
    return " · ".join(parts)


# -- anything else ---------------------------------------------------------------------------
def _opening_points(pages: Sequence[Page]) -> list[Point]:
    points = []
    for page in pages[:3]:
        sentences = [s for s in _SENTENCE.split(" ".join(page.text.split())) if len(s.split()) > 5]
        points += [Point("says", s[:MAX_SENTENCE], page.number) for s in sentences[:2]]
    return points[:4]
