# ruff: noqa: E501  (one example sentence per line reads better than wrapped strings)
"""The shipped rulebook on prose written in many ways: each category's positives and near misses.

These are not the evaluation corpus: they are new wordings of the same conditions, so the
rules are held to the condition rather than to one document's phrasing.
"""

from __future__ import annotations

import pytest
from compliance_docs import default_findings, pdf_doc, text_doc

from knowledge.documents import DocType

POSITIVES = [
    ("disclosure.going_concern", "These factors raise substantial doubt about the Partnership's ability to continue as a going concern."),
    ("disclosure.going_concern", "Our auditors included a going concern explanatory paragraph in their report for fiscal 2023."),
    ("disclosure.going_concern", "There is substantial doubt regarding our ability to continue as a going concern for the next twelve months."),
    ("disclosure.material_weakness", "Management concluded that our internal control over financial reporting was not effective as of June 30, 2024."),
    ("disclosure.material_weakness", "In connection with the audit we identified two material weaknesses in the design of our revenue controls."),
    ("disclosure.material_weakness", "These deficiencies constitute a material weakness that existed at year end."),
    ("disclosure.restatement", "The Audit Committee determined that the interim financial statements for Q2 and Q3 should no longer be relied upon."),
    ("disclosure.restatement", "We have restated our consolidated financial statements for fiscal 2022 to correct errors in lease accounting."),
    ("disclosure.restatement", "This amendment includes the restatement of our previously issued financial statements for 2023."),
    ("marketing.guaranteed_returns", "Dear investor, our Secure Growth Note offers a guaranteed 11% annual return for five years."),
    ("marketing.guaranteed_returns", "With this fund you cannot lose money, even in a crash."),
    ("marketing.guaranteed_returns", "Enjoy risk-free income of 8% a year, paid quarterly into your account."),
    ("marketing.guaranteed_returns", "Your principal is 100% guaranteed and the coupon is locked in."),
    ("abc.improper_payment", "The agent asked for a $2,000 kickback before releasing the purchase order."),
    ("abc.improper_payment", "We paid a small facilitation payment to the licensing clerk to speed up the permit."),
    ("abc.improper_payment", "Our sales director gave the deputy minister a Rolex as thanks for awarding the tender."),
    ("abc.improper_payment", "Cash of USD 5,000 was handed to the customs inspector so the shipment could skip inspection."),
    ("governance.self_approval", "The treasurer initiated and approved the same wire transfer of $480,000 on 2 May."),
    ("governance.self_approval", "Internal Audit found that the controller approved her own expense reports for Q1."),
    ("governance.self_approval", "Three invoices were entered and approved by the same user in the ERP."),
    ("kyc.pep_without_edd", "The client, a serving senator, was onboarded last week; EDD was waived by the branch manager."),
    ("kyc.pep_without_edd", "We opened the account for the minister's son without enhanced due diligence."),
    ("kyc.missing_beneficial_owner", "The account for Brightstar Holdings Ltd was opened although the beneficial ownership certification has not been received."),
    ("kyc.missing_beneficial_owner", "Onboarding note: UBO unknown for Delta Shell Corp; account funded the same day."),
    ("aml.structuring", "The customer made cash deposits of $9,500, $9,700 and $9,200 on three consecutive days at the branch."),
    ("aml.structuring", "The teller noted that Mr. Grey split his cash deposit into two visits to avoid the CTR."),
    ("aml.cash_threshold", "On 3 March the customer deposited $18,400 in cash at the branch; no CTR was filed."),
    ("aml.cash_threshold", "The branch received a cash payment of USD 22,500.00 from the client for the boat."),
    ("aml.structuring", "He asked the teller how to stay under the reporting threshold and came back the next day."),
    ("disclosure.going_concern", "There is substantial doubt about our ability to continue operating as a going concern."),
    ("disclosure.material_weakness", "We have material weaknesses in our internal control over financial reporting."),
    ("disclosure.restatement", "The Company will restate its consolidated financial statements for fiscal 2021 and 2022."),
    ("governance.self_approval", "The same employee raised and authorised purchase order PO-551."),
    ("kyc.pep_without_edd", "He is the brother of the Minister of Finance; no EDD was performed before the account was opened."),
    ("kyc.missing_beneficial_owner", "The beneficial owners of Nimbus Trading LLC were never identified before the account opened."),
    ("marketing.guaranteed_returns", "We promise you will earn at least 10% every year on this plan."),
    ("marketing.guaranteed_returns", "This bond fund is 100% safe, your retirement savings can only go up."),
    ("abc.improper_payment", "We gave the traffic police officer $300 in cash to drop the fine on our truck."),
    ("abc.improper_payment", "Expensed: an iPad for the purchasing manager at Contoso after the PO was signed."),
]  # fmt: skip

NEAR_MISSES = [
    ("disclosure.going_concern", "Management's assessment did not identify substantial doubt about our ability to continue as a going concern."),
    ("disclosure.going_concern", "Management evaluates whether conditions raise substantial doubt about the Company's ability to continue as a going concern."),
    ("disclosure.going_concern", "If we cannot raise capital, there could be substantial doubt about our ability to continue as a going concern."),
    ("disclosure.going_concern", "The financial statements have been prepared on a going concern basis."),
    ("disclosure.material_weakness", "Based on this evaluation, no material weaknesses were identified as of December 31, 2023."),
    ("disclosure.material_weakness", "If we identify a material weakness in the future, investors may lose confidence in our reports."),
    ("disclosure.material_weakness", "The material weakness we previously reported has been remediated."),
    ("disclosure.material_weakness", "Our disclosure controls and procedures were effective at the reasonable assurance level."),
    ("disclosure.restatement", "Certain prior period amounts were reclassified to conform to the current period presentation."),
    ("disclosure.restatement", "Exhibit 3.1 Amended and Restated Bylaws of the Company."),
    ("disclosure.restatement", "A material weakness could require us to restate our financial statements."),
    ("disclosure.restatement", "Prior periods have been restated to reflect the stock split."),
    ("marketing.guaranteed_returns", "Returns are not guaranteed and you may lose money."),
    ("marketing.guaranteed_returns", "No investment strategy can guarantee a profit or protect against loss."),
    ("marketing.guaranteed_returns", "We guarantee that the software will perform in accordance with its documentation."),
    ("marketing.guaranteed_returns", "The option value uses a risk-free interest rate of 4.1%."),
    ("abc.improper_payment", "The Company prohibits bribes and kickbacks of any kind."),
    ("abc.improper_payment", "We paid the customs duty of $3,200 to the port authority; official receipt on file."),
    ("abc.improper_payment", "The team took a client from a private logistics company to lunch, within policy."),
    ("abc.improper_payment", "Employees who are asked for a facilitation payment must refuse it."),
    ("governance.self_approval", "No payment may be approved by the person who requested it."),
    ("governance.self_approval", "The invoice was entered by the clerk and approved by the CFO."),
    ("kyc.pep_without_edd", "Enhanced due diligence was completed for the senator before the account was opened."),
    ("kyc.pep_without_edd", "EDD must never be waived for a politically exposed person."),
    ("kyc.missing_beneficial_owner", "Every legal entity customer must certify its beneficial owners before an account is opened."),
    ("kyc.missing_beneficial_owner", "The beneficial ownership certification for Harbor LLC was received and verified on 2 May."),
    ("aml.structuring", "Tellers should escalate several cash deposits between $8,000 and $9,999 made on consecutive days."),
    ("aml.structuring", "She made a single cash deposit of $9,400 supported by a bill of sale."),
    ("aml.cash_threshold", "Branches never accept cash over $10,000 without identification."),
    ("aml.cash_threshold", "The customer deposited $18,400 in cash; CTR filed on 4 March, BSA ID 3100022."),
    ("aml.cash_threshold", "He deposited a check for $25,000 at the branch."),
    ("marketing.guaranteed_returns", "Past results do not guarantee future performance; the value of your investment may fall."),
    ("marketing.guaranteed_returns", "Your account is secure: we use 256-bit encryption to protect your data."),
    ("disclosure.going_concern", "Our ability to continue as a going concern depends on generating cash from operations, and management believes it will."),
    ("kyc.pep_without_edd", "EDD was performed and approved by the CCO for the former mayor."),
    ("abc.improper_payment", "We paid the city its permit fee of $450 and the permit was issued; official receipt attached."),
    ("abc.improper_payment", "Facilitation payments are banned."),
    ("abc.improper_payment", "Lunch with the client's procurement team after the PO was signed, within the $150 hospitality policy."),
    ("disclosure.material_weakness", "The CFO reported that no material weaknesses in internal control were identified in year-end testing."),
    ("sanctions.jurisdiction", "Any payment mentioning Sevastopol or Bandar Abbas is stopped for review."),
    ("privacy.unmasked_ssn", "Never write a full SSN in an e-mail (e.g. 123-45-6789); mask it as ***-**-6789."),
]  # fmt: skip


@pytest.mark.parametrize(("category", "sentence"), POSITIVES)
def test_the_condition_written_differently_is_found(category: str, sentence: str) -> None:
    document = text_doc(f"Internal note.\n\n{sentence}\n\nEnd of note.")
    assert default_findings(document, category), sentence


@pytest.mark.parametrize(("category", "sentence"), NEAR_MISSES)
def test_near_misses_are_not_reported(category: str, sentence: str) -> None:
    document = text_doc(f"Internal note.\n\n{sentence}\n\nEnd of note.")
    assert default_findings(document, category) == [], sentence


def test_marketing_with_performance_needs_a_disclosure() -> None:
    pitch = pdf_doc(
        "Horizon Balanced Fund\nA smart core holding for your savings.",
        "Three-year annualized return: 7.4%\nThe fund returned 12.1% in 2023.",
    )
    [finding] = default_findings(pitch, "marketing.missing_risk_disclosure")
    assert finding.page == 2
    disclosed = pdf_doc(
        "Horizon Balanced Fund\nThe fund returned 12.1% in 2023.",
        "Past performance is no guarantee of future results; you may lose money.",
    )
    assert default_findings(disclosed, "marketing.missing_risk_disclosure") == []


CONTRACT = """
CONSULTING SERVICES AGREEMENT

This Consulting Services Agreement (the "Agreement") is entered into by and between
Northwind Bank ("Client") and Redline Advisory LLC ("Consultant").

1. Services. Consultant shall provide the services in each statement of work. Consultant
shall receive the client's customer names, dates of birth and account numbers to test the
onboarding models, and shall host them on its servers.
2. Fees. Client shall pay the fees within 30 days. Consultant shall invoice monthly.
3. Term. This Agreement begins on the Effective Date and shall continue for one year.
4. Confidentiality. Each party shall keep the other's information confidential and shall
use it only for this Agreement.
5. Notices. Notices under this Agreement shall be in writing.
{extra}
"""
CLAUSES = {
    "contract.missing_liability_cap": "6. Limitation of Liability. Neither party's total liability shall exceed the fees paid.",
    "contract.missing_termination": "7. Termination. Either party may terminate this Agreement on 30 days' notice.",
    "contract.missing_governing_law": "8. Governing Law. This Agreement is governed by the laws of the State of New York.",
    "contract.missing_data_protection": "9. Data Protection. Consultant shall process personal data only on Client's documented instructions.",
}  # fmt: skip


def test_a_contract_missing_every_clause() -> None:
    document = text_doc(CONTRACT.format(extra=""), DocType.DOCX)
    found = {f.category: f for f in default_findings(document) if f.category.startswith("contract")}
    assert set(found) == set(CLAUSES)
    assert found["contract.missing_governing_law"].evidence == "CONSULTING SERVICES AGREEMENT"
    assert "dates of birth" in found["contract.missing_data_protection"].evidence


def test_a_contract_with_every_clause() -> None:
    document = text_doc(CONTRACT.format(extra="\n".join(CLAUSES.values())), DocType.DOCX)
    assert [f for f in default_findings(document) if f.category.startswith("contract")] == []


def test_an_sec_filing_is_never_a_contract() -> None:
    filing = pdf_doc(
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION\nFORM 10-K\n" + CONTRACT.format(extra="")
    )
    assert not any(f.category.startswith("contract") for f in default_findings(filing))
