"""Rules, rulebooks and analyses in SQL: install and upgrade, add, enable, disable, record.

Every function takes the session explicitly and leaves committing to the caller, so a
chat tool or a CLI command decides the transaction. The default rulebook is installed on
first use and upgraded when a newer version ships: its rules' definitions are replaced,
each rule keeps the enabled flag a user gave it, rules the new version dropped are
removed, and users' own rules are never touched.
"""

from __future__ import annotations

import logging
import uuid
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.compliance_models import (
    AnalysisRecord,
    FindingRecord,
    RulebookRecord,
    RuleCheckRecord,
    RuleRecord,
)
from tools.compliance.rulebook import Rule, Rulebook, version_key
from tools.errors import ToolError
from tools.models import ComplianceAssessment, Finding, RuleCheck, ScoreFactor

__all__ = [
    "RuleStoreError",
    "add_rule",
    "finding_from_record",
    "install_rulebook",
    "installed_version",
    "latest_assessment",
    "list_rules",
    "load_assessment",
    "save_assessment",
    "set_rule_enabled",
]

logger = logging.getLogger(__name__)

InstallOutcome = Literal["installed", "upgraded", "current"]


class RuleStoreError(ToolError):
    """A rule that cannot be added or changed; the message says what to do instead."""


async def install_rulebook(session: AsyncSession, rulebook: Rulebook) -> InstallOutcome:
    """Install `rulebook`, or upgrade it if this version is newer than the installed one."""
    record = await session.get(RulebookRecord, rulebook.name)
    if record is not None and version_key(rulebook.version) <= version_key(record.version):
        return "current"
    existing = {
        r.id: r
        for r in await session.scalars(
            select(RuleRecord).where(RuleRecord.rulebook == rulebook.name)
        )
    }
    for rule in rulebook.rules:
        current = existing.pop(rule.id, None) or await session.get(RuleRecord, rule.id)
        if current is not None and current.rulebook != rulebook.name:
            logger.warning(
                "rule %s of %s clashes with a user rule; kept the user's", rule.id, rulebook.name
            )
            continue
        if current is None:
            session.add(_record(rule, rulebook=rulebook))
        else:
            _update(current, rule, rulebook)
    for dropped in existing.values():
        await session.delete(dropped)
    if record is None:
        session.add(RulebookRecord(name=rulebook.name, version=rulebook.version))
        outcome: InstallOutcome = "installed"
    else:
        record.version = rulebook.version
        outcome = "upgraded"
    await session.flush()
    logger.info("rulebook %s %s %s", rulebook.name, rulebook.version, outcome)
    return outcome


async def installed_version(session: AsyncSession, name: str) -> str | None:
    """The version of rulebook `name` whose rules are installed, or None if it is not."""
    record = await session.get(RulebookRecord, name)
    return record.version if record is not None else None


async def list_rules(
    session: AsyncSession, *, enabled_only: bool = False, rulebook: str | None = None
) -> list[Rule]:
    """Every stored rule (built-in and users'), in id order.

    With `rulebook`, only that rulebook's rules and users' own: what a session that checks
    against that rulebook sees when several rulebooks are installed.
    """
    query = select(RuleRecord).order_by(RuleRecord.id)
    if rulebook is not None:
        query = query.where(RuleRecord.rulebook.in_([rulebook, ""]))
    if enabled_only:
        query = query.where(RuleRecord.enabled.is_(True))
    return [_rule(record) for record in await session.scalars(query)]


async def add_rule(session: AsyncSession, rule: Rule, *, owner: str = "") -> Rule:
    """Store a user's rule (already validated as a Rule); its id must be new."""
    if await session.get(RuleRecord, rule.id) is not None:
        raise RuleStoreError(
            f"a rule with id '{rule.id}' already exists: choose another id, or enable or "
            "disable the existing rule"
        )
    session.add(_record(rule, owner=owner))
    await session.flush()
    return rule


async def set_rule_enabled(session: AsyncSession, rule_id: str, enabled: bool) -> Rule:
    """Enable or disable any rule, built-in or not; the flag survives rulebook upgrades."""
    record = await session.get(RuleRecord, rule_id)
    if record is None:
        raise RuleStoreError(f"no rule with id '{rule_id}': list the rules to see their ids")
    record.enabled = enabled
    await session.flush()
    return _rule(record)


async def save_assessment(
    session: AsyncSession,
    assessment: ComplianceAssessment,
    *,
    rulebook: str = "",
    owner: str = "",
) -> str:
    """Record an analysis, its findings and every rule's outcome; returns the analysis id."""
    analysis = AnalysisRecord(
        id=uuid.uuid4().hex,
        document_id=assessment.document_id,
        owner=owner,
        rulebook=rulebook,
        rulebook_version=assessment.rulebook_version,
        knowledge_version=assessment.knowledge_version,
        score=assessment.score,
        status=assessment.status,
        factors=[factor.model_dump() for factor in assessment.factors],
        model_reader=assessment.model_reader,
    )
    if assessment.analysed_at is not None:
        analysis.analysed_at = assessment.analysed_at
    analysis.findings = [_finding_record(finding) for finding in assessment.findings]
    analysis.checks = [
        RuleCheckRecord(**check.model_dump(include=set(_CHECK_COLUMNS)))
        for check in assessment.checks
    ]
    session.add(analysis)
    await session.flush()
    return analysis.id


async def latest_assessment(session: AsyncSession, document_id: str) -> ComplianceAssessment | None:
    """The most recent recorded analysis of a document, with its findings and checks."""
    query = (
        select(AnalysisRecord.id)
        .where(AnalysisRecord.document_id == document_id)
        .order_by(AnalysisRecord.analysed_at.desc())
        .limit(1)
    )
    analysis_id = await session.scalar(query)
    return None if analysis_id is None else await load_assessment(session, analysis_id)


async def load_assessment(
    session: AsyncSession, analysis_id: str, *, filename: str = ""
) -> ComplianceAssessment | None:
    """A recorded analysis as it was saved: score, findings (with who found them, how the
    table was read, the model's dispute) and each rule's outcome with its reason."""
    analysis = await session.get(AnalysisRecord, analysis_id)
    if analysis is None:
        return None
    findings = await session.scalars(
        select(FindingRecord)
        .where(FindingRecord.analysis_id == analysis.id)
        .order_by(FindingRecord.id)
    )
    checks = await session.scalars(
        select(RuleCheckRecord)
        .where(RuleCheckRecord.analysis_id == analysis.id)
        .order_by(RuleCheckRecord.id)
    )
    return ComplianceAssessment(
        document_id=analysis.document_id,
        filename=filename,
        score=analysis.score,
        status=analysis.status,
        findings=[
            _finding(record).model_copy(update={"filename": filename}) for record in findings
        ],
        factors=[ScoreFactor.model_validate(factor) for factor in analysis.factors],
        rulebook_version=analysis.rulebook_version,
        knowledge_version=analysis.knowledge_version,
        analysed_at=analysis.analysed_at,
        checks=[
            RuleCheck.model_validate({name: getattr(record, name) for name in _CHECK_COLUMNS})
            for record in checks
        ],
        model_reader=analysis.model_reader,
    )


def _record(rule: Rule, *, rulebook: Rulebook | None = None, owner: str = "") -> RuleRecord:
    record = RuleRecord(id=rule.id, owner=owner, enabled=rule.enabled)
    _update(record, rule, rulebook)
    return record


def _update(record: RuleRecord, rule: Rule, rulebook: Rulebook | None) -> None:
    """Copy a rule's definition onto its record (the enabled flag is left as it is)."""
    record.rulebook = rulebook.name if rulebook is not None else ""
    record.rulebook_version = rulebook.version if rulebook is not None else ""
    record.title = rule.title
    record.category = rule.category
    record.severity = rule.severity
    record.regulation = rule.regulation
    record.recommendation = rule.recommendation
    record.kind = rule.kind
    record.params = rule.params
    record.description = rule.description


def _rule(record: RuleRecord) -> Rule:
    return Rule(
        id=record.id,
        title=record.title,
        category=record.category,
        severity=record.severity,
        regulation=record.regulation,
        recommendation=record.recommendation,
        kind=record.kind,
        params=record.params,
        enabled=record.enabled,
        description=record.description,
    )


_FINDING_COLUMNS = (
    "document_id", "rule_id", "category", "severity", "page", "sheet", "row", "evidence",
    "start", "title", "recommendation", "regulation", "source", "reading", "disputed",
)  # fmt: skip
_CHECK_COLUMNS = ("rule_id", "category", "title", "outcome", "reason", "findings")


def _finding_record(finding: Finding) -> FindingRecord:
    values = finding.model_dump(include=set(_FINDING_COLUMNS))
    return FindingRecord(**values)


def _finding(record: FindingRecord) -> Finding:
    return Finding.model_validate({name: getattr(record, name) for name in _FINDING_COLUMNS})


def finding_from_record(record: FindingRecord, *, filename: str = "") -> Finding:
    """The finding a stored row holds (the file name is not stored with it: pass it)."""
    return _finding(record).model_copy(update={"filename": filename})
