"""The brain behind the agents: the offline engine, or an OpenAI-compatible model.

Settings choose; the agents, tools and routing are the same either way. Non-OpenAI model
names (a local Ollama / vLLM / llama.cpp / LM Studio model) get a `model_info` that says
they call functions and are of an unknown family, which AutoGen needs to accept them.
"""

from __future__ import annotations

from typing import Any

from autogen_core.models import ChatCompletionClient, ModelInfo
from autogen_ext.models.openai import OpenAIChatCompletionClient
from autogen_ext.models.openai.config import OpenAIClientConfiguration

from agents.compat import compat_http_client
from agents.config import BrainConfig
from agents.in_play import DocumentsInPlay
from agents.intent_model import IntentClassifier
from agents.metering import Endpoint
from agents.offline import OfflineChatClient

LOCAL_MODEL_INFO = ModelInfo(
    vision=False,
    function_calling=True,
    json_output=True,
    family="unknown",
    structured_output=False,
    multiple_system_messages=False,
)
NO_KEY = "not-needed"  # local servers ignore the key, but the SDK wants one


def endpoint_of(brain: BrainConfig) -> Endpoint:
    model = "quorum-offline" if brain.is_offline else brain.model
    return Endpoint(
        provider=brain.provider,
        model=model,
        base_url=brain.base_url,
        stream_tool_calls=brain.stream_tool_calls,
    )


def build_model_client(
    brain: BrainConfig, *, classifier: IntentClassifier | None = None
) -> ChatCompletionClient:
    """The shared model client of a team (each agent wraps it in its own MeteredClient);
    the offline engine reads requests with `classifier` (the session's)."""
    if brain.is_offline:
        return OfflineChatClient(classifier=classifier)
    options: OpenAIClientConfiguration = {
        "model": brain.model,
        "api_key": brain.api_key or NO_KEY,
        "max_retries": brain.max_retries,
        "timeout": brain.timeout_s,
    }
    if brain.base_url:
        options["base_url"] = brain.base_url
    # Passed on to openai.AsyncOpenAI, which takes it; autogen's configuration type omits it.
    transport: dict[str, Any] = {"http_client": compat_http_client(brain.timeout_s)}
    try:
        return OpenAIChatCompletionClient(**options, **transport)
    except ValueError:
        # Not a model autogen-ext knows (a local model name): describe it ourselves.
        options["model_info"] = LOCAL_MODEL_INFO
        return OpenAIChatCompletionClient(**options, **transport)


def for_role(
    client: ChatCompletionClient, role: str, in_play: DocumentsInPlay
) -> ChatCompletionClient:
    """The client one member of the team is given: the offline engine bound to the role it
    plays and to the team's documents in play; any other client (a language model reads
    its role in its prompt, the documents in the thread) as it is."""
    if isinstance(client, OfflineChatClient):
        return client.for_role(role, in_play=in_play)
    return client
