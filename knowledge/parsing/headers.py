"""Ledger column headers mapped to the fields the rule engine uses, by meaning.

Each field has phrases that name it, best first, and words that rule a header out
("Beneficiary country" is a country, not a party; "customer_id" is not a name). A
header goes to the field where it scores best, and each field takes its best header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

# field -> (phrases with their score, words that disqualify a header for the field)
_FIELD_RULES: dict[str, tuple[dict[str, int], frozenset[str]]] = {
    "date": (
        {
            "value date": 10,
            "posting date": 9,
            "transaction date": 9,
            "txn date": 9,
            "trade date": 8,
            "booking date": 8,
            "payment date": 8,
            "date": 7,
            "onboard date": 6,
            "invoice date": 5,
            "dt": 4,
            "when": 3,
        },
        frozenset({"birth", "dob", "due", "expiry", "expiration", "approved", "created"}),
    ),
    "party": (
        {
            "counterparty": 10,
            "party": 9,
            "beneficiary": 9,
            "payee": 9,
            "merchant": 8,
            "vendor": 8,
            "supplier": 8,
            "customer name": 8,
            "client name": 8,
            "beneficiary name": 10,
            "payer": 7,
            "customer": 6,
            "client": 6,
            "name": 5,
            "employee": 4,
            "originator": 4,
            "recipient": 7,
            "account name": 6,
        },
        frozenset(
            {
                "country",
                "bank",
                "city",
                "id",
                "type",
                "account",
                "number",
                "no",
                "address",
                "date",
                "status",
                "rating",
                "iban",
                "swift",
                "bic",
                "code",
                "category",
                "jurisdiction",
                "residence",
            }
        ),
    ),
    "type": (
        {
            "transaction type": 10,
            "txn type": 10,
            "payment type": 9,
            "type": 8,
            "payment method": 8,
            "method": 7,
            "channel": 7,
            "transaction code": 5,
            "kind": 5,
            "instrument": 4,
        },
        frozenset({"customer", "client", "entity", "account", "id", "expense", "document"}),
    ),
    "amount": (
        {"amount": 10, "value": 6, "sum": 5, "total": 5, "amt": 9, "net amount": 10},
        frozenset({"date", "tax", "vat", "count", "currency", "ccy", "limit", "threshold"}),
    ),
    "debit": (
        {"debit": 10, "withdrawal": 9, "paid out": 8, "money out": 8, "dr": 6},
        frozenset({"card", "date"}),
    ),
    "credit": (
        {"credit": 10, "deposit": 9, "paid in": 8, "money in": 8, "cr": 6},
        frozenset({"card", "date", "limit", "rating"}),
    ),
    "currency": (
        {"currency": 10, "ccy": 10, "cur": 8, "curr": 9, "currency code": 10},
        frozenset(),
    ),
    "country": (
        {
            "country": 10,
            "jurisdiction": 9,
            "destination": 8,
            "beneficiary country": 11,
            "destination country": 11,
            "country of residence": 10,
            "nationality": 6,
        },
        frozenset({"code dial", "phone"}),
    ),
    "memo": (
        {
            "memo": 10,
            "description": 9,
            "narrative": 9,
            "purpose": 9,
            "notes": 8,
            "note": 8,
            "details": 7,
            "remarks": 7,
            "remark": 7,
            "comment": 7,
            "comments": 7,
            "reference": 4,
            "particulars": 7,
        },
        frozenset({"date", "status"}),
    ),
}


# Bank and ERP exports in other languages (German, French, Spanish, Italian, Dutch).
_OTHER_LANGUAGES: dict[str, dict[str, int]] = {
    "date": {
        "buchungstag": 9,
        "buchungsdatum": 9,
        "wertstellung": 10,
        "datum": 7,
        "fecha": 7,
        "date valeur": 10,
        "date opération": 9,
        "data": 6,
        "data valuta": 10,
        "boekdatum": 9,
    },
    "party": {
        "empfänger": 9,
        "zahlungsempfänger": 10,
        "auftraggeber": 8,
        "begünstigter": 9,
        "bénéficiaire": 9,
        "beneficiario": 9,
        "tiers": 8,
        "contrepartie": 10,
        "contraparte": 10,
        "controparte": 10,
        "tegenrekening naam": 9,
        "naam": 5,
        "nom": 5,
        "nombre": 5,
        "nome": 5,
    },
    "type": {"buchungsart": 9, "umsatzart": 9, "buchungstext": 6, "tipo": 7},
    "amount": {
        "betrag": 10,
        "umsatz": 8,
        "montant": 10,
        "importe": 10,
        "importo": 10,
        "bedrag": 10,
    },
    "currency": {"währung": 10, "devise": 10, "moneda": 10, "divisa": 10, "munt": 9},
    "country": {"land": 8, "pays": 9, "país": 9, "paese": 9},
    "memo": {
        "verwendungszweck": 10,
        "libellé": 9,
        "concepto": 9,
        "descripción": 9,
        "causale": 9,
        "omschrijving": 9,
        "mededelingen": 8,
    },
}
for _field, _phrases in _OTHER_LANGUAGES.items():
    _FIELD_RULES[_field][0].update(_phrases)


@dataclass(frozen=True)
class LedgerColumns:
    """Column positions of the typed fields (None when a ledger has no such column)."""

    date: int | None = None
    party: int | None = None
    type: int | None = None
    amount: int | None = None
    debit: int | None = None
    credit: int | None = None
    currency: int | None = None
    country: int | None = None
    memo: int | None = None


def header_words(header: str) -> list[str]:
    """Lower-case words of a header: "Beneficiary / Party" -> ["beneficiary", "party"]."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    return re.findall(r"[^\W_]+", spaced.lower())


def field_score(field: str, header: str) -> int:
    """How well `header` names `field` (0 if not at all)."""
    phrases, excluded = _FIELD_RULES[field]
    words = header_words(header)
    if any(word in excluded for word in words):
        return 0
    joined = f" {' '.join(words)} "
    best = 0
    for phrase, score in phrases.items():
        if f" {phrase} " in joined:
            exact_bonus = 2 if joined.strip() == phrase else 0
            best = max(best, score + exact_bonus)
    return best


def map_headers(headers: list[str]) -> LedgerColumns:
    """Assign each field its best-scoring column; a column serves one field only."""
    candidates = sorted(
        (
            (score, -position, field, position)
            for position, header in enumerate(headers)
            for field in _FIELD_RULES
            if (score := field_score(field, header)) > 0
        ),
        reverse=True,
    )
    chosen: dict[str, int] = {}
    used: set[int] = set()
    for _score, _order, field, position in candidates:
        if field in chosen or position in used:
            continue
        chosen[field] = position
        used.add(position)
    known = {f.name for f in fields(LedgerColumns)}
    return LedgerColumns(**{k: v for k, v in chosen.items() if k in known})
