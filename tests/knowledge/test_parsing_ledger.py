"""Ledger headers mapped by meaning, dates read consistently per column, rows cited by span."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from file_factories import make_xlsx, write_file

from knowledge.parsing import parse_file
from knowledge.parsing.dates import DayOrder, column_day_order, parse_date
from knowledge.parsing.headers import LedgerColumns, map_headers

MAX = 1024 * 1024


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Value date",
                "Customer (originator)",
                "Beneficiary / Party",
                "Type",
                "Amount",
                "Currency",
                "Beneficiary country",
                "Beneficiary bank / city",
                "Memo",
            ],
            LedgerColumns(date=0, party=2, type=3, amount=4, currency=5, country=6, memo=8),
        ),
        (
            [
                "txn_date",
                "employee",
                "payment_method",
                "merchant_or_party",
                "amount",
                "currency",
                "country",
                "expense_category",
                "memo",
            ],
            LedgerColumns(date=0, party=3, type=2, amount=4, currency=5, country=6, memo=8),
        ),
        (
            [
                "onboard_date",
                "customer_id",
                "customer_name",
                "customer_type",
                "country_of_residence",
                "notes",
            ],
            LedgerColumns(date=0, party=2, country=4, memo=5),
        ),
        (
            [
                "Posting Date",
                "Payee",
                "Channel",
                "Debit",
                "Credit",
                "Ccy",
                "Jurisdiction",
                "Narrative",
            ],
            LedgerColumns(
                date=0, party=1, type=2, debit=3, credit=4, currency=5, country=6, memo=7
            ),
        ),
        (
            ["Date", "Name", "Transaction Type", "Amount (USD)", "Destination", "Purpose"],
            LedgerColumns(date=0, party=1, type=2, amount=3, country=4, memo=5),
        ),
        (
            ["DateOfBirth", "Vendor", "Value", "Description"],
            LedgerColumns(party=1, amount=2, memo=3),
        ),
    ],
)
def test_headers_map_by_meaning(headers: list[str], expected: LedgerColumns) -> None:
    assert map_headers(headers) == expected


def test_day_order_follows_the_column() -> None:
    assert column_day_order(["05/03/2024", "13/03/2024"]) is DayOrder.DAY_FIRST
    assert column_day_order(["05/03/2024", "05/13/2024"]) is DayOrder.MONTH_FIRST
    assert column_day_order(["05/03/2024"]) is DayOrder.MONTH_FIRST
    assert column_day_order(["05.03.2024"]) is DayOrder.DAY_FIRST


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-05-01 10:14", date(2024, 5, 1)),
        ("2024-05-01T10:14:00Z", date(2024, 5, 1)),
        ("08-Jan-2024", date(2024, 1, 8)),
        ("8 January 2024", date(2024, 1, 8)),
        ("Jan 8, 2024", date(2024, 1, 8)),
        ("03/05/24", date(2024, 3, 5)),
        (datetime(2024, 3, 5, 9, 30), date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # an Excel serial date
        ("2024-02-30", None),
        ("Q1 2024", None),
        (12.5, None),
    ],
)
def test_date_forms(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_debit_and_credit_columns_give_an_amount_and_a_direction(tmp_path: Path) -> None:
    content = (
        "Posting Date,Payee,Debit,Credit,Narrative\n"
        "01/02/2024,Kiosk,250.00,,Cash withdrawal\n"
        '01/03/2024,Payroll,,"3,100.00",Salary\n'
    )
    document = parse_file(write_file(tmp_path, "bank.csv", content.encode()), max_bytes=MAX)
    out, into = document.rows
    assert (out.amount, out.type, out.date) == (Decimal("250.00"), "debit", date(2024, 1, 2))
    assert (into.amount, into.type) == (Decimal("3100.00"), "credit")


def test_currency_comes_from_the_amount_or_the_header(tmp_path: Path) -> None:
    content = "Date,Party,Amount (USD)\n2024-01-02,A,1000\n"
    (row,) = parse_file(write_file(tmp_path, "usd.csv", content.encode()), max_bytes=MAX).rows
    assert row.currency == "USD"
    content = 'Date,Party,Amount\n2024-01-02,A,€1.500\n2024-01-03,B,"€2.000,50"\n'
    first, second = parse_file(
        write_file(tmp_path, "eur.csv", content.encode()), max_bytes=MAX
    ).rows
    assert (first.amount, first.currency) == (Decimal(1500), "EUR")
    assert second.amount == Decimal("2000.50")


def test_sheet_with_title_rows_above_the_table(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path,
        "wires.xlsx",
        {
            "Q1": [
                ["Outgoing wires, Q1 2024"],
                [],
                ["Value date", "Beneficiary", "Amount", "Currency", "Country"],
                [datetime(2024, 1, 3), "Pars Hydraulic Trading Co.", 48250, "EUR", "Iran"],
            ]
        },
    )
    document = parse_file(path, max_bytes=MAX)
    (row,) = document.rows
    assert (row.row_number, row.party, row.country) == (4, "Pars Hydraulic Trading Co.", "Iran")
    assert row.raw["Amount"] == "48250"
    assert document.pages[0].text.startswith("Outgoing wires, Q1 2024\n")


def test_repeated_and_blank_headers_keep_every_cell(tmp_path: Path) -> None:
    content = "Party,Amount,,Amount\nA,1,x,2\n"
    (row,) = parse_file(write_file(tmp_path, "dupes.csv", content.encode()), max_bytes=MAX).rows
    assert row.raw == {"Party": "A", "Amount": "1", "C": "x", "Amount (2)": "2"}


def test_row_spans_cover_exactly_their_line(tmp_path: Path) -> None:
    content = "date,party,amount\n2024-01-01,Alpha,1\n\n2024-01-02,Beta,2\n"
    document = parse_file(write_file(tmp_path, "spans.csv", content.encode()), max_bytes=MAX)
    page = document.pages[0].text
    assert [page[slice(*row.span)] for row in document.rows] == [
        "2024-01-01 | Alpha | 1",
        "2024-01-02 | Beta | 2",
    ]
    assert [row.row_number for row in document.rows] == [2, 4]
