"""Money amounts as people write them, turned into exact decimals.

Ledgers and documents write the same amount many ways (`$12,500`, `12.500 EUR`,
`(1,200.00)`, `USD 1.8m`); rules compare amounts against thresholds, so the reading
must be exact (Decimal) and must not mistake dates, years, phone numbers, percentages
or account numbers for money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Money", "find_amounts", "parse_amount", "parse_number"]


@dataclass(frozen=True)
class Money:
    """An amount and its ISO 4217 currency code (None when the text does not say)."""

    amount: Decimal
    currency: str | None


CURRENCY_CODES = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "CHF",
        "CAD",
        "AUD",
        "NZD",
        "CNY",
        "RMB",
        "HKD",
        "SGD",
        "INR",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "BGN",
        "MXN",
        "BRL",
        "ARS",
        "CLP",
        "COP",
        "PEN",
        "ZAR",
        "RUB",
        "UAH",
        "TRY",
        "AED",
        "SAR",
        "QAR",
        "KWD",
        "BHD",
        "OMR",
        "ILS",
        "EGP",
        "NGN",
        "KES",
        "GHS",
        "KRW",
        "TWD",
        "THB",
        "MYR",
        "IDR",
        "PHP",
        "VND",
        "PKR",
        "BDT",
        "LKR",
        "ISK",
    ]
)

# Longest first so that "US$" wins over "$".
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "Fr.": "CHF",
}

WORDS: dict[str, str] = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",  # plain "pounds" is as often a weight
}

MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mm": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
    "billions": Decimal(1_000_000_000),
}

EURO_STYLE_CURRENCIES = frozenset({"EUR", "CHF", "DKK", "NOK", "SEK", "PLN", "CZK", "BRL", "TRY"})

_SPACE = "[ \u00a0\u202f\u2009]"
_MINUS = "[-\u2212\u2013]"
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_CODE_RE = "|".join(sorted(CURRENCY_CODES))
_WORD_RE = "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True))
_MULT_RE = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
# Single letters only count glued to the number ("$12.5k"); "$5 b" is not five billion.
_WORD_MULT_RE = "|".join(sorted((m for m in MULTIPLIERS if len(m) > 1), key=len, reverse=True))
# A number: digits with optional thousands groups (, . or thin spaces) and decimals.
_NUMBER = rf"\d{{1,3}}(?:(?:,|\.|'|{_SPACE})\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[.,]\d+"

AMOUNT_RE = re.compile(
    rf"""
    (?P<open>\()?
    (?P<sign1>{_MINUS})?{_SPACE}?
    (?:(?P<pre_sym>{_SYMBOL_RE})|(?P<pre_code>\b(?-i:{_CODE_RE})\b))?
    {_SPACE}?(?P<sign2>{_MINUS})?{_SPACE}?
    (?P<inner_open>\()?
    (?P<number>{_NUMBER})
    (?:(?P<mult>(?:{_MULT_RE})\b)|{_SPACE}(?P<spaced_mult>(?:{_WORD_MULT_RE})\b))?
    (?:{_SPACE}?(?:(?P<post_sym>{_SYMBOL_RE})|(?P<post_code>\b(?-i:{_CODE_RE})\b)
       |(?P<post_word>\b(?:{_WORD_RE})\b)))?
    (?P<close>\))?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _currency_of(match: re.Match[str]) -> str | None:
    symbol = match.group("pre_sym") or match.group("post_sym")
    if symbol:
        return (
            SYMBOLS.get(symbol) or SYMBOLS.get(symbol.upper()) or SYMBOLS.get(symbol.capitalize())
        )
    code = match.group("pre_code") or match.group("post_code")
    if code:
        return code.upper().replace("RMB", "CNY")
    word = match.group("post_word")
    return WORDS[" ".join(word.lower().split())] if word else None


def parse_number(text: str, *, decimal_comma: bool | None = None) -> Decimal | None:
    """A bare number with thousands separators, or None.

    `decimal_comma` says which separator is the decimal one when the caller knows
    (a ledger column decides it once for all its cells); None guesses from the text.
    """
    cleaned = re.sub(_SPACE + "|'", "", text.strip())
    if not cleaned or not re.fullmatch(r"[\d.,]*\d[\d.,]*", cleaned):
        return None
    if decimal_comma is None:
        decimal_comma = _guess_decimal_comma(cleaned)
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    if cleaned.count(decimal) > 1:
        return None
    if thousands in cleaned and not _valid_grouping(cleaned.split(decimal)[0], thousands):
        return None
    digits = cleaned.replace(thousands, "").replace(decimal, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _valid_grouping(integer_part: str, separator: str) -> bool:
    """Thousands ("1,234,567"), or the Indian lakh and crore grouping ("18,42,300")."""
    groups = integer_part.split(separator)
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return True
    return (
        separator == ","
        and len(groups) >= 3
        and 1 <= len(groups[0]) <= 2
        and all(len(g) == 2 for g in groups[1:-1])
        and len(groups[-1]) == 3
    )


def _guess_decimal_comma(number: str) -> bool:
    """Which of `,` and `.` is the decimal separator, from the number alone."""
    has_comma, has_dot = "," in number, "." in number
    if has_comma and has_dot:
        return number.rfind(",") > number.rfind(".")
    if has_comma:
        head, _, tail = number.rpartition(",")
        # "12,500" and "1,234,567" are thousands; "1234,56" and "12,5" are decimals.
        return not (len(tail) == 3 and number.count(",") >= 1 and head != "0")
    if has_dot:
        return number.count(".") > 1
    return False


def _dot_means_thousands(number: str, currency: str | None, suffixed: bool) -> bool:
    """`12.500 EUR` is twelve thousand five hundred; `$12.500` stays a decimal."""
    if number.count(".") != 1 or "," in number:
        return False
    head, _, tail = number.partition(".")
    if len(tail) != 3 or head in ("", "0") or len(head) > 3:
        return False
    return currency in EURO_STYLE_CURRENCIES or (currency is not None and suffixed)


def _money_from_match(match: re.Match[str], decimal_comma: bool | None = None) -> Money | None:
    number = match.group("number")
    currency = _currency_of(match)
    suffixed = bool(match.group("post_sym") or match.group("post_code"))
    multiplier = match.group("mult") or match.group("spaced_mult")
    if (
        decimal_comma is None
        and not multiplier
        and _dot_means_thousands(number, currency, suffixed)
    ):
        decimal_comma = True
    value = parse_number(number, decimal_comma=decimal_comma)
    if value is None:
        return None
    if multiplier:
        value = value * MULTIPLIERS[multiplier.lower()]
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    negative = bool(match.group("sign1") or match.group("sign2"))
    if match.group("inner_open") or (match.group("open") and not match.group("pre_code")):
        # Accounting brackets mean a negative; "(USD 40)" in prose is an aside.
        negative = True
    return Money(-value if negative else value, currency)


def _looks_like_year(match: re.Match[str]) -> bool:
    return (
        _YEAR_RE.fullmatch(match.group("number")) is not None
        and _currency_of(match) is None
        and not (match.group("mult") or match.group("spaced_mult"))
    )


def parse_amount(text: str, *, decimal_comma: bool | None = None) -> Money | None:
    """The amount a whole field states (`$12,500`, `(1,200.00)`, `1.234,56 €`), or None.

    Text that only looks numeric (a date, a year, a phone number, a percentage, an
    account or card number, a masked number) gives None. `decimal_comma` forces the
    decimal separator when the caller knows it (a ledger column); None guesses.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > 64:
        return None
    match = AMOUNT_RE.fullmatch(stripped)
    if match is None or _looks_like_year(match):
        return None
    if not _brackets_balanced(match):
        return None
    if _is_identifier_like(match.group("number")):
        return None
    return _money_from_match(match, decimal_comma)


def _brackets_balanced(match: re.Match[str]) -> bool:
    opened = bool(match.group("open")) + bool(match.group("inner_open"))
    return opened == bool(match.group("close"))


def _is_identifier_like(number: str) -> bool:
    """Long digit runs and zero-padded numbers are account numbers or references."""
    digits = re.sub(r"\D", "", number.split(".")[0].split(",")[0])
    plain = re.fullmatch(r"\d+", number) is not None
    if plain and len(number) > 1 and number.startswith("0"):
        return True
    return plain and len(digits) > 12


_GLUE_BEFORE = frozenset("_.,/:-+#*")
_GLUED_AFTER = re.compile(r"[\w%*]|[.,:/\-]\d")


def find_amounts(text: str) -> list[tuple[Money, int, int]]:
    """Every money amount written in free text, with its character span.

    Only amounts that say their currency count (a symbol, an ISO code, or a word such
    as "dollars"): in prose a bare number is far more often a date, a count, a year or
    an identifier than money. A dash between two amounts ("$180k-$240k") is a range,
    not a minus sign.
    """
    found: list[tuple[Money, int, int]] = []
    for match in AMOUNT_RE.finditer(text):
        if _currency_of(match) is None:
            continue
        start, end = _trim_unbalanced(match)
        if match.group("sign1") and _glued_before(text, start):
            start += 1  # the dash ends a range; the amount after it is positive
        elif _glued_before(text, start) and not _starts_with_symbol(match):
            continue
        if _GLUED_AFTER.match(text, end):
            continue
        money = parse_amount(text[start:end])
        if money is not None:
            found.append((money, start, end))
    return found


def _glued_before(text: str, start: int) -> bool:
    """Whether the character before `start` makes the number part of a longer token."""
    if start == 0:
        return False
    previous = text[start - 1]
    return previous.isalnum() or previous in _GLUE_BEFORE


def _starts_with_symbol(match: re.Match[str]) -> bool:
    return bool(match.group("pre_sym")) and not match.group("sign1") and not match.group("open")


def _trim_unbalanced(match: re.Match[str]) -> tuple[int, int]:
    """Drop a lone bracket or the spaces the regex swallowed from the surrounding prose."""
    start, end = match.span()
    if match.group("open") and not match.group("close"):
        start += 1
    if match.group("close") and not (match.group("open") or match.group("inner_open")):
        end -= 1
    matched = match.string[start:end]
    start += len(matched) - len(matched.lstrip())
    end -= len(matched) - len(matched.rstrip())
    return start, end
