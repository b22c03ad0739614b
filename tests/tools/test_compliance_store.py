"""Rules and analyses in a real migrated database, on SQLite and PostgreSQL: install,
upgrade, toggle, record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from compliance_docs import csv_doc, make_rule, text_doc
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
    load_assessment,
    save_assessment,
    set_rule_enabled,
)
from tools.models import Finding


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


async def test_rule_outcomes_and_finding_provenance_survive_the_database(
    database: Database,
) -> None:
    """Every rule's outcome (with the reason a rule could not run), a finding's source,
    table reading and the model's dispute are stored and read back as they were."""
    rulebook = default_rulebook()
    # An approval log in Italian with no approver column: the two-person rule cannot run.
    document = csv_doc(
        "Rif.;Data richiesta;Beneficiario;Importo EUR;Richiedente\n"
        "RP-1;01/07/2024;Studio Bordoni;9.760,00;F. Casati\n"
        "RP-2;02/07/2024;Tipografia Medicea;1.430,50;A. Morandi\n"
    )
    assessment = run_rulebook(
        document, document_id="doc-2", filename="richieste.csv", rules=rulebook.enabled_rules
    )
    assert any(c.outcome == "not checked" for c in assessment.checks)
    disputed = Finding(
        rule_id="governance.self_approval.log", category="governance.self_approval",
        severity="high", document_id="doc-2", sheet="richieste", row=3, evidence="RP-2",
        recommendation="r", regulation="SOX", reading="read 'Aprovador' as approver",
        disputed="the two names differ",
    )  # fmt: skip
    from_model = disputed.model_copy(update={"source": "model", "disputed": None, "reading": ""})
    assessment = assessment.model_copy(
        update={"findings": [disputed, from_model], "model_reader": "model reader: 1 added"}
    )
    async with database.sessions() as session:
        session.add(stored_document("doc-2", "richieste.csv"))
        await session.flush()
        analysis_id = await save_assessment(session, assessment, rulebook=rulebook.name)
        await session.commit()
    async with database.sessions() as session:
        stored = await load_assessment(session, analysis_id, filename="richieste.csv")
    assert stored is not None
    assert stored.checks == assessment.checks
    assert stored.checks_summary() == assessment.checks_summary()
    assert "governance.self_approval.log: no approver column" in stored.checks_summary()
    assert [(f.source, f.reading, f.disputed) for f in stored.findings] == [
        ("rule", "read 'Aprovador' as approver", "the two names differ"),
        ("model", "", None),
    ]
    assert stored.model_reader == "model reader: 1 added"
    assert stored.status == assessment.status


def stored_document(document_id: str, filename: str) -> Document:
    return Document(
        id=document_id, owner="", sha256=document_id.ljust(64, "0"), filename=filename,
        doc_type="csv", size_bytes=10, pages=1, chunks=0, status="ready", warnings=[],
    )  # fmt: skip
