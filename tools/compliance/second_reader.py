"""The model as a second reader: findings the rules missed, and rule hits it doubts.

After the rules, a language model (when one is configured) reads the document once per
category group (AML, sanctions, KYC, ...) with the rule hits of that group, and answers in
JSON. What it proposes is checked in code, never trusted: a proposed finding is kept only
if its evidence is an exact substring of the document (of the page it names, else of any
page), and only in a category of the group asked about; anything else is dropped and
counted. A rule hit the model disputes stays, marked with the model's reason: a rule hit
is never dropped silently. Every finding says whether a rule or the model found it.

    reader = ...  # async (system, prompt) -> text, built by the agents layer
    reading = await second_read(view_document, findings, rules=rules, reader=reader,
                                document_id=..., filename=...)
    reading.findings, reading.summary
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from knowledge.documents import ParsedDocument
from tools.compliance.rulebook import Rule
from tools.models import Finding

__all__ = ["ModelReader", "SecondReading", "second_read"]

logger = logging.getLogger(__name__)

ModelReader = Callable[[str, str], Awaitable[str]]
"""An async function (system prompt, user prompt) -> the model's text."""

MAX_DOCUMENT_CHARS = 24_000
SYSTEM_PROMPT = (
    "You are the second reader of a compliance team. The rules have already read the "
    "document; you look for what they missed and for rule hits that are wrong. Report a "
    "finding only when the document shows the condition (not a policy, a definition, an "
    "example or a remediated issue). Quote evidence exactly as it appears in the document. "
    'Answer with JSON only: {"findings": [{"category": "...", "page": 1, "evidence": '
    '"exact quote", "reason": "..."}], "disputes": [{"finding": 1, "reason": "..."}]}.'
)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


@dataclass
class SecondReading:
    """The findings after the second reading, and what the model proposed and what held."""

    findings: list[Finding]
    added: int = 0
    dropped: int = 0
    disputed: int = 0
    failed_groups: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [
            f"{self.added} finding{'s' if self.added != 1 else ''} added",
            f"{self.dropped} proposal{'s' if self.dropped != 1 else ''} dropped "
            "(quote not found in the document or category not asked)",
            f"{self.disputed} rule hit{'s' if self.disputed != 1 else ''} disputed",
        ]
        if self.failed_groups:
            parts.append(f"no usable answer for {', '.join(self.failed_groups)}")
        return "model reader: " + ", ".join(parts)


async def second_read(
    document: ParsedDocument,
    findings: Sequence[Finding],
    *,
    rules: Sequence[Rule],
    reader: ModelReader,
    document_id: str,
    filename: str,
) -> SecondReading:
    """Ask the model, group by group, and merge what survives the checks."""
    reading = SecondReading(findings=list(findings))
    for group, group_rules in _groups(rules).items():
        hits = [f for f in reading.findings if _group_of(f.category) == group]
        prompt = _prompt(document, filename, group, group_rules, hits)
        try:
            text = await reader(SYSTEM_PROMPT, prompt)
        except Exception as error:  # the model is optional: its failure costs only its view
            logger.warning("second reader, %s: the model call failed (%s)", group, error)
            reading.failed_groups.append(group)
            continue
        try:
            answer = _parse(text)
        except (ValueError, TypeError) as error:
            logger.info("second reader, %s: unusable answer (%s)", group, error)
            reading.failed_groups.append(group)
            continue
        _apply_disputes(reading, hits, answer.get("disputes"))
        for proposal in _items(answer.get("findings")):
            finding = _verified(proposal, document, group_rules, document_id, filename)
            if finding is None:
                reading.dropped += 1
            elif not _already_found(reading.findings, finding):
                reading.findings.append(finding)
                reading.added += 1
    reading.findings.sort(key=lambda f: (f.page or 0, f.sheet or "", f.start or 0, f.rule_id))
    return reading


def _groups(rules: Sequence[Rule]) -> dict[str, list[Rule]]:
    groups: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.enabled:
            groups.setdefault(_group_of(rule.category), []).append(rule)
    return groups


def _group_of(category: str) -> str:
    return category.split(".", 1)[0]


def _prompt(
    document: ParsedDocument, filename: str, group: str, rules: list[Rule], hits: list[Finding]
) -> str:
    categories = {rule.category: rule.title for rule in rules}
    lines = [f"Document: {filename}", f"Category group: {group}", "Categories:"]
    lines += [f"- {category}: {title}" for category, title in categories.items()]
    lines.append("Rule hits in this group (number: category, evidence):")
    lines += [f'{n}: {f.category}, "{f.evidence}"' for n, f in enumerate(hits, 1)] or ["none"]
    lines += ["", "Document text, page by page:", _document_text(document)]
    return "\n".join(lines)


def _document_text(document: ParsedDocument) -> str:
    text = "\n".join(f"--- page {page.number} ---\n{page.text}" for page in document.pages)
    return text[:MAX_DOCUMENT_CHARS]


def _parse(answer: str) -> dict[str, Any]:
    data = json.loads(_FENCE.sub("", answer.strip()))
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    return data


def _items(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _apply_disputes(reading: SecondReading, hits: list[Finding], disputes: object) -> None:
    """Mark the rule hits the model doubts; they stay in the findings."""
    for dispute in _items(disputes):
        number, reason = dispute.get("finding"), str(dispute.get("reason") or "").strip()
        if not isinstance(number, int) or not 1 <= number <= len(hits) or not reason:
            continue
        target = hits[number - 1]
        index = next(i for i, f in enumerate(reading.findings) if f is target)
        if reading.findings[index].disputed is None:
            reading.disputed += 1
        reading.findings[index] = target.model_copy(update={"disputed": reason[:300]})
        hits[number - 1] = reading.findings[index]


def _verified(
    proposal: dict[str, Any],
    document: ParsedDocument,
    rules: list[Rule],
    document_id: str,
    filename: str,
) -> Finding | None:
    """A Finding when the category was asked for and the quote is in the document."""
    category, evidence = proposal.get("category"), proposal.get("evidence")
    rule = next((r for r in rules if r.category == category), None)
    if rule is None or not isinstance(evidence, str) or len(evidence.strip()) < 4:
        return None
    place = _locate(document, evidence, proposal.get("page"))
    if place is None:
        return None
    page, start = place
    reason = str(proposal.get("reason") or "").strip()
    return Finding(
        rule_id=f"model.{rule.category}",
        category=rule.category,
        severity=rule.severity,
        document_id=document_id,
        filename=filename,
        page=page if document.doc_type.is_paginated else None,
        evidence=evidence,
        start=start,
        title=f"{rule.title} (model reader{': ' + reason[:120] if reason else ''})",
        recommendation=rule.recommendation,
        regulation=rule.regulation,
        source="model",
    )


def _locate(document: ParsedDocument, evidence: str, page: object) -> tuple[int, int] | None:
    """(page, offset) of an exact occurrence: on the named page first, then anywhere."""
    pages = sorted(document.pages, key=lambda p: p.number != page)
    for candidate in pages:
        offset = candidate.text.find(evidence)
        if offset >= 0:
            return candidate.number, offset
    return None


def _already_found(findings: list[Finding], new: Finding) -> bool:
    return any(
        f.category == new.category and (f.evidence in new.evidence or new.evidence in f.evidence)
        for f in findings
    )
