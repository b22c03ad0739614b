"""Opening the agent team for a thread, with the brain and preferences the analyst chose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from agents import Attachment, BrainConfig, TeamSession
from chat.runtime import ChatRuntime
from chat.settings_panel import BrainChoice, TeamPreferences
from chat.uploads import AcceptedFile


class TeamAdapter:
    """agents.TeamSession as the conversation drives it (attachments from our uploads)."""

    def __init__(self, session: TeamSession) -> None:
        self.session = session

    def run_stream(self, message: str, *, attachments: list[AcceptedFile]) -> AsyncIterator[Any]:
        files = [Attachment(path=a.path, filename=a.filename) for a in attachments]
        return self.session.run_stream(message, attachments=files)

    async def needs_index(self, message: str, *, attachments: list[AcceptedFile]) -> bool:
        files = [Attachment(path=a.path, filename=a.filename) for a in attachments]
        return await self.session.needs_index(message, attachments=files)

    async def stop(self) -> None:
        await self.session.stop()

    @property
    def running(self) -> bool:
        return bool(self.session.running)

    async def close(self) -> None:
        await self.session.close()


def brain_config(base: BrainConfig, choice: BrainChoice) -> BrainConfig:
    """The settings' brain with the analyst's choice of endpoint, model and key."""
    if choice.kind == "offline":
        return replace(base, provider="offline", model="offline", base_url=None, api_key=None)
    return replace(
        base,
        provider="openai",
        model=choice.model,
        base_url=choice.base_url,
        api_key=choice.api_key,
    )


async def open_team(
    runtime: ChatRuntime, *, thread_id: str, owner: str, preferences: TeamPreferences
) -> TeamAdapter:
    session = await TeamSession.open(
        thread_id=thread_id,
        owner=owner,
        knowledge=runtime.knowledge,
        brain=brain_config(runtime.settings.brain_config(), preferences.brain),
        rulebook=preferences.rulebook,
        debate_rounds=preferences.debate_rounds,
        role=runtime.settings.role_of(owner),
    )
    return TeamAdapter(session)
