"""The answer benchmark's judge: a figure counts however the filing prints it."""

from __future__ import annotations

from benchmarks.answer_bench import holds_key


def test_a_figure_is_found_in_any_print_of_it() -> None:
    assert holds_key("Purchases of PP&E (1,577)", "$1577.00")
    assert holds_key("Capital spending: 1,580", "$1.58 billion")
    assert holds_key("Net cash provided by operating activities: 381,603", "$382.00")
    assert holds_key("= **0.83** for 2017", "0.83")


def test_a_different_figure_or_a_scaled_ratio_does_not_count() -> None:
    assert not holds_key("Purchases of PP&E (1,373)", "$1577.00")
    assert not holds_key("830 stores", "0.83")
    assert not holds_key("in 2018 the", "2018 was the year of $1,577")


def test_an_answer_without_a_figure_is_judged_by_most_of_its_words() -> None:
    assert holds_key("Customer deposits were the largest", "Customer deposits")
    assert not holds_key("Long-term debt", "Customer deposits")
