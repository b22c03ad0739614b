"""Card numbers (network prefix, shape, Luhn) and SSNs (structure) in clear, never masked ones."""

from __future__ import annotations

import pytest
from compliance_docs import csv_doc, default_findings, make_rule, run, text_doc

from tools.compliance.kinds.identifiers import luhn_valid, valid_ssn

CARD = make_rule(
    "identifier",
    {"scheme": "payment_card", "exclude_context": [r"\b(?:reference|ref|case|order)\b"]},
)
SSN = make_rule("identifier", {"scheme": "us_ssn", "exclude_context": [r"\b(?:EIN|phone)\b"]})


def test_luhn_and_ssn_structure() -> None:
    assert luhn_valid("4012888888881881") and not luhn_valid("4012888888881882")
    assert valid_ssn("536", "22", "8190") and not valid_ssn("123", "45", "6789")
    assert not valid_ssn("000", "12", "3456") and not valid_ssn("666", "12", "3456")
    assert not valid_ssn("912", "12", "3456") and not valid_ssn("536", "00", "8190")
    assert not valid_ssn("536", "22", "0000")


@pytest.mark.parametrize(
    "written",
    [
        "4012 8888 8888 1881",
        "4012-8888-8888-1881",
        "4012888888881881",
        "5454 5454 5454 5454",
        "3714 496353 98431",
        "6011 0009 9013 9424",
    ],
)
def test_full_card_numbers_are_found_in_any_common_shape(written: str) -> None:
    document = text_doc(f"Customer paid with card {written} yesterday.")
    [finding] = run(document, CARD)
    assert finding.evidence == written


@pytest.mark.parametrize(
    "written",
    [
        "401288******1881",  # first six, last four
        "XXXX XXXX XXXX 1881",
        "**** **** **** 1881",
        "card ending 1881",
        "4012 8888 8888 1882",  # fails Luhn
        "9012 8888 8888 1880",  # no card network starts with 9 (and is 16 long)
        "2021 2022 2023 2024",  # years in a table header
        "case ref 4012 8888 8888 1881",  # a reference, said so
    ],
)
def test_masked_invalid_or_labelled_numbers_are_not_cards(written: str) -> None:
    assert run(text_doc(f"Note: {written} (see file)."), CARD) == []


def test_amounts_in_a_financial_table_are_not_cards() -> None:
    table = "Revenue 4,012 8,888 8,888 1,881\nNet income 4012 888 8888 1881 2,345"
    assert run(text_doc(table), CARD) == []


@pytest.mark.parametrize("written", ["SSN 536-22-8190", "soc. sec. 536-22-8190", "SSN: 536228190"])
def test_full_ssns_are_found(written: str) -> None:
    assert len(run(text_doc(f"Borrower {written}, DOB 1970-01-01."), SSN)) == 1


@pytest.mark.parametrize(
    "written",
    [
        "SSN ***-**-9999",
        "SSN XXX-XX-9999",
        "EIN 21-9099999",
        "phone 536-22-8190",
        "ITIN 912-70-1234",  # area 9xx is never an SSN
        "call 1-800-219-0999",
        "ref 2024-03-2219",
    ],
)
def test_masked_or_other_numbers_are_not_ssns(written: str) -> None:
    assert run(text_doc(f"Record: {written}."), SSN) == []


def test_a_ledger_column_name_can_say_what_a_number_is() -> None:
    document = csv_doc(
        """
        date,dispute_reference,memo
        2024-01-02,4012888888881881,chargeback opened
        """
    )
    card = make_rule(
        "identifier", {"scheme": "payment_card", "exclude_context": [r"\breference\b"]}
    )
    assert run(document, card) == []


def test_default_rulebook_on_a_memo() -> None:
    document = text_doc(
        """
        Claimant: Ruth Ng, SSN 536-22-8190, Mastercard 5454 5454 5454 5454.
        Second claimant: SSN ***-**-4410, Visa ending 7781, order no. 4012888888881881.
        """
    )
    found = default_findings(document)
    assert sorted(f.category for f in found) == ["privacy.unmasked_card", "privacy.unmasked_ssn"]
