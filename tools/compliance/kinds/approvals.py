"""Two-person rule over approval logs: whoever requests a payment may not approve it.

People are compared by the employee id in brackets when both cells carry one ("Gregory
Lam (E0212)"), else by the normalised name, so "Dana Kowalski (E1043)" and "Daniel
Kowalczyk (E0877)" stay two people. Scheduled or system entries ("AP-AUTO (recurring
schedule)") have no human requester to compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tools.compliance.context import DocumentView, normalise_header
from tools.compliance.kinds.base import Hit, KindParams, Regex, RuleKind
from tools.compliance.kinds.ledger import memo_cell, party_cell, row_hit
from tools.compliance.patterns import compile_pattern

__all__ = ["TwoPersonRule", "TwoPersonRuleParams", "same_person"]

_ID = re.compile(r"[(\[]\s*([A-Za-z]{0,4}\d{2,})\s*[)\]]")


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

    def find(self, view: DocumentView, params: TwoPersonRuleParams) -> Iterator[Hit]:
        requesters = compile_pattern(params.requester_columns)
        approvers = compile_pattern(params.approver_columns)
        system = compile_pattern(params.system_actors)
        ignored = compile_pattern(params.ignore_columns)
        for row in view.rows:
            people = [
                c for c in row.cells if c.value and not ignored.matches(normalise_header(c.column))
            ]
            requester = next(
                (c for c in people if requesters.matches(normalise_header(c.column))), None
            )
            approver = next(
                (
                    c
                    for c in people
                    if approvers.matches(normalise_header(c.column)) and c is not requester
                ),
                None,
            )
            if requester is None or approver is None:
                continue
            if system.matches(requester.value) or system.matches(approver.value):
                continue
            if _is_time_or_date(approver.value) or _is_time_or_date(requester.value):
                continue
            if same_person(requester.value, approver.value):
                yield row_hit(row, [memo_cell(row), party_cell(row), approver])


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
