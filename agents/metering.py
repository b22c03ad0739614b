"""A model client wrapper per agent: records each call's tokens, cost and outcome, and
turns endpoint failures into one readable `ModelEndpointError`.

Each agent (and the selector) gets its own wrapper around the shared client, so every
usage record says who made the call. The session writes the records to SQL after a run.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from autogen_core import CancellationToken
from autogen_core.models import (
    ChatCompletionClient,
    CreateResult,
    LLMMessage,
    ModelCapabilities,
    ModelInfo,
    RequestUsage,
)
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from agents.errors import ModelEndpointError, describe_model_error
from agents.pricing import cost_usd


@dataclass(frozen=True)
class UsageRecord:
    agent: str
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    duration_ms: int
    streamed: bool
    ok: bool
    error: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class UsageLog:
    """The calls of the current run, and the first endpoint failure in words."""

    records: list[UsageRecord] = field(default_factory=list)
    last_error: str | None = None

    def drain(self) -> list[UsageRecord]:
        records, self.records = self.records, []
        return records


@dataclass(frozen=True)
class Endpoint:
    """What the usage records say about the brain: provider, model, where, and at what price."""

    provider: str
    model: str
    base_url: str | None = None
    stream_tool_calls: bool = True

    @property
    def local(self) -> bool:
        return self.provider == "offline" or bool(
            self.base_url and "api.openai.com" not in self.base_url
        )


class MeteredClient(ChatCompletionClient):
    """Delegates to `inner`; see the module docstring."""

    def __init__(
        self, inner: ChatCompletionClient, *, agent: str, endpoint: Endpoint, log: UsageLog
    ) -> None:
        self.inner = inner
        self.agent = agent
        self.endpoint = endpoint
        self.log = log

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = (),
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        started = time.monotonic()
        try:
            result = await self.inner.create(
                messages,
                tools=tools,
                tool_choice=tool_choice,
                json_output=json_output,
                extra_create_args=extra_create_args,
                cancellation_token=cancellation_token,
            )
        except Exception as error:
            raise self._failed(error, started, streamed=False) from error
        self._record(result.usage, started, streamed=False)
        return result

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = (),
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncGenerator[str | CreateResult, None]:
        if tools and not self.endpoint.stream_tool_calls and tool_choice != "none":
            result = await self.create(
                messages, tools=tools, tool_choice=tool_choice, json_output=json_output,
                extra_create_args=extra_create_args, cancellation_token=cancellation_token,
            )
            if isinstance(result.content, str) and result.content:
                yield result.content
            yield result
            return
        extra = dict(extra_create_args)
        if self.endpoint.provider == "openai":
            extra.setdefault("stream_options", {"include_usage": True})
        started = time.monotonic()
        try:
            async for chunk in self.inner.create_stream(
                messages, tools=tools, tool_choice=tool_choice, json_output=json_output,
                extra_create_args=extra, cancellation_token=cancellation_token,
            ):
                if isinstance(chunk, CreateResult):
                    self._record(chunk.usage, started, streamed=True)
                yield chunk
        except Exception as error:
            raise self._failed(error, started, streamed=True) from error

    def _record(self, usage: RequestUsage, started: float, *, streamed: bool) -> None:
        endpoint = self.endpoint
        self.log.records.append(
            UsageRecord(
                agent=self.agent,
                provider=endpoint.provider,
                model=endpoint.model,
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                cost_usd=cost_usd(
                    endpoint.model, usage.prompt_tokens, usage.completion_tokens,
                    local=endpoint.local,
                ),
                duration_ms=round((time.monotonic() - started) * 1000),
                streamed=streamed,
                ok=True,
            )
        )

    def _failed(self, error: Exception, started: float, *, streamed: bool) -> ModelEndpointError:
        if isinstance(error, ModelEndpointError):
            return error
        message = describe_model_error(
            error, model=self.endpoint.model, base_url=self.endpoint.base_url
        )
        self.log.last_error = self.log.last_error or message
        self.log.records.append(
            UsageRecord(
                agent=self.agent, provider=self.endpoint.provider, model=self.endpoint.model,
                prompt_tokens=0, completion_tokens=0, cost_usd=0.0,
                duration_ms=round((time.monotonic() - started) * 1000), streamed=streamed,
                ok=False, error=message,
            )
        )
        return ModelEndpointError(message)

    async def close(self) -> None:
        return None  # the shared inner client is closed by its owner

    def actual_usage(self) -> RequestUsage:
        return self.inner.actual_usage()

    def total_usage(self) -> RequestUsage:
        return self.inner.total_usage()

    def count_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = ()
    ) -> int:
        return self.inner.count_tokens(messages, tools=tools)

    def remaining_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = ()
    ) -> int:
        return self.inner.remaining_tokens(messages, tools=tools)

    @property
    def capabilities(self) -> ModelCapabilities:
        return self.inner.capabilities

    @property
    def model_info(self) -> ModelInfo:
        return self.inner.model_info
