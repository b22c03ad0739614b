"""Tolerating OpenAI-compatible servers that are not quite OpenAI (DESIGN.md §3).

llama-cpp-python's server (`chatml-function-calling`) adds the legacy `function_call`
field beside `tool_calls`, which autogen-ext's client rejects, and refuses an assistant
message whose content is null, which autogen-ext sends with tool calls. This transport
sits under the openai client and fixes both on the wire. What it cannot fix: such a
server cannot stream tool calls, so `BrainConfig(stream_tool_calls=False)` makes the
team ask for tool-calling replies without streaming (see agents/metering.py).
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx2

logger = logging.getLogger(__name__)


def _fix_request_body(body: dict[str, Any]) -> dict[str, Any]:
    for message in body.get("messages", []):
        if message.get("role") == "assistant" and message.get("content") is None:
            message["content"] = ""
    return body


def _fix_message(message: dict[str, Any]) -> None:
    legacy = message.pop("function_call", None)
    if legacy and not message.get("tool_calls"):
        message["tool_calls"] = [
            {
                "id": f"call_{uuid.uuid4().hex[:16]}",
                "type": "function",
                "function": {
                    "name": legacy.get("name", ""),
                    "arguments": legacy.get("arguments", "{}"),
                },
            }
        ]


def _fix_response_body(body: dict[str, Any]) -> dict[str, Any]:
    for choice in body.get("choices", []) or []:
        message = choice.get("message")
        if isinstance(message, dict):
            _fix_message(message)
            if message.get("tool_calls") and choice.get("finish_reason") == "function_call":
                choice["finish_reason"] = "tool_calls"
    return body


class CompatTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport; rewrites chat-completion requests and JSON replies as above."""

    def __init__(self, inner: httpx2.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not request.url.path.endswith("/chat/completions"):
            return await self._inner.handle_async_request(request)
        body = await request.aread()
        try:
            fixed = json.dumps(_fix_request_body(json.loads(body))).encode()
        except ValueError:
            fixed = body
        headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
        rewritten = httpx2.Request(
            request.method, request.url, headers=headers, content=fixed,
            extensions=request.extensions,
        )
        response = await self._inner.handle_async_request(rewritten)
        if "application/json" not in response.headers.get("content-type", ""):
            return response
        raw = await response.aread()
        try:
            data = _fix_response_body(json.loads(raw))
        except ValueError:
            return httpx2.Response(response.status_code, headers=response.headers, content=raw)
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        return httpx2.Response(
            response.status_code,
            headers=headers,
            content=json.dumps(data).encode(),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


def compat_http_client(timeout_s: float) -> httpx2.AsyncClient:
    """The HTTP client handed to the openai SDK: timeouts plus the compatibility fixes."""
    return httpx2.AsyncClient(transport=CompatTransport(), timeout=timeout_s)
