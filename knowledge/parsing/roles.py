"""What each column of a table is for, read from its header and the values under it.

Ledgers from different institutions name the same thing differently ("Approved by",
"Authoriser", "Checker"; "Cust #", "CIF", "Client ID"; "Cash In", "Currency received"),
and some name it not at all. A column's role is decided from header phrases (any of the
languages we see in exports) and checked against its values: a column called "Approved"
that holds dates is an approval date, not an approver; a column with no usable header
whose cells are all dates is the date. The rule engine reads rows by role and every
finding says how the table was read, so an analyst can see a wrong reading at once.

    reading = infer_roles(["Txn Date", "Cust #", "Cash In", "Teller"], rows)
    reading.column("customer_id")   # 1
    reading.describe(["customer_id", "cash_in"])  # "read 'Cust #' as customer id, ..."
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.amounts import parse_amount, parse_number
from knowledge.parsing.dates import DayOrder, parse_date
from knowledge.parsing.headers import header_words

__all__ = ["ColumnRole", "TableReading", "infer_roles", "names_a_role", "role_names"]

# role -> phrases naming it (score), words ruling a header out
_ROLE_FILE = Path(__file__).resolve().parent / "column_roles.yaml"


@lru_cache(maxsize=1)
def _roles_file() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(_ROLE_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[dict[str, int], frozenset[str]]]:
    """Role -> (phrases naming it with their score, words ruling a header out)."""
    return {
        role: (
            {str(k).lower(): int(v) for k, v in spec["phrases"].items()},
            frozenset(_fold(str(word)) for word in spec["not"]),
        )
        for role, spec in _roles_file().items()
    }


@lru_cache(maxsize=1)
def _not_unless() -> dict[str, frozenset[str]]:
    """Role -> words that lift its exclusions ("Amount incl. VAT" is the amount)."""
    return {
        role: frozenset(_fold(str(w)) for w in spec.get("not_unless") or ())
        for role, spec in _roles_file().items()
    }


@lru_cache(maxsize=1)
def _stems() -> dict[str, dict[str, int]]:
    """Role -> word roots that name it in any inflection or language ("aprov" reads
    "Aprovador(a)", "autoriz" reads "Autorizó"), folded to plain letters."""
    return {
        role: {_fold(str(k)): int(v) for k, v in (spec.get("stems") or {}).items()}
        for role, spec in _roles_file().items()
    }


def _fold(word: str) -> str:
    """Lower case without accents: "Autorizó" and "autorizo" are one word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Roles several columns may share (two approvers, notes and comments).
_SHARED_ROLES = frozenset({"approver", "memo"})
_SPOKEN = {
    "customer_id": "customer id",
    "cash_in": "cash in",
    "cash_out": "cash out",
    "approval_limit": "approval limit",
    "ctr": "CTR filed",
}
_MONEY_ROLES = frozenset({"amount", "cash_in", "cash_out", "debit", "credit", "approval_limit"})
_PERSON_ROLES = frozenset({"party", "requester", "approver", "teller"})
_TIME = re.compile(r"^\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?$", re.IGNORECASE)
_ID = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/#._ ]{1,24}$")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_TYPE_WORDS = re.compile(
    r"\b(?:cash|deposit|withdrawal|wire|cheque|check|transfer|ach|card|currency|payment"
    r"|exchange|money order)\b",
    re.IGNORECASE,
)
_AGREE = 0.6
# A telephone number ("0722 314 559", "+254 712 905 368") is not money.
_PHONE = re.compile(r"^(?:\+\d{1,3}[ -]?|0)\d{2,4}(?:[ -]\d{3,4}){2}$")


@dataclass(frozen=True)
class ColumnRole:
    """One column's role and why: from its header, its values, or both."""

    role: str
    position: int
    header: str
    basis: str

    @property
    def spoken(self) -> str:
        return f"read '{self.header}' as {_SPOKEN.get(self.role, self.role)}"


@dataclass(frozen=True)
class TableReading:
    """The roles of a table's columns (a column has at most one role)."""

    headers: tuple[str, ...]
    roles: tuple[ColumnRole, ...] = field(default_factory=tuple)

    def columns(self, role: str) -> list[int]:
        return [r.position for r in self.roles if r.role == role]

    def column(self, role: str) -> int | None:
        found = self.columns(role)
        return found[0] if found else None

    def header(self, role: str) -> str | None:
        position = self.column(role)
        return None if position is None else self.headers[position]

    def has(self, *roles: str) -> bool:
        return all(self.column(role) is not None for role in roles)

    def role_of(self, position: int) -> str | None:
        return next((r.role for r in self.roles if r.position == position), None)

    def describe(self, roles: Sequence[str]) -> str:
        """How the roles a rule used were read: "read 'Approved by' as approver, ..."."""
        wanted = [r for role in roles for r in self.roles if r.role == role]
        return "; ".join(r.spoken for r in wanted)


def infer_roles(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> TableReading:
    """Each column's role, from header phrases checked against the column's values."""
    columns = [[_at(row, i) for row in rows] for i in range(len(headers))]
    candidates = sorted(
        (
            (score, -position, role, position)
            for position, header in enumerate(headers)
            for role in _phrases()
            if (score := _header_score(role, header)) > 0 and _values_fit(role, columns[position])
        ),
        reverse=True,
    )
    chosen: list[ColumnRole] = []
    used: set[int] = set()
    taken: set[str] = set()
    for _score, _order, role, position in candidates:
        if position in used or (role in taken and role not in _SHARED_ROLES):
            continue
        chosen.append(ColumnRole(role, position, headers[position], "header"))
        used.add(position)
        taken.add(role)
    chosen += _roles_from_values(headers, columns, used, taken)
    return TableReading(tuple(headers), tuple(sorted(chosen, key=lambda r: r.position)))


def _header_score(role: str, header: str) -> int:
    phrases, excluded = _phrases()[role]
    words = header_words(header)
    folded_words = {_fold(word) for word in words}
    if not words or (folded_words & excluded and not folded_words & _not_unless()[role]):
        return 0
    joined = f" {' '.join(words)} "
    best = 0
    for phrase, score in phrases.items():
        if f" {phrase.lower()} " in joined:
            best = max(best, score + (2 if joined.strip() == phrase.lower() else 0))
    for word in words:
        folded = _fold(word)
        for stem, score in _stems()[role].items():
            if folded.startswith(stem):
                best = max(best, score)
    return best


def _values_fit(role: str, values: list[str]) -> bool:
    """Whether the filled cells of a column could hold this role (blank columns can)."""
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return True
    if role == "date":
        return _share(filled, _is_date) >= _AGREE
    if role == "time":
        return _share(filled, lambda v: bool(_TIME.match(v)) or ":" in v) >= _AGREE
    if role in _MONEY_ROLES:
        return _share(filled, _is_money) >= _AGREE
    if role == "teller":  # tellers are often written as ids ("T07")
        return _share(filled, lambda v: _is_name(v) or bool(_ID.match(v))) >= _AGREE
    if role in _PERSON_ROLES:
        return _share(filled, _is_name) >= _AGREE
    if role == "customer_id":
        return _share(filled, lambda v: bool(_ID.match(v))) >= _AGREE
    return True


def _roles_from_values(
    headers: Sequence[str], columns: list[list[str]], used: set[int], taken: set[str]
) -> list[ColumnRole]:
    """Columns no header phrase explained, read from what they hold: dates, times, money."""
    found: list[ColumnRole] = []
    tests = (
        ("date", lambda v: _is_date(v) and not _is_money(v)),
        ("time", lambda v: bool(_TIME.match(v))),
        ("type", lambda v: bool(_TYPE_WORDS.search(v)) and len(v) <= 30),
        ("amount", _looks_like_money),
    )
    for position, values in enumerate(columns):
        filled = [v.strip() for v in values if v.strip()]
        if position in used or len(filled) < 2:
            continue
        for role, test in tests:
            if role not in taken and _share(filled, test) >= 0.9:
                found.append(ColumnRole(role, position, headers[position], "values"))
                used.add(position)
                taken.add(role)
                break
    return found


def _looks_like_money(value: str) -> bool:
    """Money without a header to say so: decimals, grouping or a currency, not a bare
    number (account numbers, GL codes and ids are bare numbers too)."""
    if _PHONE.match(value.strip()):
        return False
    return _is_money(value) and bool(re.search(r"[.,]\d{2}$|\d[,.' ]\d{3}|[$€£¥]|[A-Z]{3}", value))


def _is_money(value: str) -> bool:
    if parse_date(value) is not None and not re.fullmatch(r"[\d.,]+", value):
        return False
    return parse_amount(value) is not None or parse_number(value) is not None


def _is_date(value: str) -> bool:
    """A date in either day/month order (13/05/2024 is a date, read day first)."""
    return parse_date(value) is not None or parse_date(value, DayOrder.DAY_FIRST) is not None


def _is_name(value: str) -> bool:
    """Words, not a reference: "E. Rinaldi", "jlopez", "Gregory Lam (E0212)"; not
    "RP-2024-0771" (digits outside brackets make an id)."""
    unbracketed = re.sub(r"[(\[][^)\]]*[)\]]", " ", value)
    digits = sum(c.isdigit() for c in unbracketed)
    return bool(_LETTERS.search(value)) and parse_date(value) is None and digits <= 2


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values)


def _at(row: Sequence[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def role_names() -> tuple[str, ...]:
    """Every role a column can be read as."""
    return tuple(_phrases())


def names_a_role(header: str) -> bool:
    """Whether a header cell names a column role ("Cash In", "Approved by", "Date")."""
    return any(_header_score(role, header) >= 5 for role in _phrases())
