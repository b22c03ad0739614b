"""Quorum's agent team: seven AutoGen agents, the manager that routes them, two brains.

The API the chat UI and the CLI use (stable):

    brain = BrainConfig(provider="offline")            # or "openai" + model/base_url/api_key
    session = await TeamSession.open(thread_id="t1", owner="local", knowledge=kb, brain=brain)
    async for event in session.run_stream("check this", attachments=[Attachment(path, name)]):
        ...   # AutoGen events and messages, RoutingEvent, NoticeEvent, ArtifactEvent,
              # and finally a TaskResult (stop_reason says why the run ended)
    session.stop()            # ends the run after the current agent's turn (may be awaited)
    session.last_artifacts    # report files and chart data of the last run
    session.notice            # "No language model is configured: ..." when offline

`TeamSession.open(*, thread_id, owner, knowledge, brain, reports_dir=None, rulebooks=None,
rulebook=None, debate_rounds=None)` restores the thread's saved state. Events:
- `RoutingEvent(speaker, reason, workflow, decided_by)`: "→ risk: files were checked";
- `NoticeEvent(content, level)`: the brain in use, or why a run failed (readable, one line);
- `ArtifactEvent(kind="report"|"chart", name, path, mime, data)`: what the run produced.

The session and the team load on first use, so `from agents import BrainConfig` (the
settings do it) does not pull in the knowledge base.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from agents.config import NO_MODEL_NOTICE, Attachment, BrainConfig
from agents.errors import ModelEndpointError, TeamError

if TYPE_CHECKING:
    from agents.events import ArtifactEvent, NoticeEvent, RoutingEvent
    from agents.session import TeamSession
    from agents.transcript import transcript_entries

_LAZY = {
    "ArtifactEvent": "agents.events",
    "NoticeEvent": "agents.events",
    "RoutingEvent": "agents.events",
    "TeamSession": "agents.session",
    "transcript_entries": "agents.transcript",
}

__all__ = [
    "NO_MODEL_NOTICE",
    "ArtifactEvent",
    "Attachment",
    "BrainConfig",
    "ModelEndpointError",
    "NoticeEvent",
    "RoutingEvent",
    "TeamError",
    "TeamSession",
    "transcript_entries",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'agents' has no attribute {name!r}")
