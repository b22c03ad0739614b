"""The team on the offline engine, workflow by workflow, on real files: who spoke in which
order, which tools they called, and that the answers cite the right page."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from agent_documents import cash_ledger, contract_pdf
from agent_turns import answer_pending, ask, doc_id

from agents.config import NO_MODEL_NOTICE, BrainConfig
from agents.session import TeamSession
from knowledge.library import KnowledgeBase
from tools.review.service import document_reviews

pytestmark = pytest.mark.asyncio(loop_scope="module")

ANALYSIS = ["ingestion", "compliance", "risk", "reporter"]


async def open_session(knowledge: KnowledgeBase, owner: str, **brain: Any) -> TeamSession:
    return await TeamSession.open(
        thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge, brain=BrainConfig(**brain)
    )


async def test_files_are_ingested_checked_scored_and_reported(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    files = [contract_pdf(tmp_path), cash_ledger(tmp_path)]
    turn = await ask(session, "check this", files)

    assert turn.notices[0].content == NO_MODEL_NOTICE
    assert turn.speakers == ANALYSIS
    assert turn.tools_of("ingestion") == ["ingest_file", "ingest_file"]
    assert turn.tools_of("compliance") == ["check_compliance", "check_compliance"]
    assert turn.tools_of("risk") == ["assess_risk", "assess_risk"]
    assert turn.tools_of("reporter") == ["build_report"]
    assert [r.speaker for r in turn.routing] == ANALYSIS
    assert any("files were checked" in r.to_text() for r in turn.routing)
    assert "p. 2" in turn.message("compliance") and "Bank Melli" in turn.message("compliance")
    report = turn.message("reporter")
    assert "acme_contract.pdf, p. 2" in report
    assert "critical" in report and "cash_ledger.csv" in report
    paths = [Path(a.path) for a in turn.artifacts if a.kind == "report" and a.path]
    assert sorted(p.suffix for p in paths) == [".html", ".md", ".pdf"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert any(a.kind == "chart" for a in turn.artifacts)
    assert session.last_artifacts and turn.stop_reason == "reporter closed the workflow"


async def test_question_gets_an_extractive_answer_with_page_and_a_follow_up_narrows_it(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    first = await ask(session, "check this", [contract_pdf(tmp_path), cash_ledger(tmp_path)])
    ledger = doc_id(first, "cash_ledger.csv")

    turn = await ask(session, "anything about Iran?")
    assert turn.speakers == ["ingestion", "reporter"]
    assert "search_knowledge" in turn.tools_of("ingestion")
    answer = turn.message("reporter")
    assert "“Settlement of invoices will be wired to the Supplier's account at Bank Melli" in answer
    assert "(acme_contract.pdf, p. 2)" in answer

    follow_up = await ask(session, "and the second file?")
    assert follow_up.speakers == ["ingestion", "reporter"]
    searched = [a for s, n, a in follow_up.calls if n == "search_knowledge"]
    assert searched and all(a["query"] == "anything about Iran?" for a in searched)
    assert all(ledger.startswith(a["document"]) for a in searched)
    assert "The documents do not say this directly" in follow_up.message("reporter")


async def test_risk_question_about_a_named_document_runs_the_analysis_on_it_only(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    first = await ask(session, "check this", [contract_pdf(tmp_path), cash_ledger(tmp_path)])
    contract = doc_id(first, "acme_contract.pdf")

    turn = await ask(session, "score the risk of the Acme contract")
    assert turn.speakers == ANALYSIS
    checked = [a["document"] for s, n, a in turn.calls if n == "check_compliance"]
    assert checked == [contract[:8]]
    assert "risk" in turn.message("risk") and "acme_contract.pdf" in turn.message("risk")
    assert "(acme_contract.pdf, p. 2)" in turn.message("reporter")


async def test_debate_alternates_for_the_configured_rounds_and_the_judge_rules_with_citations(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner, debate_rounds=2)
    first = await ask(session, "check this", [contract_pdf(tmp_path), cash_ledger(tmp_path)])
    contract = doc_id(first, "acme_contract.pdf")

    turn = await ask(session, "is it safe to sign the Acme contract?")
    assert turn.speakers == ["advocate", "skeptic", "advocate", "skeptic", "judge"]
    weighed = {a["document"] for s, n, a in turn.calls if n == "get_findings"}
    assert weighed == {contract[:8]}
    assert set(turn.tools_of("judge")) == {"get_findings"}
    assert "meets" in turn.message("advocate")
    assert "Bank Melli" in turn.message("skeptic")
    ruling = turn.message("judge")
    assert "do not sign" in ruling
    assert "(acme_contract.pdf, p. 2)" in ruling and "What would change the ruling" in ruling
    assert turn.stop_reason == "judge closed the workflow"


async def test_rules_are_added_listed_and_applied(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    added = await ask(session, "add a rule that flags crypto custody")
    assert added.speakers == ["compliance"]
    [(_, _, arguments)] = [c for c in added.calls if c[1] == "add_rule"]
    assert arguments["title"] == "Flag crypto custody"
    assert "waits for your confirmation" in added.message("compliance")
    confirmed = await answer_pending(session)
    assert confirmed.speakers == ["compliance"]
    assert "Done: rule user.flag_crypto_custody added" in confirmed.message("compliance")

    listed = await ask(session, "list the rules")
    assert "user.flag_crypto_custody" in listed.message("compliance")

    memo = tmp_path / "custody.txt"
    memo.write_text("Globex holds our crypto custody keys offshore.\n", encoding="utf-8")
    checked = await ask(session, "check this", [memo])
    assert "user.flag_crypto_custody" in checked.message("compliance")

    disabled = await ask(session, "disable the crypto custody rule")
    assert ("compliance", "set_rule_enabled") in [(s, n) for s, n, _ in disabled.calls]
    assert "waits for your confirmation" in disabled.message("compliance")
    declined = await answer_pending(session, confirm=False)
    assert "was declined by" in declined.message("compliance")
    rulebook = await session.deps.rulebooks.current(owner=owner)
    assert rulebook.rule("user.flag_crypto_custody").enabled is True  # type: ignore[union-attr]


async def test_findings_on_a_page_are_read_back_with_citations(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    await ask(session, "check this", [contract_pdf(tmp_path)])

    turn = await ask(session, "what did you find on page 2")
    assert turn.speakers == ["ingestion", "reporter"]
    [(_, _, arguments)] = [c for c in turn.calls if c[1] == "get_findings"]
    assert arguments["page"] == 2
    answer = turn.message("reporter")
    assert "1 finding on page 2" in answer and "(acme_contract.pdf, p. 2)" in answer


async def test_a_greeting_is_answered_with_what_the_team_can_do(
    knowledge: KnowledgeBase, owner: str
) -> None:
    session = await open_session(knowledge, owner)
    turn = await ask(session, "hello")
    assert turn.speakers == ["reporter"]
    assert turn.routing[0].decided_by == "workflow"  # offline: the plan is the decision
    assert "check this" in turn.message("reporter")


async def test_a_request_about_an_empty_library_says_what_is_missing(
    knowledge: KnowledgeBase, owner: str
) -> None:
    session = await open_session(knowledge, owner)
    turn = await ask(session, "check the Acme contract")
    assert turn.speakers == ["ingestion", "reporter"]
    assert "library is empty" in turn.message("reporter")


async def test_the_analyst_asks_the_team_to_dismiss_a_finding_with_a_reason(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    await ask(session, "check this", [contract_pdf(tmp_path), cash_ledger(tmp_path)])
    turn = await ask(session, "dismiss the second finding, it is a policy definition")
    assert turn.speakers == ["compliance"]
    [(_, _, arguments)] = [c for c in turn.calls if c[1] == "review_finding"]
    assert arguments["finding"] == "2" and arguments["decision"] == "dismiss"
    assert arguments["reason"] == "policy definition"
    said = turn.message("compliance")
    assert f"dismissed by {owner} (policy definition)" in said and "after review" in said
    reviews = await document_reviews(knowledge, owner=owner, document_ids=arguments["documents"])
    assert sum(len(r.findings) for r in reviews) >= 2
    second = next(i for r in reviews for i in r.findings if i.number == 2)
    assert second.dismissed and second.decision is not None
    assert second.decision.channel == "team" and second.decision.decided_by == owner


async def test_deleting_a_document_waits_for_the_analyst_then_runs(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    await ask(session, "check this", [cash_ledger(tmp_path)])
    asked = await ask(session, "delete the cash ledger file")
    assert asked.speakers == ["ingestion"]
    assert "waits for your confirmation" in asked.message("ingestion")
    assert [d.filename for d in await knowledge.list_documents(owner=owner)] == ["cash_ledger.csv"]
    done = await answer_pending(session)
    assert "Done: document cash_ledger.csv" in done.message("ingestion")
    assert await knowledge.list_documents(owner=owner) == []
