"""Agent tools of the compliance agent: check a document, read and change the rulebook."""

from __future__ import annotations

import re

from tools.agent_tools.analysis import compliance_of, current_rulebook, rulebook_store
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import document_ref, resolve_document
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.agent_tools.models import ComplianceResult, RuleChange, RuleInfo, RuleList
from tools.compliance import Rule
from tools.models import Severity
from tools.review.guards import ActionStatus

USER_RULE_CATEGORY = "custom.user_rule"


def rule_info(rule: Rule) -> RuleInfo:
    return RuleInfo(
        rule_id=rule.id,
        title=rule.title,
        category=rule.category,
        severity=rule.severity,
        enabled=rule.enabled,
        kind=rule.kind,
        regulation=rule.regulation,
    )


@agent_tool
async def check_compliance(deps: ToolDeps, document: str) -> ComplianceResult:
    """Check one document against the enabled rules of the rulebook.

    document: the document id (or its file name). Returns the 0-100 score, the status,
    every finding with its page and the exact evidence text, and the rules that apply but
    could not be checked (a document with such rules is not an all-clear).
    """
    info = await resolve_document(deps, document)
    assessment = await compliance_of(deps, info)
    rulebook = await current_rulebook(deps)
    return ComplianceResult(
        document=document_ref(info),
        score=assessment.score,
        status=assessment.status,
        findings=assessment.findings,
        rules_checked=len(rulebook.enabled_rules),
        rulebook_version=rulebook.version,
        checks=assessment.check_counts(),
        not_checked=assessment.not_checked,
        summary=assessment.checks_summary(),
        model_reader=assessment.model_reader,
    )


@agent_tool
async def list_rules(deps: ToolDeps, category: str | None = None) -> RuleList:
    """List the rules of the rulebook (id, title, category, severity, enabled).

    category: optional prefix such as "aml" or "privacy.unmasked_ssn" to narrow the list.
    """
    rulebook = await current_rulebook(deps)
    rules = [
        rule_info(rule)
        for rule in rulebook.rules
        if not category or rule.category == category or rule.category.startswith(category + ".")
    ]
    return RuleList(rules=rules, rulebook_version=rulebook.version)


def _rule_id(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:60] or "rule"
    return f"user.{slug}"


@agent_tool
async def add_rule(
    deps: ToolDeps,
    title: str,
    patterns: list[str],
    severity: Severity = "medium",
    category: str = USER_RULE_CATEGORY,
    recommendation: str = "Review the flagged passage and record the outcome.",
    regulation: str = "internal policy",
) -> RuleChange | ActionStatus:
    """Add a text rule that flags every sentence matching one of the patterns.

    The rulebook is shared: in the chat the change waits for the analyst's confirmation
    (status "pending"); ask again after the answer to report it.

    patterns: regular expressions (RE2 syntax, case-insensitive), e.g. ["crypto\\W+custody"].
    severity: critical, high, medium or low. category: dotted, e.g. "custom.crypto_custody".
    """
    if not patterns:
        raise ToolArgumentError("patterns is empty: give at least one regular expression")
    rule = Rule(
        id=_rule_id(title),
        title=title,
        category=category,
        severity=severity,
        regulation=regulation,
        recommendation=recommendation,
        kind="text_pattern",
        params={"patterns": patterns},
    )
    if deps.guard is not None:
        summary = f"add rule {rule.id} “{title}” ({severity}, flags {', '.join(patterns)})"
        return await deps.guard.request(
            "rule.add", target=rule.id, summary=summary,
            arguments={"rule": rule.model_dump(mode="json")},
        )  # fmt: skip
    rulebook = await rulebook_store(deps).add_rule(rule, owner=deps.owner)
    deps.memo.analyses.clear()
    return RuleChange(action="added", rule=rule_info(rule), rulebook_version=rulebook.version)


@agent_tool
async def set_rule_enabled(
    deps: ToolDeps, rule_id: str, enabled: bool
) -> RuleChange | ActionStatus:
    """Enable or disable a rule by its id (see list_rules).

    In the chat the change waits for the analyst's confirmation (status "pending").
    """
    if deps.guard is not None:
        rule = (await current_rulebook(deps)).rule(rule_id)
        if rule is None:
            raise ToolArgumentError(f"no rule with id '{rule_id}': list the rules to see their ids")
        verb = "enable" if enabled else "disable"
        return await deps.guard.request(
            f"rule.{verb}", target=rule_id, summary=f"{verb} rule {rule_id} “{rule.title}”"
        )
    rulebook = await rulebook_store(deps).set_enabled(rule_id, enabled, owner=deps.owner)
    rule = rulebook.rule(rule_id)
    if rule is None:  # pragma: no cover - the store raises first
        raise ToolArgumentError(f"no rule with id '{rule_id}'")
    deps.memo.analyses.clear()
    return RuleChange(
        action="enabled" if enabled else "disabled",
        rule=rule_info(rule),
        rulebook_version=rulebook.version,
    )
