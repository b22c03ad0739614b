"""Money amounts as written in ledgers and prose."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.amounts import Money, find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$12,500", "12500", "USD"),
        ("USD 12,500.00", "12500.00", "USD"),
        ("12.500 EUR", "12500", "EUR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("$12.5k", "12500", "USD"),
        ("(1,200.00)", "-1200.00", None),
        ("-$300", "-300", "USD"),
        ("$-300", "-300", "USD"),
        ("EUR 9.800,00", "9800.00", "EUR"),
        ("£4,000", "4000", "GBP"),
        ("12,500 USD", "12500", "USD"),
        ("84312.55", "84312.55", None),
        ("1,284.60", "1284.60", None),
        ("USD 1.8m", "1800000", "USD"),
        ("€ 1.234.567,89", "1234567.89", "EUR"),
        ("12 500 €", "12500", "EUR"),
        ("C$100", "100", "CAD"),
        ("US$ 5", "5", "USD"),
        ("($1,200)", "-1200", "USD"),
        ("1234,56", "1234.56", None),
        ("300 dollars", "300", "USD"),
        ("  $97  ", "97", "USD"),
        ("$(31,090)", "-31090", "USD"),
        ("$0.0035", "0.0035", "USD"),
    ],
)
def test_written_forms(text: str, amount: str, currency: str | None) -> None:
    assert parse_amount(text) == Money(Decimal(amount), currency)


@pytest.mark.parametrize(
    "text",
    [
        "2024",
        "2024-03-05",
        "05/03/2024",
        "08-Jan-2024",
        "555-123-4567",
        "+1 (555) 123-4567",
        "12%",
        "9.5 %",
        "****2231",
        "4539 1488 0343 6467",
        "1234567890123456",
        "0042",
        "GB29 NWBK 6016 1331 9268 19",
        "EIN 47-3318820",
        "(1,200.00",
        "$",
        "",
        "abc",
        "1.2.3",
    ],
)
def test_things_that_are_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_currency_codes_must_be_upper_case_in_prose() -> None:
    text = "try 5 times, php 7 upgrade, a 40 pounds crate, USD 5 and 10 EUR, 3 pounds sterling"
    assert [(text[a:b], m) for m, a, b in find_amounts(text)] == [
        ("USD 5", Money(Decimal(5), "USD")),
        ("10 EUR", Money(Decimal(10), "EUR")),
        ("3 pounds sterling", Money(Decimal(3), "GBP")),
    ]


def test_the_caller_can_fix_the_decimal_separator() -> None:
    assert parse_amount("1.234", decimal_comma=True) == Money(Decimal(1234), None)
    assert parse_amount("1.234", decimal_comma=False) == Money(Decimal("1.234"), None)
    assert parse_amount("1,5", decimal_comma=True) == Money(Decimal("1.5"), None)


def test_find_amounts_in_prose_with_spans() -> None:
    text = (
        "On 2024-03-05 (tel. 555-123-4567) the client wired $8,000 and then $9,999, "
        "a 9% yield, to avoid delaying USD 1.8m; fees were (€1,200.00) and 12.500 EUR "
        "from account 12345678 in FY2024."
    )
    found = find_amounts(text)
    assert [(text[start:end], money) for money, start, end in found] == [
        ("$8,000", Money(Decimal(8000), "USD")),
        ("$9,999", Money(Decimal(9999), "USD")),
        ("USD 1.8m", Money(Decimal(1_800_000), "USD")),
        ("(€1,200.00)", Money(Decimal("-1200.00"), "EUR")),
        ("12.500 EUR", Money(Decimal(12500), "EUR")),
    ]


def test_find_amounts_skips_currency_glued_into_words() -> None:
    assert find_amounts("reference ABC$100X and code USD1234567890123456") == []
    text = "Dinner ($97/head, within $150/head policy), ratio $3/4"
    assert [(text[a:b], money.amount) for money, a, b in find_amounts(text)] == [
        ("$97", Decimal(97)),
        ("$150", Decimal(150)),
    ]


def test_find_amounts_reads_ranges_brackets_and_line_starts() -> None:
    text = "fees of $180k-$240k\nUSD 215,000.00\nNet loss $(31,090) and $0.0035 per call"
    assert [(text[a:b], money.amount) for money, a, b in find_amounts(text)] == [
        ("$180k", Decimal(180_000)),
        ("$240k", Decimal(240_000)),
        ("USD 215,000.00", Decimal("215000.00")),
        ("$(31,090)", Decimal(-31090)),
        ("$0.0035", Decimal("0.0035")),
    ]


def _us_style(value: Decimal) -> str:
    return f"{value:,.2f}"


def _european_style(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2)


@given(amounts, st.sampled_from(["$", "USD ", "€", "£"]))
def test_us_written_amounts_round_trip(value: Decimal, prefix: str) -> None:
    money = parse_amount(prefix + _us_style(value))
    assert money is not None
    assert money.amount == value


@given(amounts, st.sampled_from([" EUR", " €", " CHF"]))
def test_european_written_amounts_round_trip(value: Decimal, suffix: str) -> None:
    money = parse_amount(_european_style(value) + suffix)
    assert money is not None
    assert money.amount == value


@given(amounts)
def test_accounting_brackets_negate(value: Decimal) -> None:
    assert parse_amount(f"({_us_style(value)})") == Money(-value, None)


@given(
    amounts, st.text(alphabet="abc xyz.,;", max_size=20), st.text(alphabet="abc xyz", max_size=20)
)
def test_find_amounts_locates_an_amount_in_any_prose(
    value: Decimal, before: str, after: str
) -> None:
    written = f"${_us_style(value)}"
    text = f"{before} {written} {after}"
    found = find_amounts(text)
    assert [(text[start:end], money.amount) for money, start, end in found] == [(written, value)]


@given(st.text(max_size=200))
def test_any_text_gives_consistent_spans(text: str) -> None:
    for money, start, end in find_amounts(text):
        assert 0 <= start < end <= len(text)
        assert parse_amount(text[start:end]) == money
