"""Rules and analyses in a real migrated database, on SQLite and PostgreSQL: install,
upgrade, toggle, record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from compliance_docs import make_rule, text_doc
from sqlalchemy import delete, select

from knowledge.db import Database
from knowledge.db.compliance_models import FindingRecord
from knowledge.db.models import Document
from tools.compliance import Rulebook, default_rulebook, run_rulebook
from tools.compliance.store import (
    RuleStoreError,
    add_rule,
    install_rulebook,
    latest_assessment,
    list_rules,
    save_assessment,
    set_rule_enabled,
)


def next_version(rulebook: Rulebook) -> Rulebook:
    """The same rulebook one version later: one rule reworded, one dropped."""
    rules = [r for r in rulebook.rules if r.id != "privacy.unmasked_card"]
    rules = [
        r.model_copy(update={"title": "Reworded"}) if r.id == "privacy.unmasked_ssn" else r
        for r in rules
    ]
    return rulebook.model_copy(update={"version": "99.0", "rules": rules})


async def test_install_then_upgrade_keeps_users_choices(database: Database) -> None:
    rulebook = default_rulebook()
    async with database.sessions() as session:
        assert await install_rulebook(session, rulebook) == "installed"
        assert await install_rulebook(session, rulebook) == "current"
        await set_rule_enabled(session, "privacy.unmasked_ssn", False)
        await add_rule(session, make_rule("text_pattern", {"patterns": ["lottery"]}, id="my.rule"))
        await session.commit()
    async with database.sessions() as session:
        assert await install_rulebook(session, next_version(rulebook)) == "upgraded"
        await session.commit()
    async with database.sessions() as session:
        rules = {rule.id: rule for rule in await list_rules(session)}
        enabled = {rule.id for rule in await list_rules(session, enabled_only=True)}
    assert "privacy.unmasked_card" not in rules  # dropped by the new version
    assert rules["privacy.unmasked_ssn"].title == "Reworded"
    assert "privacy.unmasked_ssn" not in enabled  # still disabled after the upgrade
    assert "my.rule" in enabled and len(rules) == len(rulebook.rules)


async def test_rule_mistakes_are_clear(database: Database) -> None:
    async with database.sessions() as session:
        await install_rulebook(session, default_rulebook())
        duplicate = make_rule("text_pattern", {"patterns": ["x"]}, id="privacy.unmasked_ssn")
        with pytest.raises(RuleStoreError, match="already exists"):
            await add_rule(session, duplicate)
        with pytest.raises(RuleStoreError, match="no rule with id 'nope'"):
            await set_rule_enabled(session, "nope", True)


async def test_an_analysis_is_recorded_with_its_versions_and_findings(database: Database) -> None:
    document = text_doc("Borrower SSN 536-22-8190; card 4012 8888 8888 1881 on file.")
    rulebook = default_rulebook()
    when = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assessment = run_rulebook(
        document,
        document_id="doc-1",
        filename="note.txt",
        rules=rulebook.enabled_rules,
        rulebook_version=rulebook.version,
        knowledge_version="kb-7",
        analysed_at=when,
    )
    async with database.sessions() as session:
        session.add(
            Document(
                id="doc-1",
                owner="",
                sha256="0" * 64,
                filename="note.txt",
                doc_type="txt",
                size_bytes=10,
                pages=1,
                chunks=0,
                status="ready",
                warnings=[],
            )
        )
        await session.flush()
        await save_assessment(session, assessment, rulebook=rulebook.name)
        await session.commit()
    async with database.sessions() as session:
        stored = await latest_assessment(session, "doc-1")
        assert stored is not None
        assert (stored.score, stored.status) == (assessment.score, assessment.status)
        assert (stored.rulebook_version, stored.knowledge_version) == (rulebook.version, "kb-7")
        assert stored.analysed_at is not None and stored.analysed_at.replace(tzinfo=UTC) == when
        assert [f.evidence for f in stored.findings] == [f.evidence for f in assessment.findings]
        assert stored.factors == assessment.factors
        await session.execute(delete(Document).where(Document.id == "doc-1"))
        await session.commit()
        assert (await session.scalars(select(FindingRecord))).all() == []
        assert await latest_assessment(session, "doc-1") is None
