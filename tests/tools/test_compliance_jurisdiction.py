"""Sanctioned places by country, region, city or port, and when a name is not a location."""

from __future__ import annotations

import pytest
from compliance_docs import csv_doc, default_findings, text_doc

SANCTIONS = "sanctions.jurisdiction"


def sanctions(document) -> list:
    return default_findings(document, SANCTIONS)


@pytest.mark.parametrize(
    "sentence",
    [
        "On 4 June we wired USD 52,000 to Tehran Petrochem Trading for valve parts.",
        "The vessel will discharge the cargo at Latakia next week.",
        "Consignee: Nampo Marine Supply, invoice 88-14.",
        "Our new customer is based in Sevastopol and trades grain.",
        "Payment of EUR 9,000 to a supplier in Luhansk was released on 3 May.",
        "The goods were transshipped via Dubai with final destination Bandar Abbas.",
    ],
)
def test_payments_shipments_and_parties_in_sanctioned_places(sentence: str) -> None:
    assert len(sanctions(text_doc(sentence))) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not process payments to Iran, Cuba, Syria, North Korea or Crimea.",
        "Our dinner at Little Havana Café in Miami was paid by card.",
        "Invoice 71 covers Aleppo pepper and dried mint from a Turkish supplier.",
        "The customer was born in Havana and has lived in Tampa since 1990.",
        "The shipment went to Damascus, Maryland for a hardware store.",
        "Employees must not travel to Syria on company business.",
        "Payments to a counterparty in Iran would be blocked by the screening engine.",
        "Our supplier in South Korea shipped the order from Busan.",
        "We paid the invoice of Cuban Coffee Roasters LLC of Jersey City.",
    ],
)
def test_names_that_are_not_locations(sentence: str) -> None:
    assert sanctions(text_doc(sentence)) == []


def test_rows_of_a_payment_log() -> None:
    document = csv_doc(
        """
        date,beneficiary,beneficiary_country,beneficiary_bank_city,purpose,status
        2024-02-01,Havana Club Bar LLC,United States,"Chicago, IL",bar supplies,Sent
        2024-02-02,Mir Trading FZE,United Arab Emirates,Dubai,"spares, ship to Chabahar",Sent
        2024-02-03,Kerch Ferry Services,Russia,Kerch,port fees,Sent
        2024-02-04,Syrian Bakery Supply,Germany,Berlin,flour,Sent
        2024-02-05,Al Hamra Import,Syria,Damascus,textiles,Rejected by screening
        2024-02-06,Pyongyang Trading Co,China,Dandong,machinery,Sent
        """
    )
    findings = sanctions(document)
    # A place inside a party's name is not where the party is when the row says where it
    # is: the Chicago bar and the Dandong trader are left to name screening.
    assert [f.row for f in findings] == [3, 4]
    assert all(f.page is None for f in findings)
