"""Summaries of real documents an analyst would check point by point: a filing's cover
and statements, a contract's defined parties and whole clauses, a ledger's totals."""

from __future__ import annotations

from pathlib import Path

from shared_data import shared_path

from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.parsing import parse_file
from knowledge.parsing.pdf import extract_pages
from tools.compliance.rulebook import default_rulebook
from tools.summaries import sentence_at, summarise


def _points(path: Path) -> dict[str, tuple[str, int | None, int | None]]:
    parsed = parse_file(path, max_bytes=1 << 28)
    summary = summarise(parsed, title=path.name, rules=default_rulebook().enabled_rules)
    return {p.topic: (p.text, p.page, p.row) for p in summary.points}


def test_a_filing_names_its_registrant_and_sets_each_figure_against_the_year_before() -> None:
    filing = shared_path("data", "financebench-dev", "3M_2018_10K.pdf")
    extracts = [*extract_pages(filing, 1, 1, False), *extract_pages(filing, 56, 58, False)]
    pages = [Page(e.number, e.text or "") for e in extracts]  # the cover, income, balance sheet
    parsed = ParsedDocument(doc_type=DocType.PDF, pages=pages)
    points = {p.topic: p for p in summarise(parsed, title=filing.name).points}
    assert points["filing"].text == "10-K of 3M COMPANY, FY2018" and points["filing"].page == 1
    revenue = points["revenue"]
    assert revenue.text == "Net sales: 32,765 (2018) against 31,657 (2017), +3.5%"
    assert revenue.page == 56
    assert points["total assets"].text.startswith("Total assets: 36,500 (2018) against 37,987")


def test_a_contract_names_its_defined_parties_and_quotes_clauses_whole() -> None:
    points = _points(shared_path("corpus", "compliance-dev", "cloudpay_msa_2024.pdf"))
    assert points["parties"][0] == (
        "Harborview National Bank (“Bank”) and CloudPay Analytics LLC (“Supplier”)"
    )
    term = points["term"][0]
    assert term.startswith("5.1 This Agreement begins") and term.endswith("three (3) years.")
    licence = _points(shared_path("corpus", "compliance-dev",
                                  "vantora_software_license_agreement.docx"))  # fmt: skip
    assert licence["parties"][0].startswith("Vantora Systems, Inc. (“Licensor”) and Calder")


def test_a_sentence_ends_at_a_line_break_after_its_full_stop_and_skips_a_heading() -> None:
    text = "4.2 Invoices are due.\n5. Term\n5.1 It runs for three (3) years.\n5.2 It renews."
    assert sentence_at(text, text.index("runs")) == "5.1 It runs for three (3) years."


def test_a_ledger_with_only_positive_amounts_is_totalled_by_entry_type() -> None:
    points = _points(shared_path("corpus", "compliance-dev", "branch014_cash_ledger_2024-03.xlsx"))
    totals = points["totals"][0]
    assert totals.startswith("USD: 251,824.90 over 48 amounts, all positive (by type: Cash deposit")
    assert "Cash withdrawal 34,800" in totals
