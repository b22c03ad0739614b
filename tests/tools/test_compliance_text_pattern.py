"""Text patterns read their sentence: negation, possibility, policy, context and amounts."""

from __future__ import annotations

from compliance_docs import csv_doc, make_rule, pdf_doc, run, text_doc

GIFT = make_rule("text_pattern", {"patterns": [r"\bgave\b[^.]{0,40}\bgift\b"]})


def test_a_plain_statement_is_found_with_its_sentence_as_evidence() -> None:
    document = text_doc(
        "Intro line here.\nOn Friday the agent gave a gift card to the clerk. Done."
    )
    [finding] = run(document, GIFT)
    assert finding.evidence == "On Friday the agent gave a gift card to the clerk."
    assert finding.page is None and finding.category == "test.category"


def test_negated_hypothetical_and_normative_sentences_are_not_findings() -> None:
    document = text_doc(
        """
        The agent never gave a gift to anyone.
        If the agent gave a gift, we would report it.
        Staff must not say the agent gave a gift without proof.
        """
    )
    assert run(document, GIFT) == []


def test_filters_can_be_turned_off_per_rule() -> None:
    lenient = make_rule(
        "text_pattern",
        {
            "patterns": [r"\bgave\b[^.]{0,40}\bgift\b"],
            "skip_negated": False,
            "skip_hypothetical": False,
            "skip_normative": False,
        },
    )
    document = text_doc("The agent never gave a gift to anyone. If she gave a gift, we report.")
    assert len(run(document, lenient)) == 2


def test_require_and_exclude_look_at_neighbouring_sentences() -> None:
    rule = make_rule(
        "text_pattern",
        {
            "patterns": [r"\bwaived\b"],
            "require": [[r"\bminister\b"]],
            "exclude": [r"\bapproved by the board\b"],
            "context_sentences": 1,
        },
    )
    found = text_doc("The client is a deputy minister. The review was waived by the desk.")
    excused = text_doc("The client is a minister. It was waived, as approved by the board.")
    unrelated = text_doc("The client is a plumber. The review was waived by the desk.")
    assert len(run(found, rule)) == 1
    assert run(excused, rule) == run(unrelated, rule) == []


def test_amounts_must_be_transactions_in_range() -> None:
    rule = make_rule(
        "text_pattern",
        {
            "patterns": [r"\bdeposit"],
            "amounts": {"min": 8000, "max": 9999.99, "count": 2, "total_over": 10000},
        },
    )
    listed = text_doc("She made cash deposits of USD 9,100.00 and $8.9k on two days.")
    ranged = text_doc("Watch for deposits between $8,000 and $9,999 on consecutive days.")
    single = text_doc("He made one deposit of 9.400 EUR on Monday.")
    assert len(run(listed, rule)) == 1
    assert run(ranged, rule) == run(single, rule) == []


def test_pdf_findings_carry_their_page() -> None:
    document = pdf_doc("Cover page.", "Nothing here.", "Later the agent gave a gift to a judge.")
    [finding] = run(document, GIFT)
    assert finding.page == 3
    assert finding.evidence == "Later the agent gave a gift to a judge."


def test_in_a_ledger_the_most_telling_cell_is_cited() -> None:
    rule = make_rule(
        "text_pattern",
        {"patterns": [r"\bgift\b"], "require": [[r"\bofficial\b"], [r"\bin return for\b"]]},
    )
    document = csv_doc(
        """
        date,category,memo,amount
        2024-02-01,Gift,Pen set for a customs official in return for quick clearance,120.00
        2024-02-02,Gift,Flowers for a colleague,40.00
        """
    )
    [finding] = run(document, rule)
    assert finding.evidence == "Pen set for a customs official in return for quick clearance"
    assert finding.row == 2 and finding.page is None


def test_document_scope_limits_a_rule() -> None:
    rule = make_rule(
        "text_pattern",
        {"patterns": [r"\bguaranteed\b"], "exclude_document_kinds": ["sec_filing"]},
    )
    filing = pdf_doc("ANNUAL REPORT ON FORM 10-K\nThe notes are guaranteed by our subsidiaries.")
    letter = text_doc("Dear client, your income is guaranteed.")
    assert run(filing, rule) == []
    assert len(run(letter, rule)) == 1
