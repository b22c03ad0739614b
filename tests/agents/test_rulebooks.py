"""The team's rules and analyses live in SQL: a rule added or disabled in the chat is the
rule `quorum rules` lists and every thread applies, and each check the team runs is saved."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from agent_documents import contract_pdf
from agent_turns import answer_pending, ask, doc_id

from agents.config import BrainConfig
from agents.session import TeamSession
from knowledge.library import KnowledgeBase
from tools.compliance.store import latest_assessment, list_rules

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def open_thread(knowledge: KnowledgeBase, owner: str) -> TeamSession:
    return await TeamSession.open(
        thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge, brain=BrainConfig()
    )


async def stored_rules(knowledge: KnowledgeBase) -> dict[str, bool]:
    """What `quorum rules list` shows: every rule in SQL and whether it is on."""
    async with knowledge.database.sessions() as session:
        return {rule.id: rule.enabled for rule in await list_rules(session)}


async def test_a_rule_changed_in_one_thread_is_stored_and_applied_in_another(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    first = await open_thread(knowledge, owner)
    added = await ask(first, "add a rule that flags offshore escrow")
    assert "waits for your confirmation" in added.message("compliance")
    assert "user.flag_offshore_escrow" not in await stored_rules(knowledge)
    confirmed = await answer_pending(first)
    assert "rule user.flag_offshore_escrow added" in confirmed.message("compliance")
    assert (await stored_rules(knowledge))["user.flag_offshore_escrow"] is True

    memo = tmp_path / "escrow.txt"
    memo.write_text("The buyer asked us to hold the funds in offshore escrow.\n", encoding="utf-8")
    second = await open_thread(knowledge, f"{owner}-colleague")
    checked = await ask(second, "check this", [memo])
    assert "user.flag_offshore_escrow" in checked.message("compliance")

    await ask(second, "disable the offshore escrow rule")
    await answer_pending(second)
    assert (await stored_rules(knowledge))["user.flag_offshore_escrow"] is False
    rulebook = await first.deps.rulebooks.current(owner=owner)
    assert rulebook.rule("user.flag_offshore_escrow").enabled is False  # type: ignore[union-attr]


async def test_a_check_by_the_team_is_saved_with_its_findings(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_thread(knowledge, owner)
    turn = await ask(session, "check this", [contract_pdf(tmp_path)])
    document = doc_id(turn, "acme_contract.pdf")
    async with knowledge.database.sessions() as db:
        saved = await latest_assessment(db, document)
    assert saved is not None and saved.analysed_at is not None
    sanctions = [f for f in saved.findings if f.category == "sanctions.jurisdiction"]
    assert sanctions and sanctions[0].page == 2 and "Bank Melli" in sanctions[0].evidence
    current = await session.deps.rulebooks.current(owner=owner)
    assert saved.rulebook_version == current.version
    assert saved.knowledge_version == str(await knowledge.version())
