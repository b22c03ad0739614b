"""Frozen configuration of the team, built from the settings at the edge (CLI, chat app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

NO_MODEL_NOTICE = (
    "No language model is configured: the offline engine answers from your documents with "
    "fixed rules (extractive answers, templated messages). Set QUORUM_LLM_PROVIDER=openai "
    "with a key or a local server URL to use a model."
)


@dataclass(frozen=True)
class BrainConfig:
    """Which brain plays the agents: the offline engine or an OpenAI-compatible model.

    `base_url` points at any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio);
    `api_key` is never shown in a repr. `stream_tool_calls=False` is for servers that
    cannot stream tool calls (llama-cpp-python): requests with tools are then not streamed.
    """

    provider: Literal["offline", "openai"] = "offline"
    model: str = "offline"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    debate_rounds: int = 2
    max_messages: int = 40
    timeout_s: float = 300
    stream_tool_calls: bool = True
    max_retries: int = 2

    @property
    def is_offline(self) -> bool:
        return self.provider == "offline"

    @property
    def notice(self) -> str | None:
        """What the UI and the CLI must say about the brain (None when a model is in use)."""
        return NO_MODEL_NOTICE if self.is_offline else None


@dataclass(frozen=True)
class Attachment:
    """A file the analyst attached to a message: where it is now and the name they gave it."""

    path: Path
    filename: str
