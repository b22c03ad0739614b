"""Run rules over a parsed document and turn what they see into findings.

`check_document` is pure and deterministic: the same document and rules give the same
findings in the same order, with no I/O, so analysis is "parse (or load) the document,
then check it" wherever it runs (CLI, chat tool, evaluation).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from knowledge.documents import ParsedDocument
from tools.compliance.context import DocumentView
from tools.compliance.kinds import RULE_KINDS, Coverage, Hit
from tools.compliance.rulebook import Rule
from tools.compliance.scoring import score_compliance
from tools.models import CheckOutcome, ComplianceAssessment, Finding, RuleCheck

__all__ = ["CheckResult", "check_document", "check_rules", "run_rulebook"]

logger = logging.getLogger(__name__)

_BULLETS = frozenset("-–—*•·▪●◦\x7f")


def _private(char: str) -> bool:
    """Private-use and C1 control characters: what PDF fonts leave for bullet glyphs."""
    return "\ue000" <= char <= "\uf8ff" or "\x80" <= char <= "\x9f"


@dataclass(frozen=True)
class CheckResult:
    """The findings of a check and what each enabled rule did (passed, failed, not checked)."""

    findings: list[Finding]
    checks: list[RuleCheck]


def check_document(
    document: ParsedDocument, *, document_id: str, filename: str, rules: Sequence[Rule]
) -> list[Finding]:
    """Findings of every enabled rule on `document`, in reading order (see check_rules)."""
    return check_rules(document, document_id=document_id, filename=filename, rules=rules).findings


def check_rules(
    document: ParsedDocument, *, document_id: str, filename: str, rules: Sequence[Rule]
) -> CheckResult:
    """Findings of every enabled rule on `document`, and each rule's outcome.

    Each finding quotes an exact substring of a page's text; `page` is the 1-based page
    for PDFs and None otherwise; ledger findings also name the sheet and row and how the
    table was read. When two rules of one category cite the same place, the first rule's
    finding is kept. A rule that applies but lacks what it needs is "not checked".
    """
    view = DocumentView(document, filename=filename)
    findings: list[Finding] = []
    checks: list[RuleCheck] = []
    cited: set[tuple[str, object]] = set()
    for rule in rules:
        if not rule.enabled:
            continue
        params = rule.compiled_params()
        kind = RULE_KINDS[rule.kind]
        coverage = kind.coverage(view, params)
        found: list[Finding] = []
        if coverage.applies:
            hits = _unique_hits(kind.find(view, params))
            for hit in hits[: params.max_findings]:
                place = _place(hit)
                if (rule.category, place) in cited:
                    continue
                cited.add((rule.category, place))
                found.append(_finding(rule, hit, view, document_id, filename, coverage))
        findings += found
        checks.append(_check(rule, coverage, len(found)))
    findings.sort(key=lambda f: (f.page or 0, f.sheet or "", f.start or 0, f.rule_id))
    logger.debug("%s: %d findings from %d rules", document_id, len(findings), len(rules))
    return CheckResult(findings, checks)


def _check(rule: Rule, coverage: Coverage, found: int) -> RuleCheck:
    outcome: CheckOutcome
    if not coverage.applies:
        outcome, reason = "not applicable", ""
    elif found:
        outcome = "failed"
        reason = f"partly checked: {', '.join(coverage.missing)}" if coverage.missing else ""
    elif coverage.missing:
        outcome, reason = "not checked", ", ".join(coverage.missing)
    else:
        outcome, reason = "passed", ""
    return RuleCheck(
        rule_id=rule.id,
        category=rule.category,
        title=rule.title,
        outcome=outcome,
        reason=reason,
        findings=found,
    )


def run_rulebook(
    document: ParsedDocument,
    *,
    document_id: str,
    filename: str,
    rules: Sequence[Rule],
    rulebook_version: str = "",
    knowledge_version: str = "",
    analysed_at: datetime | None = None,
) -> ComplianceAssessment:
    """Check a document and score it: what `analyze` does after parsing or ingesting."""
    result = check_rules(document, document_id=document_id, filename=filename, rules=rules)
    return score_compliance(
        document_id,
        result.findings,
        checks=result.checks,
        filename=filename,
        rulebook_version=rulebook_version,
        knowledge_version=knowledge_version,
        analysed_at=analysed_at or datetime.now(UTC),
    )


def _unique_hits(hits: Iterable[Hit]) -> list[Hit]:
    unique: dict[tuple[int, int, int], Hit] = {}
    for hit in hits:
        unique.setdefault((hit.page, hit.start, hit.end), hit)
    return [unique[key] for key in sorted(unique)]


def _place(hit: Hit) -> object:
    if hit.row is not None:
        return ("row", hit.row.page, hit.row.start)
    return ("text", hit.page, hit.start, hit.end)


def _finding(
    rule: Rule,
    hit: Hit,
    view: DocumentView,
    document_id: str,
    filename: str,
    coverage: Coverage,
) -> Finding:
    text = view.original_text(hit.page)
    start, end = _trimmed(text, hit.start, hit.end)
    page = view.pages[hit.page]
    row = hit.row.row if hit.row is not None else None
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=rule.severity,
        document_id=document_id,
        filename=filename,
        page=hit.page if view.paginated else None,
        sheet=row.sheet if row is not None else page.label,
        row=row.row_number if row is not None else None,
        evidence=text[start:end],
        start=start,
        title=rule.title,
        recommendation=rule.recommendation,
        regulation=rule.regulation,
        reading=hit.row.reading.describe(coverage.roles) if hit.row is not None else "",
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding blanks and leading bullet marks, so evidence starts with words."""
    while start < end and (
        text[start].isspace() or text[start] in _BULLETS or _private(text[start])
    ):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
