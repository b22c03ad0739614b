"""Opening the agent team for a thread, with the brain and preferences the analyst chose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from chat.runtime import ChatRuntime
from chat.settings_panel import TeamPreferences
from chat.uploads import AcceptedFile


class TeamAdapter:
    """agents.TeamSession as the conversation uses it (attachments as our own records)."""

    def __init__(self, session: Any, attachment_type: Any) -> None:
        self.session = session
        self.attachment_type = attachment_type

    def run_stream(self, message: str, *, attachments: list[AcceptedFile]) -> AsyncIterator[Any]:
        files = [self.attachment_type(path=a.path, filename=a.filename) for a in attachments]
        return self.session.run_stream(message, attachments=files)  # type: ignore[no-any-return]

    async def stop(self) -> None:
        await self.session.stop()


async def open_team(
    runtime: ChatRuntime, *, thread_id: str, owner: str, preferences: TeamPreferences
) -> TeamAdapter:
    from agents import Attachment, BrainConfig, TeamSession

    brain = preferences.brain
    session = await TeamSession.open(
        thread_id=thread_id,
        owner=owner,
        knowledge=runtime.knowledge,
        brain=BrainConfig(
            provider=brain.kind, model=brain.model, base_url=brain.base_url, api_key=brain.api_key
        ),
        debate_rounds=preferences.debate_rounds,
        rulebook=preferences.rulebook,
    )
    return TeamAdapter(session, Attachment)
