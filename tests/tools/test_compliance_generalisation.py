"""Regulatory conditions, not phrasings: tables with column names no rule mentions, cash
that crosses tellers, placeholders for owners, PEP relatives behind a vendor "no match",
policies that define what they forbid, and rules that say when they could not run."""

from __future__ import annotations

from pathlib import Path

from compliance_docs import (
    assert_exact_evidence,
    csv_doc,
    default_findings,
    parse,
    text_doc,
    write_docx,
    write_xlsx,
)

from knowledge.documents import ParsedDocument
from knowledge.parsing.roles import infer_roles
from tools.compliance import check_rules, default_rulebook
from tools.models import Finding, RuleCheck


def checked(document: ParsedDocument) -> tuple[list[Finding], dict[str, RuleCheck]]:
    result = check_rules(
        document,
        document_id="d",
        filename="upload",
        rules=default_rulebook().enabled_rules,
    )
    return result.findings, {c.rule_id: c for c in result.checks}


def test_column_roles_come_from_headers_and_values() -> None:
    reading = infer_roles(
        ["Business Date", "Heure", "Caissier", "CIF", "Member", "Currency received", "Col 9"],
        [
            ["2024-03-05", "09:14", "T07", "C-1001", "Ana Ruiz", "6,000.00", "Filed"],
            ["05/03/2024", "14:02", "T11", "C-1001", "A. Ruiz", "5,500.00", ""],
        ],
    )
    roles = {r.header: r.role for r in reading.roles}
    assert roles == {
        "Business Date": "date", "Heure": "time", "Caissier": "teller", "CIF": "customer_id",
        "Member": "party", "Currency received": "cash_in",
    }  # fmt: skip
    # A column named like an approver that holds dates is not the approver.
    dated = infer_roles(["Approved", "Approved by"], [["2024-01-02", "Li Wei"]])
    assert [(r.header, r.role) for r in dated.roles] == [("Approved by", "approver")]
    # Without usable headers, the values decide.
    blind = infer_roles(["A", "B", "C"], [["2024-01-02", "Cash deposit", "9,500.00"]] * 2)
    assert [(r.role, r.basis) for r in blind.roles] == [
        ("date", "values"), ("type", "values"), ("amount", "values"),
    ]  # fmt: skip


def test_self_approval_in_a_log_whose_columns_no_rule_names(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "journal.xlsx",
        {
            "Écritures": [
                ["Journal des écritures - avril 2024"],
                ["N° pièce", "Date", "Libellé", "Montant", "Saisi par", "Validé par"],
                ["JE-0102", "02/04/2024", "Commissions", "312 480,15", "S. Girard", "C. Moreau"],
                ["JE-0117", "15/04/2024", "Reclassement", "88 000,00", "P. Lemaire", "P. Lemaire"],
            ]
        },
    )
    document = parse(path)
    findings = [f for f in default_findings(document) if f.category == "governance.self_approval"]
    assert [f.row for f in findings] == [4]
    assert "read 'Saisi par' as requester" in findings[0].reading
    assert "read 'Validé par' as approver" in findings[0].reading
    assert_exact_evidence(document, findings)


def test_an_approval_above_the_approvers_limit(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ap.xlsx",
        {
            "Payments": [
                ["Payment", "Vendor", "Amount", "Raised by", "Authorised by"],
                ["P-1", "Acme Ltd", "48,000.00", "N. Okoro", "K. Mortlock"],
                ["P-2", "Quill Co", "9,000.00", "N. Okoro", "K. Mortlock"],
            ],
            "Delegations": [["Approver", "Approval limit"], ["K. Mortlock", "25,000.00"]],
        },
    )
    findings = default_findings(parse(path), "governance.approval_limit")
    assert [(f.row, f.evidence) for f in findings] == [(2, "K. Mortlock")]


def test_same_day_cash_of_one_customer_across_tellers_and_branches() -> None:
    document = csv_doc(
        "Date,Time,Branch,Teller,Cust #,Customer,Transaction,Cash In,Cash Out,CTR Filed?\n"
        "2024-04-08,10:15,SUD,K. Makinen,20-118834,Gilles Thibodeau,Deposit,6200,,Non / No\n"
        "2024-04-08,15:40,TIM,P. Roy,20-118834,G. Thibodeau,Deposit,4300,,Non / No\n"
        "2024-04-08,11:00,SUD,K. Makinen,20-555001,Ana Ruiz,Deposit,6000,,No\n"
        "2024-04-09,09:00,SUD,P. Roy,20-555001,Ana Ruiz,Deposit,5000,,No\n"
        "2024-04-08,12:00,TIM,P. Roy,20-777002,Bo Lin,Deposit,7000,,\n"
        "2024-04-08,12:30,TIM,P. Roy,20-777002,Bo Lin,Withdrawal,,4000,\n"
    )
    findings, checks = checked(document)
    cash = [f for f in findings if f.category == "aml.cash_threshold"]
    # 6,200 + 4,300 on one business day, by two tellers at two branches; Ana Ruiz's cash
    # is on two days, and Bo Lin's deposit and withdrawal are not added together.
    assert [f.row for f in cash] == [2]
    assert "read 'Cust #' as customer id" in cash[0].reading
    assert checks["aml.cash_threshold.ledger"].outcome == "failed"


def test_structuring_just_under_the_threshold_within_days() -> None:
    document = csv_doc(
        "Date,Member No,Member Name,Type,Amount,Cashier\n"
        "04/03/2024,HV-1,Gareth Pryce,Cash pay-in,9300.00,LH\n"
        "05/03/2024,HV-1,Gareth Pryce,Cash pay-in,9650.00,DW\n"
        "07/03/2024,HV-1,G. Pryce,Cash pay-in,9100.00,PB\n"
        "04/03/2024,HV-2,Mia Holt,Cash pay-in,9500.00,LH\n"
    )
    findings = default_findings(document, "aml.structuring")
    assert [f.row for f in findings] == [2]


def test_beneficial_owners_left_as_a_placeholder_despite_a_ticked_checklist(
    tmp_path: Path,
) -> None:
    path = write_docx(
        tmp_path / "kyc.docx",
        [
            "KYC file - Rheinhafen Commodities LLC (Delaware limited liability company)",
            "2. Beneficial owners (25% or more)",
            "Beneficial owners: To be provided after closing",
            "5. Checklist",
            "Beneficial ownership certification: received ☑",
        ],
    )
    document = parse(path)
    findings = default_findings(document, "kyc.missing_beneficial_owner")
    assert len(findings) == 1 and "To be provided after closing" in findings[0].evidence
    complete = text_doc(
        "KYC file - Harbor Tools LLC\nBeneficial owners: Ann Lee (60%), Raj Patel (40%)\n"
        "Beneficial ownership certification: received"
    )
    assert default_findings(complete, "kyc.missing_beneficial_owner") == []


def test_a_pep_relative_is_a_pep_whatever_the_vendor_says() -> None:
    file = text_doc(
        "CDD onboarding file - Mihai Dragomir, managing member of Rheinhafen Commodities LLC.\n"
        "Screening (WorldCheck): No match.\n"
        "RM knowledge: brother of Radu Dragomir, Minister of Energy of Romania.\n"
        "EDD: not required (vendor no match).\n"
    )
    [finding] = default_findings(file, "kyc.pep_without_edd")
    assert "brother of Radu Dragomir, Minister of Energy" in finding.evidence
    done = text_doc(
        "CDD onboarding file - Ana Ruiz, spouse of the Deputy Minister of Finance.\n"
        "Enhanced due diligence completed on 3 March 2024: source of wealth verified "
        "(salary, inheritance); senior management approval obtained.\n"
    )
    assert default_findings(done, "kyc.pep_without_edd") == []
    register = csv_doc(
        "member_id,name,vendor,result,relation,DVA / EDD\n"
        "20-1,Gilles Tremblay,NorthScreen,No match,,Non requise / not required\n"
        "20-2,Paul Cardinal,NorthScreen,No match,Spouse of federal MP Annick Cardinal,"
        "Non requise / not required\n"
        "20-3,Rosa Diaz,NorthScreen,Match - PEP,Mayor of Sudbury,Completed 2024-03-02\n"
    )
    assert [f.row for f in default_findings(register, "kyc.pep_without_edd")] == [3]


def test_a_policy_that_defines_structuring_and_lists_sanctioned_regions_reports_nothing() -> None:
    policy = text_doc(
        "# Anti-Money Laundering Policy\n\nPolicy owner: MLRO. Version 3.1.\n\n"
        "Structuring means breaking up cash deposits of $9,000 and $9,500 on consecutive days "
        "to avoid a Currency Transaction Report.\n\n"
        "Document history: v3.1 added the Crimea, Donetsk and Luhansk regions to the list of "
        "sanctioned regions; payments to Sevastopol are blocked.\n"
    )
    assert default_findings(policy) == []
    memo = text_doc(
        "Memo to branch staff. Structuring means splitting cash to stay under the CTR "
        "threshold. Last week the customer Dale Rickard split his cash deposits to stay "
        "under the CTR threshold.\n"
    )
    assert {f.category for f in default_findings(memo)} == {"aml.structuring"}


def test_a_rule_that_cannot_find_its_columns_says_not_checked() -> None:
    document = csv_doc(
        "Payment,Vendor,Amount,Released by\n"
        "P-1,Acme Ltd,48000,K. Mortlock\n"
        "P-2,Quill Co,9000,K. Mortlock\n"
    )
    findings, checks = checked(document)
    two_person = checks["governance.self_approval.log"]
    assert (two_person.outcome, two_person.reason) == ("not checked", "no requester column")
    assert checks["aml.cash_threshold.ledger"].outcome == "not applicable"  # no cash here
    assert not findings


def test_a_us_town_named_cuba_is_not_cuba() -> None:
    wires = csv_doc(
        "Wire Date,Client,Amount (USD),Beneficiary,Beneficiary Address,Bene Bank Country\n"
        '3/5/2024,Crestview Dental,"18,400.00",Cuba Road Dental Supply LLC,'
        '"204 N Franklin St, Cuba, MO 65453",US\n'
        '3/6/2024,Crestview Dental,"9,000.00",Havana Cigars SA,"Calle 23, Havana",CU\n'
    )
    assert [f.row for f in default_findings(wires, "sanctions.jurisdiction")] == [3]
