"""Real files through the real parsers and the shipped rulebook: PDF, DOCX and XLSX."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from compliance_docs import (
    assert_exact_evidence,
    default_findings,
    parse,
    write_docx,
    write_pdf,
    write_xlsx,
)

SUPPLY_AGREEMENT = [
    """
    SUPPLY AND HOSTING AGREEMENT

    This Supply and Hosting Agreement (the "Agreement") is made on 5 May 2024 between
    Lakeside Credit Union ("Customer") and Ferrous Cloud Ltd ("Provider").

    1. Services. Provider shall host Customer's member records, including names, home
    addresses, dates of birth and account numbers, and shall run nightly reconciliations.

    2. Fees. Customer shall pay the fees in Schedule A within 30 days of each invoice.
    """,
    """
    3. Term. This Agreement starts on the date above and renews each year automatically.

    4. Confidentiality. Each party shall keep the other's confidential information secret
    and shall use it only to perform this Agreement.

    5. Governing Law. This Agreement is governed by the laws of the State of Illinois.

    6. Entire Agreement. This Agreement is the entire agreement of the parties.
    """,
]


def test_a_pdf_contract_missing_clauses(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "supply.pdf", SUPPLY_AGREEMENT, header="Lakeside Credit Union - Contract file 22"
    )
    document = parse(path)
    findings = default_findings(document)
    by_category = {f.category: f for f in findings}
    assert set(by_category) == {
        "contract.missing_liability_cap",
        "contract.missing_termination",
        "contract.missing_data_protection",
    }
    assert by_category["contract.missing_termination"].evidence == "SUPPLY AND HOSTING AGREEMENT"
    assert all(f.page == 1 for f in findings)
    assert_exact_evidence(document, findings)


def test_an_amendment_is_not_judged_as_a_whole_contract(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "amendment.docx",
        [
            "AMENDMENT NO. 2 TO MASTER SERVICES AGREEMENT",
            'This Amendment (the "Amendment") amends the Master Services Agreement between '
            'Harbor Bank ("Bank") and Quill Data Inc ("Supplier").',
            "1. Section 4.1 of the Agreement is amended to read: the annual fee shall be "
            "USD 250,000.",
            "2. Except as amended hereby, the Agreement shall continue in effect. This "
            "Amendment shall be read with the Agreement and this Amendment shall bind both "
            "parties.",
        ],
    )
    assert not any(f.category.startswith("contract") for f in default_findings(parse(path)))


def test_a_workbook_of_cash_and_wires(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "branch.xlsx",
        {
            "Cash": [
                ["Branch 7 teller activity, June 2024"],
                [],
                ["Txn Date", "Customer Name", "Transaction", "Amount (USD)", "CTR #", "Comments"],
                [date(2024, 6, 3), "Pine Auto Sales", "Cash deposit", 15200, None, "Lot sales"],
                [date(2024, 6, 3), "Lily Tran", "Cash deposit", 3000, None, None],
                [date(2024, 6, 4), "Ace Vending", "Cash deposit", 9600, None, None],
                [date(2024, 6, 5), "Ace Vending", "Cash deposit", 9900, None, None],
                [date(2024, 6, 6), "Ace Vending", "Cash deposit", 9400, None, None],
                [date(2024, 6, 7), "Mesa Grill", "Cash deposit", 12800, "31000991", None],
                [date(2024, 6, 7), "Bo Kim", "Cash deposit", 9500, None, "car sale, bill of sale"],
            ],
            "Wires": [
                ["Date", "Beneficiary", "Country", "City", "Amount", "Purpose"],
                [
                    date(2024, 6, 10),
                    "Gulf Star Trading",
                    "UAE",
                    "Dubai",
                    48000,
                    "Re-export to Tehran",
                ],
                [date(2024, 6, 11), "Seoul Parts Co", "Korea, Republic of", "Seoul", 9000, "Parts"],
            ],
        },
    )
    document = parse(path)
    findings = default_findings(document)
    found = {(f.category, f.sheet, f.row) for f in findings}
    assert {category for category, _, _ in found} == {
        "aml.cash_threshold",
        "aml.structuring",
        "sanctions.jurisdiction",
    }
    assert ("aml.cash_threshold", "Cash", 4) in found
    assert ("sanctions.jurisdiction", "Wires", 2) in found
    assert all(f.page is None for f in findings)
    assert len([f for f in findings if f.category == "aml.cash_threshold"]) == 1
    assert_exact_evidence(document, findings)


def test_a_kyc_register_and_a_wire_log_with_other_column_names(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "kyc.xlsx",
        {
            "Register": [
                [
                    "Client",
                    "Entity Type",
                    "Beneficial Owner(s) 25%+",
                    "Control Prong",
                    "PEP Flag",
                    "EDD Completed (Y/N)",
                ],
                ["Quartz Holdings Inc", "Corporation", "", "", "N", ""],
                ["Maple Family Trust", "Trust", "J. Maple 100%", "J. Maple", "N", ""],
                ["Lena Ortiz", "Individual", "", "", "Y", "N"],
                ["Omar Said", "Individual", "", "", "Y", "Y"],
                ["Ridge Capital LP", "Partnership", "Exempt - listed on NYSE", "K. Lu", "N", ""],
            ],
            "Wires": [
                ["Value Date", "Ordering Customer", "Beneficiary", "Bene Country", "Amount"],
                [date(2024, 2, 1), "Quartz Holdings Inc", "Persepolis Carpets Co", "IR", 12000],
                [date(2024, 2, 2), "Quartz Holdings Inc", "Nordic AB", "SE", 5000],
            ],
        },
    )
    findings = default_findings(parse(path))
    found = {(f.category, f.sheet, f.row) for f in findings}
    assert found == {
        ("kyc.missing_beneficial_owner", "Register", 2),
        ("kyc.pep_without_edd", "Register", 4),
        ("sanctions.jurisdiction", "Wires", 2),
    }, found
