"""The manager never loops on one speaker, whatever the model selector answers
(autogen issue #7471: a model that fails to pick makes SelectorGroupChat fall back to the
previous speaker, forever)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence

import pytest
from agent_turns import ask
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, TextMessage
from selector_models import SelectorThatFails, SelectorThatRepeats

from agents.config import BrainConfig
from agents.intents import Request
from agents.roles import ROLE_NAMES, SELECTOR, tools_for_role
from agents.routing import Decision, Router, current_run
from agents.session import TeamSession
from agents.team import build_team
from knowledge.library import KnowledgeBase
from tools.agent_tools import SqlRulebooks, ToolDeps

IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")


class EverythingOpen(Router):
    """Sends every turn to the model until the reporter has spoken."""

    def plan(self, request: Request) -> list[str]:
        return ["<model>"] * 50 + ["reporter"]

    def decide(self, thread: Sequence[BaseAgentEvent | BaseChatMessage]) -> Decision:
        run = current_run(thread)
        workflow = run.request.workflow if run else "help"
        return Decision(None, "open", workflow)


def no_repeats(speakers: list[str]) -> bool:
    return all(a != b for a, b in itertools.pairwise(speakers))


@IN_MODULE_LOOP
async def test_a_selector_that_never_names_anyone_still_ends_every_run(
    knowledge: KnowledgeBase, owner: str
) -> None:
    model = SelectorThatFails()  # a language model's brain: it is asked every turn
    session = await TeamSession.open(
        thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge,
        brain=BrainConfig(provider="openai", model="scripted", max_messages=30),
        model_client=model,
    )
    for message in ("hello", "what can you do?", "thanks"):
        turn = await ask(session, message)
        assert turn.stop_reason == "reporter closed the workflow"
        assert turn.speakers[-1] == "reporter" and len(turn.speakers) <= 2
        assert no_repeats(turn.speakers)
    assert model.selector_calls >= 3


@IN_MODULE_LOOP
async def test_a_selector_that_keeps_naming_the_last_speaker_cannot_livelock(
    knowledge: KnowledgeBase, owner: str
) -> None:
    model = SelectorThatRepeats()
    deps = ToolDeps(
        knowledge=knowledge, owner=owner, reports_dir=knowledge.config.data_dir / "r",
        rulebooks=SqlRulebooks(knowledge.database.sessions),
    )
    team = build_team(
        clients={name: model.for_role(name) for name in (*ROLE_NAMES, SELECTOR)},
        tools={role: tools_for_role(role, deps) for role in ROLE_NAMES},
        max_messages=30,
        router=EverythingOpen(),
        stream=False,
    )
    result = await team.chat.run(task=TextMessage(content="hello there", source="user"))
    speakers = [m.source for m in result.messages if isinstance(m, BaseChatMessage)][1:]
    assert no_repeats(speakers), speakers
    assert speakers[-1] == "reporter"
    assert result.stop_reason == "reporter closed the workflow"
    assert len(speakers) <= 3
    assert model.selector_calls >= 2  # the model was asked, failed, and the guard stepped in


def test_the_router_hands_a_repeated_speaker_to_the_closer() -> None:
    router = Router()
    thread = [
        TextMessage(content="check this", source="user"),
        TextMessage(content="a", source="compliance"),
        TextMessage(content="b", source="compliance"),
    ]
    decision = router.decide(thread)
    assert decision.speaker == "reporter" and "twice" in decision.reason
