"""check_document: exact evidence, pages only for PDFs, deterministic, disabled rules skipped."""

from __future__ import annotations

from compliance_docs import assert_exact_evidence, csv_doc, make_rule, pdf_doc, run, text_doc

from knowledge.documents import DocType, Page, ParsedDocument
from tools.compliance import check_document, default_rulebook

MEMO = """
Case note 14. The customer, SSN 536-22-8190, asked us to waive the fee.
Separately, Internal Audit identified a material weakness in our revenue controls.
"""


def test_findings_quote_the_text_exactly_and_carry_the_rule() -> None:
    document = text_doc(MEMO, DocType.MD)
    findings = check_document(
        document, document_id="d-7", filename="note.md", rules=default_rulebook().enabled_rules
    )
    assert {f.category for f in findings} == {
        "privacy.unmasked_ssn",
        "disclosure.material_weakness",
    }
    assert_exact_evidence(document, findings)
    ssn = next(f for f in findings if f.category == "privacy.unmasked_ssn")
    rule = default_rulebook().rule(ssn.rule_id)
    assert rule is not None
    assert (ssn.document_id, ssn.filename, ssn.page) == ("d-7", "note.md", None)
    assert (ssn.severity, ssn.regulation, ssn.recommendation) == (
        rule.severity,
        rule.regulation,
        rule.recommendation,
    )


def test_pdf_findings_name_their_page_and_come_in_reading_order() -> None:
    document = pdf_doc("Cover.", MEMO, "Appendix: card 4012 8888 8888 1881 was shown in clear.")
    findings = run(document, *default_rulebook().enabled_rules)
    assert [(f.page, f.category) for f in findings] == [
        (2, "privacy.unmasked_ssn"),
        (2, "disclosure.material_weakness"),
        (3, "privacy.unmasked_card"),
    ]
    assert_exact_evidence(document, findings)


def test_ledger_findings_name_sheet_row_and_no_page() -> None:
    document = csv_doc(
        """
        date,employee,memo,amount
        2024-01-03,Ann Lee,"Team lunch, card 4012 8888 8888 1881",120.00
        """
    )
    [finding] = run(document, *default_rulebook().enabled_rules)
    assert (finding.page, finding.row, finding.evidence) == (None, 2, "4012 8888 8888 1881")


def test_the_same_input_gives_the_same_findings() -> None:
    document = pdf_doc(MEMO, MEMO)
    rules = default_rulebook().enabled_rules
    assert run(document, *rules) == run(document, *rules)


def test_disabled_rules_do_not_run_and_caps_apply() -> None:
    rule = make_rule("text_pattern", {"patterns": [r"\bwaive\b"], "max_findings": 2})
    document = text_doc("We waive it. They waive it. You waive it.")
    assert len(run(document, rule)) == 2
    assert run(document, rule.model_copy(update={"enabled": False})) == []


def test_two_rules_of_one_category_citing_one_place_give_one_finding() -> None:
    first = make_rule("text_pattern", {"patterns": [r"\bwaive\b"]}, id="a.first")
    second = make_rule("text_pattern", {"patterns": [r"\bwaive it\b"]}, id="a.second")
    [finding] = run(text_doc("We waive it."), first, second)
    assert finding.rule_id == "a.first"


def test_empty_and_odd_documents_do_not_break_the_rules() -> None:
    rules = default_rulebook().enabled_rules
    empty = ParsedDocument(doc_type=DocType.TXT, pages=[])
    blank = ParsedDocument(doc_type=DocType.PDF, pages=[Page(1, ""), Page(2, "   \n\n ")])
    odd = text_doc("\x00\x7f\ufeff ￼ 🙂 — “quoted” —\n\n| | |\n" * 50)
    for document in (empty, blank, odd):
        assert run(document, *rules) == []
