"""The rule kinds a rulebook can use, by the name it uses for them."""

from __future__ import annotations

from tools.compliance.kinds.aggregation import WindowAggregation
from tools.compliance.kinds.amounts import AmountThreshold
from tools.compliance.kinds.approvals import TwoPersonRule
from tools.compliance.kinds.base import Coverage, Hit, KindParams, RuleKind
from tools.compliance.kinds.identifiers import Identifier
from tools.compliance.kinds.jurisdiction import JurisdictionList
from tools.compliance.kinds.limits import ApprovalLimit
from tools.compliance.kinds.missing_control import MissingControl
from tools.compliance.kinds.required_clause import RequiredClause
from tools.compliance.kinds.row_condition import RowCondition
from tools.compliance.kinds.text_pattern import TextPattern

__all__ = ["RULE_KINDS", "Coverage", "Hit", "KindParams", "RuleKind"]

RULE_KINDS: dict[str, RuleKind] = {
    kind.name: kind
    for kind in (
        TextPattern(),
        RequiredClause(),
        Identifier(),
        AmountThreshold(),
        WindowAggregation(),
        JurisdictionList(),
        TwoPersonRule(),
        ApprovalLimit(),
        MissingControl(),
        RowCondition(),
    )
}
