"""Findings that hold in other languages and registers: approval logs whose columns are
named in Spanish, German or Italian inflections no phrase lists, contracts that are
purchase orders or letter agreements, and reference tables (glossaries, a policy's annex
of refused countries) that describe what they forbid without doing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from compliance_docs import assert_exact_evidence, categories, csv_doc, parse, text_doc, write_xlsx

from knowledge.documents import ParsedDocument
from knowledge.parsing.roles import infer_roles
from tools.compliance import check_rules, default_rulebook
from tools.models import Finding


@pytest.mark.parametrize(
    ("requester", "approver"),
    [
        ("Elaboró", "Aprobó"),  # Spanish, past tense
        ("Inserito da", "Convalidato da"),  # Italian
        ("Beantragt", "Genehmigt"),  # German participles
        ("Requerente", "Autorizado"),  # Portuguese
    ],
)
def test_self_approval_whatever_language_names_the_columns(requester: str, approver: str) -> None:
    document = csv_doc(
        f"Ref,Fecha,Proveedor,Importe,{requester},{approver}\n"
        'Q-1,03/05/2024,Talleres Ebro,"4.100,00",Nuria Sanz,Pablo Ferrer\n'
        'Q-2,06/05/2024,Grafica Levante,"19.800,00",Pablo Ferrer,Pablo Ferrer\n'
    )
    result = check_rules(
        document, document_id="d", filename="log.csv", rules=default_rulebook().enabled_rules
    )
    findings = [f for f in result.findings if f.category == "governance.self_approval"]
    assert [f.row for f in findings] == [3]
    assert f"read '{requester}' as requester" in findings[0].reading
    assert f"read '{approver}' as approver" in findings[0].reading
    assert_exact_evidence(document, findings)


def test_values_overrule_a_header_that_names_a_role() -> None:
    """A column named for the approval that holds dates is its date, and a request
    reference full of ids is not the requester."""
    reading = infer_roles(
        ["Solicitud nº", "Fecha aprobación", "Solicitante", "Importe"],
        [["SOL-2024-0101", "02/07/2024", "M. Gil", "1.200,00"]] * 2,
    )
    roles = {r.header: r.role for r in reading.roles}
    assert roles.get("Solicitud nº") != "requester"
    assert roles.get("Fecha aprobación") != "approver"
    assert roles["Solicitante"] == "requester"
    result = check_rules(
        csv_doc(
            "Solicitud nº;Fecha aprobación;Proveedor;Importe;Solicitante\n"
            "SOL-1;02/07/2024;Talleres Ebro;1.200,00;M. Gil\n"
        ),
        document_id="d",
        filename="log.csv",
        rules=default_rulebook().enabled_rules,
    )
    check = next(c for c in result.checks if c.rule_id == "governance.self_approval.log")
    assert (check.outcome, check.reason) == ("not checked", "no approver column")


def test_a_sanctioned_port_as_another_language_writes_it() -> None:
    document = csv_doc(
        "Data,Ordenante,Beneficiário,Cidade,País,Valor\n"
        '10/06/2024,Agro Sul Ltda.,Dar Al-Sham Trading,Damasco,SY,"88.000,00"\n'
        '11/06/2024,Agro Sul Ltda.,Hafen Kiel GmbH,Kiel,DE,"12.000,00"\n'
    )
    assert "sanctions.jurisdiction" in categories(document)


PURCHASE_ORDER = """\
COMERCIAL DEL TURIA S.L.
ORDEN DE COMPRA N. OC-2024-112
Proveedor: Nube Datos Iberia S.A., Calle Colón 4, Valencia
Objeto: alojamiento del CRM con los datos personales de 4.000 clientes.
Importe: EUR 42.000,00 anuales.
1. Vigencia. La orden tiene una vigencia de 24 meses desde su firma.
2. Rescisión. Cualquiera de las partes podrá resolver la orden con 60 días de preaviso.
3. El Proveedor deberá cumplir los niveles de servicio y deberá emitir factura mensual.
4. Ley aplicable. La presente orden se rige por la ley aplicable española.
Por el Comprador: Inés Roca, Directora de Compras
"""

LETTER_AGREEMENT = """\
Letter Agreement - Branch Security Review
Dear Ms Okafor,
This letter sets out the terms on which Harlow Savings Bank (the "Bank") engages Northgate
Risk Partners LLP (the "Adviser") to review the physical security of six branches.
1. Services. The Adviser will inspect each branch and will deliver a written report.
2. Fees. A fixed fee of USD 18,000 payable on delivery of the report.
3. Liability. The Adviser's total aggregate liability shall not exceed the fees paid.
4. Law. This letter is governed by the laws of the State of New York.
Please confirm your agreement by countersigning below.
"""


def test_a_purchase_order_with_terms_is_judged_as_a_contract() -> None:
    found = categories(text_doc(PURCHASE_ORDER))
    # It ends, names its law, limits nothing and hosts customers' personal data unprotected.
    assert {"contract.missing_liability_cap", "contract.missing_data_protection"} <= found
    assert not found & {"contract.missing_termination", "contract.missing_governing_law"}


def test_a_letter_agreement_is_judged_as_a_contract() -> None:
    found = categories(text_doc(LETTER_AGREEMENT))
    assert "contract.missing_termination" in found
    assert not found & {"contract.missing_liability_cap", "contract.missing_governing_law"}


def test_a_statement_of_work_takes_the_master_terms_only_when_it_says_so() -> None:
    body = (
        "The Supplier will staff the service desk and will report monthly. The Client will "
        "pay EUR 9,000 per month. This SOW is effective from 1 July 2024 for 12 months.\n"
        "Signed for the Client: A. Berg    Signed for the Supplier: L. Moss\n"
    )
    standalone = "STATEMENT OF WORK NO. 4\nBetween Client AB and Supplier Ltd.\n" + body
    governed = (
        "STATEMENT OF WORK NO. 4\nThis SOW is governed by the terms of the Master Services "
        "Agreement between Client AB and Supplier Ltd.\n" + body
    )
    assert "contract.missing_liability_cap" in categories(text_doc(standalone))
    assert not any(c.startswith("contract.") for c in categories(text_doc(governed)))


def test_a_glossary_table_defines_wrongdoing_without_committing_it() -> None:
    document = csv_doc(
        "Term,Definition,Illustration\n"
        "Structuring,Splitting cash deposits to avoid a currency transaction report.,"
        "A client deposits 9,400 on Monday and 9,700 on Tuesday to stay under the threshold.\n"
        "Facilitation payment,A small payment to an official to speed up a routine action.,"
        "Paying a customs clerk to release goods faster.\n"
        "Self-approval,One person both requested and approved the same payment.,"
        "A trader books and releases her own transfer.\n"
    )
    assert categories(document) == set()


def test_a_policy_annex_listing_refused_countries_is_no_payment(tmp_path: Path) -> None:
    annex = write_xlsx(
        tmp_path / "annex.xlsx",
        {
            "Annex C": [
                ["Sanctions Policy - Annex C: countries we do not deal with"],
                ["Country", "Code", "Treatment"],
                ["Iran", "IR", "Refuse all payments"],
                ["Syria", "SY", "Refuse all payments"],
            ]
        },
    )
    assert "sanctions.jurisdiction" not in categories(parse(annex))


def test_a_real_ledger_under_a_policy_title_is_still_checked(tmp_path: Path) -> None:
    """A genre word in the title does not hide transactions: a table with dates and
    amounts is a ledger whatever its title says."""
    ledger = write_xlsx(
        tmp_path / "wires.xlsx",
        {
            "Wires": [
                ["Sanctions policy test sample - outgoing wires"],
                ["Date", "Beneficiary", "Country", "Amount"],
                ["03/06/2024", "Pars Trading Co", "IR", "48,000.00"],
                ["04/06/2024", "Kiel Logistik GmbH", "DE", "9,000.00"],
            ]
        },
    )
    assert "sanctions.jurisdiction" in categories(parse(ledger))


def test_maker_and_checker_are_compared_by_their_employee_ids() -> None:
    """The same id under "Maker ID" and "Checker ID" is one person however the name is
    written; different ids are two people even with one surname. Amounts in lakh
    grouping (18,42,300.00) are amounts."""
    document = csv_doc(
        "JV No\tPosting Dt\tNarration\tDr Amt (₹)\tMaker ID\tMaker Name\tChecker ID\tChecker Name\n"
        "JV/1\t26-03-2024\tAccrual\t18,42,300.00\tE2001\tS. Iyer\tE2001\tSunita Iyer\n"
        "JV/2\t27-03-2024\tReversal\t2,11,450.00\tE2002\tA. Iyer\tE2003\tA. Iyer\n"
    )
    findings = [
        f for f in categories_findings(document) if f.category == "governance.self_approval"
    ]
    assert [f.row for f in findings] == [2]


def test_an_amount_including_tax_is_the_amount() -> None:
    reading = infer_roles(
        ["Invoice", "Amount incl. VAT (ZAR)", "VAT (ZAR)"], [["I-1", "28750", "3750"]] * 2
    )
    assert reading.header("amount") == "Amount incl. VAT (ZAR)"


def categories_findings(document: ParsedDocument) -> list[Finding]:
    return check_rules(
        document, document_id="d", filename="log.csv", rules=default_rulebook().enabled_rules
    ).findings


def test_an_email_that_is_the_agreement_is_judged_by_its_subject_line() -> None:
    message = (
        "From: Dana Holt <dana@holt-advisory.example>\n"
        "To: Treasury <treasury@bank.example>\n"
        "Subject: Engagement letter - liquidity model validation\n\n"
        "Dear all,\n"
        "This e-mail, together with your written acceptance, constitutes the agreement between "
        'Harlow Savings Bank (the "Bank") and Holt Advisory LLP (the "Adviser").\n'
        "1. The Adviser will validate the liquidity models and will report by 30 June.\n"
        "2. Fee: USD 24,000, invoiced on delivery.\n"
        "3. The Adviser's total liability shall not exceed the fee.\n"
        "4. This letter is governed by the laws of the State of New York.\n"
        "The engagement runs from 1 April 2024.\n"
    )
    found = categories(text_doc(message))
    assert "contract.missing_termination" in found
    ordinary = message.replace(
        "This e-mail, together with your written acceptance, constitutes the agreement between",
        "Thanks for the call about the draft agreement between",
    )
    assert not any(c.startswith("contract.") for c in categories(text_doc(ordinary)))


def test_a_column_named_procedure_does_not_make_a_register_a_policy() -> None:
    document = csv_doc(
        "Client,Role or relation,Vendor screening,EDD procedure\n"
        "Ana Lima,brother of the Minister of Finance,No match,Not required\n"
        "Rui Costa,none known,No match,Standard CDD\n"
    )
    assert "kyc.pep_without_edd" in categories(document)


def test_a_relative_of_an_official_is_a_pep_in_spanish_but_a_company_president_is_not() -> None:
    note = (
        "Ficha de cliente - cuenta abierta el 03/04/2024.\n"
        "Cliente: Marta Ruiz Ortega, hija del {who}.\n"
        "Resultado del proveedor de screening: sin coincidencias.\n"
        "Diligencia debida reforzada: no requerida.\n"
    )
    official = categories(text_doc(note.format(who="Viceministro de Hacienda, Sr. Tomás Ruiz")))
    assert "kyc.pep_without_edd" in official
    company = categories(text_doc(note.format(who="presidente de Ruiz Logística S.L.")))
    assert "kyc.pep_without_edd" not in company
