"""The manager explains every turn: one reason per speaker, announced before the turn,
the workflow's own reasons for known workflows and the model's choice for open ones."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from agent_documents import contract_pdf
from agent_turns import Turn, ask
from autogen_agentchat.messages import BaseChatMessage, SelectSpeakerEvent, TextMessage
from selector_models import SelectorThatFails

from agents.config import BrainConfig
from agents.events import RoutingEvent
from agents.routing import Decision, Router
from agents.session import TeamSession
from knowledge.library import KnowledgeBase

IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")


class SelectorThatPicksRisk(SelectorThatFails):
    """A selector model with an opinion: the risk agent should take open requests."""

    def answer(self, prompt: str) -> str:
        return "risk: the analyst should hear the risk first"


async def open_session(
    knowledge: KnowledgeBase, owner: str, model: SelectorThatFails | None = None
) -> TeamSession:
    """A session on the offline engine, or, with `model`, on a language-model brain whose
    selector is `model` (the agents are still played offline)."""
    brain = BrainConfig(max_messages=30)
    if model is not None:
        brain = BrainConfig(provider="openai", model="scripted", max_messages=30)
    return await TeamSession.open(
        thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge, brain=brain,
        model_client=model,
    )


def announced_turns(turn: Turn) -> list[tuple[RoutingEvent, SelectSpeakerEvent]]:
    """Each AutoGen speaker selection with the event just before it."""
    pairs = []
    for before, event in zip(turn.events, turn.events[1:], strict=False):
        if isinstance(event, SelectSpeakerEvent):
            assert isinstance(before, RoutingEvent), f"{event} was not announced: {before}"
            pairs.append((before, event))
    return pairs


@IN_MODULE_LOOP
async def test_every_turn_of_an_analysis_is_announced_with_its_reason_before_it_starts(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_session(knowledge, owner)
    turn = await ask(session, "check this", [contract_pdf(tmp_path)])
    pairs = announced_turns(turn)
    assert [routed.speaker for routed, _ in pairs] == turn.speakers
    assert turn.speakers == ["ingestion", "compliance", "risk", "reporter"]
    assert all(list(selected.content) == [routed.speaker] for routed, selected in pairs)
    assert [routed.reason for routed, _ in pairs] == [
        "1 file attached: take them in first",
        "documents are in: check them against the rulebook",
        "files were checked: score the risk",
        "risk is scored: write the report",
    ]
    assert {routed.decided_by for routed, _ in pairs} == {"workflow"}


@IN_MODULE_LOOP
async def test_the_model_may_change_the_plan_and_the_chat_says_why(
    knowledge: KnowledgeBase, owner: str
) -> None:
    model = SelectorThatPicksRisk()
    turn = await ask(await open_session(knowledge, owner, model), "hello")
    assert turn.speakers == ["risk", "reporter"]
    first, closing = turn.routing
    assert (first.speaker, first.decided_by) == ("risk", "model")
    assert first.reason == (
        "the model chose risk (plan: reporter): the analyst should hear the risk first"
    )
    assert (closing.speaker, closing.decided_by) == ("reporter", "workflow")
    assert "plan for this request: next reporter (say what the team can do)" in model.prompts[0]
    assert model.selector_calls == 3  # turn 1; turn 2 named risk again (just spoke), twice


@IN_MODULE_LOOP
async def test_a_model_that_names_nobody_leaves_the_plan_standing(
    knowledge: KnowledgeBase, owner: str
) -> None:
    model = SelectorThatFails()
    turn = await ask(await open_session(knowledge, owner, model), "hello")
    assert turn.speakers == ["reporter"]
    (routed,) = turn.routing
    assert (routed.reason, routed.decided_by) == ("say what the team can do", "workflow")
    assert model.selector_calls == 2  # asked, told to answer with one name, asked again


def test_the_router_is_pure_the_same_thread_gets_the_same_decision() -> None:
    router = Router()
    thread: list[BaseChatMessage] = [
        TextMessage(content="check this", source="user"),
        TextMessage(content="ingested", source="ingestion"),
    ]
    first = router.decide(thread)
    router.decide([TextMessage(content="is it safe to sign?", source="user")])
    assert router.decide(thread) == first
    assert first == Decision(
        "compliance", "documents are in: check them against the rulebook", "analyse"
    )


def test_settling_a_repeat_gives_the_turn_to_the_closer() -> None:
    router = Router()
    thread = [
        TextMessage(content="hello", source="user"),
        TextMessage(content="hi", source="risk"),
    ]
    settled = router.settle(thread, Decision("risk", "the model chose risk", "help", "model"))
    assert settled == Decision("reporter", "risk just spoke: reporter closes", "help")
