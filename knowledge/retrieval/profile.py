"""Who filed a document, what kind of filing it is and which period it covers.

Read from the document itself (the cover page's registrant name, trading symbols, form
and fiscal period) and from the name it was uploaded under, which people choose to say
exactly this ("Acme 2023 10-K.pdf"). A question that names a company and a fiscal year
is routed to the matching documents with it.

The profile is stored as data: columns of the document's rows in the chunk store
(`knowledge.store`), where the retriever reads it. Its readable line (`header_line`) is
also put in front of the document's first indexed text, so that full-text and vector
search see the company and period; that line is never parsed back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COVER_PAGES = 3
HEADER_PREFIX = "Document:"
_FIELD_SEPARATOR = " · "

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_FILENAME_QUARTER = re.compile(r"(?:19|20)\d\dq([1-4])\b|\bq([1-4])(?:19|20)\d\d", re.IGNORECASE)
_REGISTRANT = re.compile(r"exact\s+name\s+of\s+(?:the\s+)?registrant", re.IGNORECASE)
# A trading symbol in the cover's securities table ("Common Stock JPM The New York Stock
# Exchange", not the "PR G" of a preferred series), or in a press release "(NYSE: XYZ)".
_TICKER = re.compile(
    r"(?<![\w.])(?<![A-Z]\s)([A-Z]{1,5})\s+(?:The\s+)?(?:New\s+York\s+Stock\s+Exchange|NYSE"
    r"|Nasdaq|NASDAQ|Chicago\s+Stock\s+Exchange)"
)
_RELEASE_TICKER = re.compile(r"\((?:NYSE|NASDAQ|Nasdaq)\s*:\s*([A-Z]{1,5})\)")
_FISCAL_END = re.compile(
    r"(?:fiscal\s+year|quarterly\s+period|period)\s+ended\s+\w+\s+\d{1,2}\s*,?\s*((?:19|20)\d\d)",
    re.IGNORECASE,
)
_REPORT_DATE = re.compile(r"date\s+of\s+report[^\n]{0,60}?((?:19|20)\d\d)", re.IGNORECASE)
_FORMS = (
    ("10-K", re.compile(r"\bform\s*10-?k\b|\bannual\s+report\s+pursuant", re.IGNORECASE)),
    ("10-Q", re.compile(r"\bform\s*10-?q\b|\bquarterly\s+report\s+pursuant", re.IGNORECASE)),
    ("8-K", re.compile(r"\bform\s*8-?k\b|\bcurrent\s+report\s+pursuant", re.IGNORECASE)),
)
_FILENAME_FORMS = (
    ("10-K", re.compile(r"\b10-?k\b", re.IGNORECASE)),
    ("10-Q", re.compile(r"\b10-?q\b", re.IGNORECASE)),
    ("8-K", re.compile(r"\b8-?k\b", re.IGNORECASE)),
    (
        "earnings release",
        re.compile(r"\bearnings\b|\bresults\b|\bpress\s+release\b", re.IGNORECASE),
    ),
)
_NAME_STOP = re.compile(
    r"^(?:(?:19|20)\d\d.*|q[1-4].*|10-?[kq]|8-?k|earnings|annual|quarterly|report|results"
    r"|form|fy.*|dated.*)$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"commission|file\s+number|transition|pursuant|\bform\b", re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:and\s+subsidiaries|& subsidiaries|inc|incorporated|corp|corporation|company|co"
    r"|ltd|limited|plc|llc|l\.p|lp|n\.v|s\.a|ag|se|holdings?|group)\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentProfile:
    """What identifies a filing in a question: company, form and fiscal period."""

    title: str
    names: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    form: str | None = None
    year: int | None = None
    quarter: int | None = None


def profile_document(title: str, pages: Sequence[str]) -> DocumentProfile:
    """The profile of a document from its title (file name) and its first pages."""
    cover = "\n".join(pages[:COVER_PAGES])
    names = _unique([*_registrant_names(cover), _title_name(title)])
    return DocumentProfile(
        title=title,
        names=tuple(name for name in names if name),
        tickers=tuple(_unique([*_TICKER.findall(cover), *_RELEASE_TICKER.findall(cover)]))[:2],
        form=_form(title, cover),
        year=_year(title, cover),
        quarter=_quarter(title),
    )


def header_line(profile: DocumentProfile) -> str:
    """The profile as one line of indexed text, for the indexes to match (not read back)."""
    fields = [f"{HEADER_PREFIX} {profile.title}"]
    if profile.names:
        fields.append("company: " + "; ".join(profile.names))
    if profile.tickers:
        fields.append("ticker: " + " ".join(profile.tickers))
    if profile.form:
        fields.append(f"form: {profile.form}")
    if profile.year:
        period = f"Q{profile.quarter} " if profile.quarter else ""
        fields.append(f"fiscal period: {period}FY{profile.year}")
    return _FIELD_SEPARATOR.join(fields)


def _registrant_names(cover: str) -> list[str]:
    """The registrant's name: the line above '(Exact name of registrant ...)' on a filing's
    cover, or the name before '(NYSE: XYZ)' in a press release."""
    lines = [" ".join(line.split()) for line in cover.splitlines()]
    names = []
    for index, line in enumerate(lines):
        match = _REGISTRANT.search(line)
        if not match:
            continue
        before = line[: match.start()].strip(" (")
        candidate = before or next((lines[i] for i in range(index - 1, -1, -1) if lines[i]), "")
        if _plausible_name(candidate):
            names.append(core_name(candidate))
    for line in lines:
        match = _RELEASE_TICKER.search(line)
        if match:
            candidate = re.split(r"--|—|\)", line[: match.start()])[-1]
            if _plausible_name(candidate):
                names.append(core_name(candidate))
    return names


def _plausible_name(candidate: str) -> bool:
    """A company name, not a file number or a form caption that sits where names do."""
    digits = sum(char.isdigit() for char in candidate)
    return (
        1 < len(candidate.strip()) <= 80
        and digits <= len(candidate) // 5
        and not _NOT_A_NAME.search(candidate)
    )


def core_name(name: str) -> str:
    """`The Coca-Cola Company` -> `Coca-Cola`: the name without articles and legal form."""
    name = re.sub(r"^the\s+", "", name.strip(" -–—,.:;"), flags=re.IGNORECASE)
    previous = None
    while previous != name:
        previous = name
        name = _LEGAL_SUFFIX.sub("", name).strip(" ,.&")
        name = re.sub(r"\s+and$", "", name, flags=re.IGNORECASE)
    return name


def _title_name(title: str) -> str:
    """The leading words of the title before its year or form: `3M 2018 10K` -> `3M`."""
    words = []
    for word in title.split():
        if _NAME_STOP.match(word):
            break
        words.append(word)
    return " ".join(words)


def _form(title: str, cover: str) -> str | None:
    for form, pattern in _FILENAME_FORMS:
        if pattern.search(title):
            return form
    head = cover[:3000]
    for form, pattern in _FORMS:
        if pattern.search(head):
            return form
    return None


def _year(title: str, cover: str) -> int | None:
    """The fiscal year: the one in the title, else the end of the period on the cover."""
    in_title = _YEAR.findall(title)
    if in_title:
        return int(in_title[0])
    for pattern in (_FISCAL_END, _REPORT_DATE):
        match = pattern.search(cover)
        if match:
            return int(match.group(1))
    return None


def _quarter(title: str) -> int | None:
    match = _FILENAME_QUARTER.search(title)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def _unique(items: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        key = item.strip()
        if key and key.lower() not in (k.lower() for k in seen):
            seen[key] = None
    return list(seen)
