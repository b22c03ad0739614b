"""Ledger rules: cash thresholds, structuring windows, two-person rule, register conditions."""

from __future__ import annotations

from compliance_docs import assert_exact_evidence, csv_doc, make_rule, run

CTR = make_rule(
    "amount_threshold",
    {"threshold": 10000, "rows": {"fx_to_usd": {"EUR": 1.1}}},
    category="aml.cash_threshold",
)
STRUCTURING = make_rule(
    "window_aggregation",
    {"band_min": 8000, "band_max": 9999.99, "window_days": 5, "min_count": 2, "min_total": 10000},
    category="aml.structuring",
)

CASH_LEDGER = """
posting_date,client,txn_type,amount,ccy,ctr_ref,notes
03/04/2024,Orchard Diner LLC,Cash Deposit,"$12,750.00",USD,,weekend takings
03/04/2024,Orchard Diner LLC,Cheque deposit,"40,000.00",USD,,catering contract
03/05/2024,Lena Park,Cash deposit,"6,200.00",USD,,
03/05/2024,Lena Park,Cash deposit,"4,100.00",USD,,second visit
03/06/2024,Harbor Pawn Inc,Cash withdrawal,"15,000.00",USD,CTR #31000555,
03/07/2024,Euro Traders GmbH,Cash deposit,"9,800.00",EUR,,
03/08/2024,Marco Ruiz,Cash deposit,"9,900.00",USD,,
03/09/2024,Quick Fuel LLC,Cash deposit,"9,450.00",USD,,
03/11/2024,Quick Fuel LLC,Cash deposit,"9,800.00",USD,,
03/12/2024,Quick Fuel LLC,Cash deposit,"8,700.00",USD,,
03/14/2024,Dana Cole,Cash deposit,"4,000.00",USD,,
03/15/2024,Dana Cole,Cash deposit,"5,900.00",USD,,
03/20/2024,Slow Build Co,Cash deposit,"9,100.00",USD,,
04/02/2024,Slow Build Co,Cash deposit,"9,300.00",USD,,
"""


def test_cash_at_or_over_the_threshold_without_a_report() -> None:
    document = csv_doc(CASH_LEDGER)
    findings = run(document, CTR)
    evidence = [f.evidence for f in findings]
    # A single $12,750, 6,200 + 4,100 by one customer the same day, and EUR 9,800 (over
    # USD 10,000); not the cheque, nor the withdrawal with a CTR on file.
    assert evidence == ["Orchard Diner LLC", "Lena Park", "Euro Traders GmbH"]
    assert_exact_evidence(document, findings)
    assert all(f.page is None and f.row is not None for f in findings)


def test_structuring_needs_several_amounts_in_the_band_inside_the_window() -> None:
    document = csv_doc(CASH_LEDGER)
    findings = run(document, STRUCTURING)
    assert len(findings) == 1
    assert "Quick Fuel LLC" in findings[0].evidence
    # Marco Ruiz (one deposit), Dana Cole (4,000 is out of the band) and Slow Build Co
    # (13 days apart) are near misses.


def test_two_person_rule_compares_people_by_id_or_name() -> None:
    document = csv_doc(
        """
        entry,description,amount,prepared_by,approved_by,approved_on
        JE-1,Accrual true-up,"250,000.00",R. Osei (U17),R. Osei (U17),2024-06-30
        JE-2,Vendor payment,"12,000.00",maria lopez,Maria  Lopez,2024-06-30
        JE-3,Vendor payment,"12,000.00",Maria Lopez (U20),Mario Lopes (U21),2024-06-30
        JE-4,Recurring rent,"8,000.00",SYSTEM (scheduled batch),Maria Lopez (U20),2024-06-30
        JE-5,Refund,"900.00",Tom Brandt,,2024-06-30
        """
    )
    findings = run(document, make_rule("two_person", {}))
    assert [f.row for f in findings] == [2, 3]


def test_register_conditions_with_exemptions() -> None:
    rule = make_rule(
        "row_condition",
        {
            "all": [
                {"column": "type", "matches": "entity|llc|ltd", "not_matches": "individual"},
                {
                    "any": [
                        {"column": "owner", "empty": True},
                        {"column": "owner", "matches": "unknown"},
                    ]
                },
            ],
            "none": [{"column": "owner", "matches": "exempt"}],
        },
    )
    document = csv_doc(
        """
        name,type,owners,opened
        Blue Fin Ltd,Legal entity - Ltd,,2024-01-05
        Keel Partners LLC,LLC,Unknown at opening,2024-01-06
        Listed Corp,Legal entity,Exempt (listed),2024-01-07
        Jane Roe,Individual,,2024-01-08
        Oak LLC,LLC,Ann Oak 100%,2024-01-09
        """
    )
    assert [f.row for f in run(document, rule)] == [2, 3]


def test_cash_is_read_from_the_description_when_the_type_column_is_a_channel() -> None:
    document = csv_doc(
        """
        Date,Account Name,Description,Debit,Credit,Channel
        06/03/2024,Sunrise Deli LLC,Cash deposit,,"11,400.00",Teller
        06/03/2024,Sunrise Deli LLC,Check deposit,,"2,000.00",Teller
        06/06/2024,Max Bauer,Cash withdrawal,"9,700.00",,Teller
        06/07/2024,Max Bauer,Cash withdrawal,"9,300.00",,Teller
        """
    )
    assert [f.evidence for f in run(document, CTR)] == ["Sunrise Deli LLC"]
    assert [f.evidence for f in run(document, STRUCTURING)] == ["Max Bauer"]
