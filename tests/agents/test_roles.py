"""The roles are one list, and the offline engine plays the role it was given, whatever
its prompt says."""

from __future__ import annotations

import pytest
from autogen_core.models import LLMMessage, SystemMessage, UserMessage

from agents.offline import OfflineChatClient
from agents.offline.client import PLAYBOOKS
from agents.roles import ROLE_BUILDERS, ROLE_NAMES, ROLE_TOOLS


def test_every_role_has_a_builder_tools_and_an_offline_playbook() -> None:
    assert list(ROLE_BUILDERS) == list(ROLE_NAMES)
    assert set(ROLE_TOOLS) == set(PLAYBOOKS) == set(ROLE_NAMES)


async def test_the_offline_engine_plays_the_role_it_was_bound_to_not_the_one_its_prompt_names(
) -> None:
    engine = OfflineChatClient()
    messages: list[LLMMessage] = [
        SystemMessage(content="You are the judge of a debate."),
        UserMessage(content="add a rule that flags crypto custody", source="user"),
    ]
    reply = await engine.for_role("compliance").create(messages)
    assert "rule" in str(reply.content).lower()
    assert "ruling" not in str(reply.content).lower()


async def test_an_engine_without_a_role_or_with_an_unknown_one_says_so() -> None:
    with pytest.raises(ValueError, match="no role 'auditor'"):
        OfflineChatClient().for_role("auditor")
    with pytest.raises(ValueError, match="plays a role"):
        await OfflineChatClient().create([UserMessage(content="hello", source="user")])
