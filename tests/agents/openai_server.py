"""A scripted OpenAI-compatible server on 127.0.0.1, for driving the team with the real
`openai` client and autogen-ext's OpenAIChatCompletionClient without any network.

It plays each agent by a small script: the role's tool call first, then a short text that
names the documents the way the prompts ask (`**file** (doc 1a2b3c4d)`). Switches make it
misbehave like real servers: 429s before answering, malformed tool arguments, and
llama-cpp-python's quirks (legacy `function_call`, no null content, no tool streaming).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_ROLE = re.compile(r"You are the (\w+)")
_DOC = re.compile(r"\(doc ([0-9a-f]{8})\)")
_ATTACHED = re.compile(r"^- (.+)$", re.MULTILINE)
_PLAN = re.compile(r"plan for this request: next (\w+)")


@dataclass
class Reply:
    text: str | None = None
    calls: list[tuple[str, str]] = field(default_factory=list)  # (name, raw JSON arguments)


def _role(body: dict[str, Any]) -> str:
    for message in body["messages"]:
        if message["role"] == "system":
            match = _ROLE.search(message.get("content") or "")
            if match:
                return match.group(1)
    return "selector"


def _text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("content") or "") for m in messages)


def _turn(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages after the last user message: this agent's tool calls and results so far."""
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    return messages[last_user + 1 :]


class ScriptedServer:
    def __init__(
        self,
        *,
        fail_first: int = 0,
        fail_status: int = 429,
        malformed_first_call: bool = False,
        llama_cpp: bool = False,
        selector_overrides: dict[str, str] | None = None,
        second_reader: Callable[[str], str] | None = None,
        reporter_text: str | None = None,
    ) -> None:
        """`selector_overrides`: as the selector, answer with another speaker than the
        plan's (plan's name -> the model's choice); otherwise the selector keeps the plan."""
        self.selector_overrides = selector_overrides or {}
        self.reporter_text = reporter_text  # what the reporter answers, when scripted
        self.fail_left = fail_first
        self.fail_status = fail_status
        self.malformed_left = 1 if malformed_first_call else 0
        self.llama_cpp = llama_cpp
        # The compliance checks' second reader: prompt -> JSON answer (default: nothing).
        self.second_reader = second_reader or (lambda _prompt: '{"findings": [], "disputes": []}')
        self.second_reader_prompts: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> ScriptedServer:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    # -- the script --------------------------------------------------------------------
    def script(self, body: dict[str, Any]) -> Reply:
        role, messages = _role(body), body["messages"]
        if role == "selector":
            return Reply(text=self._selection(_text_of(messages)))
        if role == "second":
            prompt = str(messages[-1].get("content") or "")
            self.second_reader_prompts.append(prompt)
            return Reply(text=self.second_reader(prompt))
        turn = _turn(messages)
        results = [m for m in turn if m["role"] == "tool"]
        if not body.get("tools") or (results and not results[-1]["content"].startswith("Error")):
            return Reply(text=self._summary(role, messages))
        if self.malformed_left:
            self.malformed_left -= 1
            return Reply(calls=[("search_knowledge", '{"query": ')])
        return Reply(calls=self._calls(role, messages))

    def _selection(self, prompt: str) -> str:
        planned = _PLAN.search(prompt)
        if planned is None:
            return "reporter"
        name = planned.group(1)
        if name in self.selector_overrides:
            return f"{self.selector_overrides[name]}: the analyst only asked for the findings"
        return f"{name}: the plan fits the request"

    def _calls(self, role: str, messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
        task = next(m["content"] for m in reversed(messages) if m["role"] == "user"
                    and m.get("name") in (None, "user"))
        ids = list(dict.fromkeys(_DOC.findall(_text_of(messages))))
        if role == "ingestion":
            attached = task.split("Attached files:")[-1] if "Attached" in task else ""
            files = _ATTACHED.findall(attached)
            if files:
                return [("ingest_file", json.dumps({"filename": f})) for f in files]
            return [("search_knowledge", json.dumps({"query": "Iran"}))]
        tool = {"compliance": "check_compliance", "risk": "assess_risk"}.get(role)
        if tool:
            return [(tool, json.dumps({"document": i})) for i in ids]
        if role == "reporter" and ids and "check" in task:
            return [("build_report", json.dumps({"documents": ids}))]
        return [("search_knowledge", json.dumps({"query": "Iran"}))]

    def _summary(self, role: str, messages: list[dict[str, Any]]) -> str:
        if role == "reporter" and self.reporter_text is not None:
            return self.reporter_text
        found = "\n".join(m["content"] for m in _turn(messages) if m["role"] == "tool")
        docs = re.findall(r'"document_id": "([0-9a-f]{8})[0-9a-f]*", "filename": "([^"]+)"', found)
        named = ", ".join(f"**{name}** (doc {i})" for i, name in dict.fromkeys(docs))
        pages = sorted(set(re.findall(r'"page": (\d+)', found)))
        where = f" p. {', '.join(pages)}" if pages else ""
        return f"{role} done: {named or 'no document'}{where}."

    # -- HTTP ----------------------------------------------------------------------------
    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.bodies.append(body)
        if self.fail_left:
            self.fail_left -= 1
            return self._status(self.fail_status, "Rate limit reached; slow down.")
        if self.llama_cpp and any(
            m["role"] == "assistant" and m.get("content") is None for m in body["messages"]
        ):
            return self._status(400, "assistant message content must be a string")
        if self.llama_cpp and body.get("stream") and body.get("tools"):
            return self._status(400, "streaming tool calls is not supported")
        reply = self.script(body)
        self.statuses.append(200)
        if body.get("stream"):
            return await self._stream(request, body, reply)
        return web.json_response(self._completion(body, reply))

    def _status(self, status: int, message: str) -> web.Response:
        self.statuses.append(status)
        return web.json_response(
            {"error": {"message": message, "type": "error", "code": status}},
            status=status,
            headers={"retry-after-ms": "10"},
        )

    def _message(self, reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.calls:
            message["tool_calls"] = [
                {"id": f"call_{n}_{time.monotonic_ns()}", "type": "function",
                 "function": {"name": name, "arguments": arguments}}
                for n, (name, arguments) in enumerate(reply.calls)
            ]
            if self.llama_cpp:
                name, arguments = reply.calls[0]
                message["function_call"] = {"name": name, "arguments": arguments}
        return message

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [{
                "index": 0,
                "message": self._message(reply),
                "finish_reason": "tool_calls" if reply.calls else "stop",
            }],
            "usage": {"prompt_tokens": 50, "completion_tokens": 7, "total_tokens": 57},
        }

    async def _stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)

        async def send(choices: list[dict[str, Any]], **extra: Any) -> None:
            chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
                     "created": int(time.time()), "model": body["model"], "choices": choices,
                     **extra}
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())

        if reply.calls:
            calls = self._message(reply)["tool_calls"]
            await send([{"index": 0, "delta": {"role": "assistant", "tool_calls": [
                {"index": n, **call} for n, call in enumerate(calls)]}, "finish_reason": None}])
            finish = "tool_calls"
        else:
            for word in (reply.text or "").split(" "):
                await send([{"index": 0, "delta": {"content": word + " "},
                             "finish_reason": None}])
            finish = "stop"
        await send([{"index": 0, "delta": {}, "finish_reason": finish}])
        if (body.get("stream_options") or {}).get("include_usage"):
            await send([], usage={"prompt_tokens": 50, "completion_tokens": 7,
                                  "total_tokens": 57})
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response
