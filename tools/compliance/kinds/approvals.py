"""Two-person rule over approval logs: whoever requests a payment may not approve it.

Requester and approver columns are found by role ("Raised by", "Maker", "Submitted by";
"Authoriser", "Checker", "Released by"), with the rule's header patterns as a fallback; a
log where only one side can be found is reported as not checked, naming the side missing.
When a payment has several approvers, it is self-approved only when no approver is
someone other than the requester.

People are compared by the employee id in brackets when both cells carry one ("Gregory
Lam (E0212)"), else by the normalised name, so "Dana Kowalski (E1043)" and "Daniel
Kowalczyk (E0877)" stay two people. Scheduled or system entries ("AP-AUTO (recurring
schedule)") have no human requester to compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tools.compliance.context import Cell, DocumentView, RowView, normalise_header
from tools.compliance.kinds.base import Coverage, Hit, KindParams, Regex, RuleKind
from tools.compliance.kinds.ledger import memo_cell, party_cell, row_hit
from tools.compliance.patterns import compile_pattern

__all__ = ["TwoPersonRule", "TwoPersonRuleParams", "same_person"]

# Approvals of money (payments, invoices, journal entries, expenses), not of onboarding.
_MONEY_ROLES = ("amount", "debit", "credit", "cash_in", "cash_out")
_ID = re.compile(r"[(\[]\s*([A-Za-z]{0,4}\d{2,})\s*[)\]]")
_PERSON_ID = re.compile(r"^[A-Za-z]{0,4}[-_]?\d{2,}$")


class TwoPersonRuleParams(KindParams):
    requester_columns: Regex = (
        r"request|initiat|prepar|enter|submit|creat|maker|raised|originat|posted by|keyed"
    )
    approver_columns: Regex = r"approv|authori[sz]|checker|releas|sign|review(?:er|ed by)"
    system_actors: Regex = (
        r"\bauto\b|\bauto-|system|batch|schedul|recurring|interface|\bapi\b|\bbot\b"
    )
    ignore_columns: Regex = r"\bat\b|date|time|status|comment|note|level|limit"


class TwoPersonRule(RuleKind):
    name = "two_person"
    params_model = TwoPersonRuleParams

    def coverage(self, view: DocumentView, params: TwoPersonRuleParams) -> Coverage:
        approval_tables = [
            rows
            for _reading, rows in view.tables
            if (_requesters(rows[0], params) or _approvers(rows[0], params, None))
            and any(rows[0].reading.has(role) for role in _MONEY_ROLES)
        ]
        if not approval_tables:
            return Coverage.not_applicable()
        for rows in approval_tables:
            if _requesters(rows[0], params) and _approvers(rows[0], params, None):
                return Coverage(roles=("requester", "approver"))
        side = "requester" if not _requesters(approval_tables[0][0], params) else "approver"
        return Coverage(missing=(f"no {side} column",), roles=("requester", "approver"))

    def find(self, view: DocumentView, params: TwoPersonRuleParams) -> Iterator[Hit]:
        system = compile_pattern(params.system_actors)
        for row in view.rows:
            requester = next((c for c in _requesters(row, params) if c.value.strip()), None)
            if requester is None:
                continue
            approvers = [c for c in _approvers(row, params, requester) if c.value.strip()]
            if not approvers or _is_time_or_date(requester.value):
                continue
            if system.matches(requester.value) or any(system.matches(a.value) for a in approvers):
                continue
            people = [a for a in approvers if not _is_time_or_date(a.value)]
            if people and all(_same(row, requester, a) for a in people):
                yield row_hit(row, [memo_cell(row), party_cell(row), people[0]])


def _same(row: RowView, requester: Cell, approver: Cell) -> bool:
    """The same person, by the employee ids of their own columns when the log has them
    ("Maker ID" beside "Maker Name"), else by what the two cells say."""
    first, second = _id_beside(row, requester), _id_beside(row, approver)
    if first and second:
        return first.upper() == second.upper()
    return same_person(requester.value, approver.value)


_GENERIC_WORDS = frozenset({"name", "by", "full", "da", "por", "par", "von", "door", "de", "of"})
_ID_WORDS = frozenset({"id", "no", "nr", "code", "number", "emp", "employee", "user", "uid"})


def _id_beside(row: RowView, person: Cell) -> str:
    """The id in the column that names the same actor as `person`'s ("Checker ID" for
    "Checker Name"), when it holds an id."""
    own = set(normalise_header(person.column).split()) - _GENERIC_WORDS - _ID_WORDS
    if not own:
        return ""
    for cell in row.cells:
        words = set(normalise_header(cell.column).split())
        value = cell.value.strip()
        if cell is not person and own & words and words & _ID_WORDS and _PERSON_ID.match(value):
            return value
    return ""


def _requesters(row: RowView, params: TwoPersonRuleParams) -> list[Cell]:
    found = row.cells_for("requester")
    if found:
        return found
    ignored = compile_pattern(params.ignore_columns)
    pattern = compile_pattern(params.requester_columns)
    return [
        c
        for c in row.cells
        if pattern.matches(normalise_header(c.column))
        and not ignored.matches(normalise_header(c.column))
        and row.reading.role_of(row.reading.headers.index(c.column)) in (None, "requester")
    ][:1]


def _approvers(row: RowView, params: TwoPersonRuleParams, requester: Cell | None) -> list[Cell]:
    found = [c for c in row.cells_for("approver") if c is not requester]
    if found:
        return found
    ignored = compile_pattern(params.ignore_columns)
    pattern = compile_pattern(params.approver_columns)
    return [
        c
        for c in row.cells
        if c is not requester
        and pattern.matches(normalise_header(c.column))
        and not ignored.matches(normalise_header(c.column))
        and row.reading.role_of(row.reading.headers.index(c.column)) in (None, "approver")
    ]


def same_person(first: str, second: str) -> bool:
    """Whether two cells name the same person (by id when both have one, else by name)."""
    first_id, second_id = _ID.search(first), _ID.search(second)
    if first_id and second_id:
        return first_id.group(1).upper() == second_id.group(1).upper()
    return _name(first) == _name(second) and bool(_name(first))


def _name(value: str) -> str:
    """Lower-case name words in a fixed order, so "LAM, Gregory" is "Gregory Lam"."""
    without_id = _ID.sub(" ", value)
    return " ".join(sorted(re.sub(r"[^\w]+", " ", without_id).lower().split()))


def _is_time_or_date(value: str) -> bool:
    return re.fullmatch(r"[\d\s:/.\-TZ+]+", value.strip()) is not None
