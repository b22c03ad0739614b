"""A figure the question defines, read by its form: two terms and the operation between."""

from __future__ import annotations

from tools.formulas import Formula, Operand, formula_in


def test_a_ratio_over_an_average_of_two_years_is_read_with_its_years() -> None:
    question = (
        "What is the turn? It is defined as: sales / (average receivables between FY2019 and"
        " FY2020)."
    )
    assert formula_in(question) == Formula(
        Operand("sales"), "/", Operand("receivables", ("2019", "2020"))
    )


def test_a_difference_named_in_words_and_a_note_on_where_to_look() -> None:
    question = "Define headroom as cash on hand less short-term debt [from the balance sheet]."
    assert formula_in(question) == Formula(Operand("cash on hand"), "-", Operand("short-term debt"))


def test_an_expression_of_more_than_one_operation_is_not_guessed_at() -> None:
    nested = "X is defined as: 365 * (average payables) / (cost of sales + change)"
    assert formula_in(nested) is None
    assert formula_in("What was revenue in 2020?") is None
