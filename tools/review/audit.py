"""The audit trail of a thread, a document or everything: entries in time order, hash-chained.

Every agent message and tool call (the team's audit), every analysis and finding, every
decision, sign-off and guarded action, each with its user and time. Each exported entry
carries the hash of the previous one and its own hash over its content, so altering,
removing or reordering any line breaks the chain from that line on, and `verify_export`
names the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.agent_models import AgentAuditRecord
from knowledge.db.compliance_models import AnalysisRecord, FindingRecord
from knowledge.db.review_models import (
    ActionRequestRecord,
    FindingDecisionRecord,
    ReportSignoffRecord,
)

__all__ = ["AuditScope", "Broken", "audit_entries", "chain", "verify_export", "write_jsonl"]

GENESIS = "0" * 64
_DOCUMENT_ID = re.compile(r"\b[0-9a-f]{16,32}\b")


@dataclass(frozen=True)
class AuditScope:
    """What to export: one thread, one document, or (neither) everything of the owner."""

    owner: str
    thread_id: str | None = None
    document_id: str | None = None


@dataclass(frozen=True)
class Broken:
    """The first entry of an export that does not verify, and why."""

    line: int
    seq: int | None
    reason: str

    def describe(self) -> str:
        entry = f"entry {self.seq}" if self.seq is not None else "an entry"
        return f"line {self.line} ({entry}): {self.reason}"


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _entry(
    at: datetime | None,
    kind: str,
    user: str,
    actor: str,
    data: dict[str, Any],
    *,
    thread_id: str | None = None,
    document_id: str | None = None,
) -> dict[str, Any]:
    return {
        "at": _iso(at),
        "kind": kind,
        "user": user,
        "actor": actor,
        "thread_id": thread_id,
        "document_id": document_id,
        "data": data,
    }


async def audit_entries(session: AsyncSession, scope: AuditScope) -> list[dict[str, Any]]:
    """The scope's entries, oldest first (not yet chained)."""
    team = await _team_entries(session, scope)
    documents = _documents_in(team) if scope.thread_id else set()
    if scope.document_id:
        documents = {scope.document_id}
    entries = [entry for _, entry in team]
    entries += await _analysis_entries(session, scope, documents)
    entries += await _decision_entries(session, scope, documents)
    entries += await _signoff_entries(session, scope)
    entries += await _action_entries(session, scope)
    return sorted(entries, key=lambda e: e["at"])


async def _team_entries(
    session: AsyncSession, scope: AuditScope
) -> list[tuple[AgentAuditRecord, dict[str, Any]]]:
    query = select(AgentAuditRecord).where(AgentAuditRecord.owner == scope.owner)
    if scope.thread_id:
        query = query.where(AgentAuditRecord.thread_id == scope.thread_id)
    rows = await session.scalars(query.order_by(AgentAuditRecord.id))
    found = []
    for row in rows:
        data = {
            "run_id": row.run_id,
            "seq": row.seq,
            "content": row.content,
            "tool_name": row.tool_name,
            "call_id": row.call_id,
            "arguments": row.arguments,
            "outcome": row.outcome,
            "is_error": row.is_error,
        }
        if scope.document_id and scope.document_id not in json.dumps(data, default=str):
            continue
        entry = _entry(row.created_at, row.kind, row.owner, row.source, data,
                       thread_id=row.thread_id)  # fmt: skip
        found.append((row, entry))
    return found


def _documents_in(team: Iterable[tuple[AgentAuditRecord, dict[str, Any]]]) -> set[str]:
    """Document ids the thread's tool calls named or returned."""
    ids: set[str] = set()
    for _, entry in team:
        ids.update(_DOCUMENT_ID.findall(json.dumps(entry["data"], default=str)))
    return ids


async def _analysis_entries(
    session: AsyncSession, scope: AuditScope, documents: set[str]
) -> list[dict[str, Any]]:
    if scope.thread_id and not documents:
        return []
    query = select(AnalysisRecord).where(AnalysisRecord.owner == scope.owner)
    if documents:
        query = query.where(AnalysisRecord.document_id.in_(documents))
    entries: list[dict[str, Any]] = []
    for analysis in await session.scalars(query.order_by(AnalysisRecord.analysed_at)):
        entries.append(_entry(
            analysis.analysed_at, "analysis", analysis.owner, "compliance engine",
            {"analysis_id": analysis.id, "score": analysis.score, "status": analysis.status,
             "rulebook": analysis.rulebook, "rulebook_version": analysis.rulebook_version,
             "knowledge_version": analysis.knowledge_version},
            document_id=analysis.document_id,
        ))  # fmt: skip
        findings = await session.scalars(
            select(FindingRecord)
            .where(FindingRecord.analysis_id == analysis.id)
            .order_by(FindingRecord.id)
        )
        for finding in findings:
            entries.append(_entry(
                analysis.analysed_at, "finding", analysis.owner, "compliance engine",
                {"finding_id": finding.id, "analysis_id": analysis.id,
                 "rule_id": finding.rule_id, "severity": finding.severity,
                 "page": finding.page, "sheet": finding.sheet, "row": finding.row,
                 "evidence": finding.evidence},
                document_id=finding.document_id,
            ))  # fmt: skip
    return entries


async def _decision_entries(
    session: AsyncSession, scope: AuditScope, documents: set[str]
) -> list[dict[str, Any]]:
    query = select(FindingDecisionRecord).where(FindingDecisionRecord.owner == scope.owner)
    if scope.document_id:
        query = query.where(FindingDecisionRecord.document_id == scope.document_id)
    elif scope.thread_id:
        query = query.where(
            (FindingDecisionRecord.thread_id == scope.thread_id)
            | FindingDecisionRecord.document_id.in_(documents)
        )
    rows = await session.scalars(query.order_by(FindingDecisionRecord.id))
    return [
        _entry(
            row.decided_at,
            "decision",
            row.decided_by,
            row.channel or "analyst",
            {
                "decision_id": row.id,
                "finding_id": row.finding_id,
                "rule_id": row.rule_id,
                "decision": row.decision,
                "reason": row.reason,
                "role": row.role,
                "evidence_hash": row.evidence_hash,
                "analysis_id": row.analysis_id,
            },
            thread_id=row.thread_id,
            document_id=row.document_id,
        )
        for row in rows
    ]


async def _signoff_entries(session: AsyncSession, scope: AuditScope) -> list[dict[str, Any]]:
    query = select(ReportSignoffRecord).where(ReportSignoffRecord.owner == scope.owner)
    if scope.thread_id:
        query = query.where(ReportSignoffRecord.thread_id == scope.thread_id)
    entries = []
    for row in await session.scalars(query.order_by(ReportSignoffRecord.approved_at)):
        if scope.document_id and scope.document_id not in row.document_ids:
            continue
        entries.append(_entry(
            row.approved_at, "approval", row.approved_by, "analyst",
            {"signoff_id": row.id, "title": row.title, "document_ids": row.document_ids,
             "content_hash": row.content_hash, "role": row.role,
             "rulebook": row.rulebook_name, "rulebook_version": row.rulebook_version,
             "knowledge_version": row.knowledge_version, "files": row.files},
            thread_id=row.thread_id,
        ))  # fmt: skip
    return entries


async def _action_entries(session: AsyncSession, scope: AuditScope) -> list[dict[str, Any]]:
    query = select(ActionRequestRecord).where(ActionRequestRecord.owner == scope.owner)
    if scope.thread_id:
        query = query.where(ActionRequestRecord.thread_id == scope.thread_id)
    if scope.document_id:
        query = query.where(ActionRequestRecord.target == scope.document_id)
    entries = []
    for row in await session.scalars(query.order_by(ActionRequestRecord.id)):
        base = {
            "request_id": row.id, "action": row.action, "target": row.target,
            "arguments": row.arguments, "summary": row.summary, "channel": row.channel,
        }  # fmt: skip
        entries.append(_entry(row.created_at, "action_request", row.requested_by, row.channel,
                              base, thread_id=row.thread_id))  # fmt: skip
        if row.decided_at is not None:
            answer = base | {"status": row.status, "role": row.decided_role,
                             "outcome": row.outcome}  # fmt: skip
            entries.append(_entry(row.decided_at, "action_answer", row.decided_by or "",
                                  "analyst", answer, thread_id=row.thread_id))  # fmt: skip
    return entries


def _digest(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number the entries and link each to the previous one by hash."""
    chained: list[dict[str, Any]] = []
    previous = GENESIS
    for seq, entry in enumerate(entries, start=1):
        linked = {"seq": seq, **entry, "prev_hash": previous}
        linked["hash"] = _digest(linked)
        previous = linked["hash"]
        chained.append(linked)
    return chained


def write_jsonl(entries: Iterable[dict[str, Any]], path: Path) -> int:
    lines = [json.dumps(e, sort_keys=True, ensure_ascii=False, default=str) for e in entries]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def verify_export(path: Path) -> tuple[int, Broken | None]:
    """Check an export line by line: (entries checked, the first broken entry or None)."""
    previous, count = GENESIS, 0
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                return count, Broken(number, None, "not a JSON object: the line was altered")
            if not isinstance(entry, dict):
                return count, Broken(number, None, "not a JSON object: the line was altered")
            seq = entry.get("seq") if isinstance(entry.get("seq"), int) else None
            if entry.get("prev_hash") != previous:
                why = "does not follow the previous entry (an entry was removed, added or moved)"
                return count, Broken(number, seq, why)
            if entry.get("hash") != _digest(entry):
                return count, Broken(number, seq, "its content does not match its hash (altered)")
            previous, count = entry["hash"], count + 1
    return count, None
