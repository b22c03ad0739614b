"""Sentences survive PDF wrapping; negation, possibility and rules of conduct are told apart."""

from __future__ import annotations

import pytest

from tools.compliance.patterns import PatternError, compile_pattern
from tools.compliance.text import (
    clause_prefix,
    is_hypothetical,
    is_negated,
    is_normative,
    sentence_spans,
)


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_wrapped_lines_stay_one_sentence_and_headings_stand_alone() -> None:
    text = (
        "Liquidity and Capital Resources\n"
        "The lenders agreed to waive the covenant breach until the end of the second quarter, and\n"
        "we expect to refinance the notes. Our plans may not succeed.\n"
        "Item 9A. Controls\n"
    )
    assert sentences(text) == [
        "Liquidity and Capital Resources",
        "The lenders agreed to waive the covenant breach until the end of the second quarter, "
        "and\nwe expect to refinance the notes.",
        "Our plans may not succeed.",
        "Item 9A. Controls",
    ]


def test_bullets_numbered_clauses_and_abbreviations() -> None:
    text = (
        "Highlights of the fund\n"
        "• A steady 7% yield paid monthly\n"
        "• Daily liquidity\n"
        "3.1 Acme Corp. shall pay Mr. Smith within 30 days.\n"
        "3.2 Either party may end this agreement on notice."
    )
    assert sentences(text) == [
        "Highlights of the fund",
        "• A steady 7% yield paid monthly",
        "• Daily liquidity",
        "3.1 Acme Corp. shall pay Mr. Smith within 30 days.",
        "3.2 Either party may end this agreement on notice.",
    ]


def test_table_rows_and_blank_lines_split_units() -> None:
    text = "| Field | Value |\n| Owner | Risk team |\n\nA paragraph follows here."
    assert sentences(text) == [
        "| Field | Value |",
        "| Owner | Risk team |",
        "A paragraph follows here.",
    ]


@pytest.mark.parametrize(
    ("prefix", "negated"),
    [
        ("Our review did not identify conditions that, taken together, raise ", True),
        ("There is no ", True),
        ("We haven't seen any ", True),
        ("The lender declined the waiver, and these conditions raise ", False),
        ("Management identified a ", False),
    ],
)
def test_negation_stays_in_its_clause(prefix: str, negated: bool) -> None:
    assert is_negated(clause_prefix(prefix)) is negated


def test_possibility_and_rules_of_conduct() -> None:
    assert is_hypothetical("If we fail to fix it, we might be required to ")
    assert is_hypothetical("Typical red flags include ")
    assert not is_hypothetical("During the audit we found a ")
    assert is_normative("Staff must never accept cash above the limit.")
    assert is_normative("Gifts to officials are prohibited.")
    assert not is_normative("The teller accepted the cash deposit on Monday.")


def test_unsafe_or_broken_patterns_are_refused_with_a_reason() -> None:
    with pytest.raises(PatternError, match="lookaround"):
        compile_pattern(r"(?<=USD )\d+")
    with pytest.raises(PatternError, match="backreferences"):
        compile_pattern(r"(\w+) \1")
    with pytest.raises(PatternError, match="missing"):
        compile_pattern(r"(open")
    assert compile_pattern(r"(?i)cash").search("CASH deposit") == (0, 4)
