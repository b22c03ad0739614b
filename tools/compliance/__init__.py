"""Quorum's compliance engine: rulebooks as data, rule kinds, findings and the score.

rulebook = default_rulebook()
findings = check_document(parsed, document_id="d1", filename="ledger.csv",
                          rules=rulebook.enabled_rules)
assessment = score_compliance("d1", findings, rulebook_version=rulebook.version)
"""

from __future__ import annotations

from tools.compliance.engine import CheckResult, check_document, check_rules, run_rulebook
from tools.compliance.kinds import RULE_KINDS
from tools.compliance.rulebook import (
    DEFAULT_RULEBOOK,
    Rule,
    Rulebook,
    RulebookError,
    default_rulebook,
    load_rulebook,
    parse_rulebook,
    parse_rules,
    version_key,
)
from tools.compliance.scoring import compliance_status, score_compliance

__all__ = [
    "DEFAULT_RULEBOOK",
    "RULE_KINDS",
    "CheckResult",
    "Rule",
    "Rulebook",
    "RulebookError",
    "check_document",
    "check_rules",
    "compliance_status",
    "default_rulebook",
    "load_rulebook",
    "parse_rulebook",
    "parse_rules",
    "run_rulebook",
    "score_compliance",
    "version_key",
]
