"""Personal identifiers written in clear: payment card numbers (Luhn) and US SSNs.

A number is only a card number when it is shaped like one (4-4-4-4, 4-6-5 or 13-19 digits
in a row), starts like a card network's numbers and passes the Luhn check; it is an SSN
when it is NNN-NN-NNNN with a valid area, group and serial. Masked forms (`***-**-1234`,
`483122******9010`, `XXXX XXXX XXXX 8812`) never match, and the words just before the
number ("reference", "EIN", "phone") can say it is something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from tools.compliance.context import DocumentView, Segment, normalise_header
from tools.compliance.kinds.base import Hit, Regex, RuleKind, ScopedParams, compiled
from tools.compliance.text import words_before

__all__ = ["Identifier", "IdentifierParams", "luhn_valid", "valid_ssn"]

_BEFORE = r"(?<![\w*•·#/.,-])"
_AFTER = r"(?![\w*•·/]|[.,-]\d)"
CARD_CANDIDATE = re.compile(
    _BEFORE
    + r"(?:\d{4}(?P<s1>[ -])\d{4}(?P=s1)\d{4}(?P=s1)\d{4}(?:(?P=s1)\d{1,3})?"
    + r"|\d{4}(?P<s2>[ -])\d{6}(?P=s2)\d{4,5}"
    + r"|\d{13,19})"
    + _AFTER
)
SSN_CANDIDATE = re.compile(
    _BEFORE
    + r"(?P<area>\d{3})-(?P<group>\d{2})-(?P<serial>\d{4})"
    + _AFTER
    + r"|\b(?:SSN|SS#|Social\s+Security\s+(?:No\.?|Number|#))\s*[:#]?\s*"
    r"(?P<area2>\d{3})[ ]?(?P<group2>\d{2})[ ]?(?P<serial2>\d{4})\b",
    re.IGNORECASE,
)
# Issuer prefixes of the major networks (Visa, Mastercard, Amex, Discover, JCB, Diners,
# UnionPay, Maestro) with the lengths they issue.
_NETWORKS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"4"), frozenset({13, 16, 19})),
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), frozenset({16})),
    (re.compile(r"3[47]"), frozenset({15})),
    (re.compile(r"6011|65|64[4-9]"), frozenset({16, 17, 18, 19})),
    (re.compile(r"35(?:2[89]|[3-8]\d)"), frozenset({16, 17, 18, 19})),
    (re.compile(r"3(?:0[0-5]|[689])"), frozenset({14, 15, 16, 17, 18, 19})),
    (re.compile(r"62"), frozenset({16, 17, 18, 19})),
    (re.compile(r"5[06-9]|6[0-9]"), frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
)
_YEAR_GROUP = re.compile(r"(?:19|20)\d\d")


class IdentifierParams(ScopedParams):
    scheme: Literal["payment_card", "us_ssn"]
    exclude_context: list[Regex] = Field(
        default_factory=list,
        description="Words just before the number (or its column name) that make it "
        "something else, such as a reference or an employer number",
    )
    context_words: int = Field(default=6, ge=0, le=30)


class Identifier(RuleKind):
    name = "identifier"
    params_model = IdentifierParams

    def find(self, view: DocumentView, params: IdentifierParams) -> Iterator[Hit]:
        if not params.applies_to(view):
            return
        candidate = CARD_CANDIDATE if params.scheme == "payment_card" else SSN_CANDIDATE
        valid = _valid_card if params.scheme == "payment_card" else _valid_ssn_match
        for number, page in view.pages.items():
            for match in candidate.finditer(page.text):
                if not valid(match):
                    continue
                segment = view.segment_at(number, match.start())
                if segment is None or _excluded(view, segment, match.start(), params):
                    continue
                yield Hit(number, match.start(), match.end(), segment.row)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _valid_card(match: re.Match[str]) -> bool:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    groups = re.split(r"[ -]", text)
    if len(groups) > 1 and all(_YEAR_GROUP.fullmatch(g) for g in groups[:4]):
        return False
    if len(set(digits)) == 1:
        return False
    on_network = any(
        prefix.match(digits) and len(digits) in lengths for prefix, lengths in _NETWORKS
    )
    return on_network and luhn_valid(digits)


# Numbers the SSA has voided or that are printed as examples (advertising, wallet inserts).
_EXAMPLE_SSNS = frozenset({"123456789", "078051120", "219099999", "111111111", "987654320"})


def valid_ssn(area: str, group: str, serial: str) -> bool:
    """SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000, no known
    example number."""
    return (
        area + group + serial not in _EXAMPLE_SSNS
        and area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )


def _valid_ssn_match(match: re.Match[str]) -> bool:
    area = match.group("area") or match.group("area2")
    group = match.group("group") or match.group("group2")
    serial = match.group("serial") or match.group("serial2")
    return valid_ssn(area, group, serial)


def _excluded(view: DocumentView, segment: Segment, start: int, params: IdentifierParams) -> bool:
    patterns = compiled(params.exclude_context)
    if not patterns:
        return False
    text = view.page_text(segment.page)
    before = words_before(text[segment.start : start], params.context_words)
    if any(p.matches(before) for p in patterns):
        return True
    if segment.row is not None:
        cell = next((c for c in segment.row.cells if c.start <= start < c.end), None)
        if cell is not None:
            return any(p.matches(normalise_header(cell.column)) for p in patterns)
    return False
