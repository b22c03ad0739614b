"""A real Quorum chat server for tests, and a socket.io client that talks to it like the UI.

The server is `quorum serve` in a subprocess on a free local port with its own data dir.
The client logs in over HTTP (header auth locally, the login form with passwords),
uploads files through `/project/file`, and speaks Chainlit's socket.io protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import socketio

REPO_ROOT = Path(__file__).resolve().parents[2]
QUORUM = Path(sys.executable).parent / "quorum"
START_TIMEOUT_S = 120
SERVER_EVENTS = (
    "new_message",
    "update_message",
    "delete_message",
    "stream_start",
    "stream_token",
    "element",
    "task_start",
    "task_end",
    "action",
    "remove_action",
    "resume_thread",
    "resume_thread_error",
    "chat_settings",
    "toast",
    "first_interaction",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    base_url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The test process's environment without any developer Quorum or model settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QUORUM_", "CHAINLIT_", "OPENAI_", "LITERAL_")) and k != "DATABASE_URL"
    }
    env.update(extra)
    return env


@contextlib.contextmanager
def running_server(data_dir: Path, **settings: str) -> Iterator[Server]:
    """`quorum serve` on a free port until the block ends; its log is in the data dir."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "server.log"
    env = clean_env({f"QUORUM_{k.upper()}": v for k, v in settings.items()})
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(QUORUM), "--data-dir", str(data_dir), "serve", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, log, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: Server) -> None:
    import urllib.request

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base_url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not start in {START_TIMEOUT_S}s:\n{server.log_tail()}")


@dataclass
class ChatClient:
    """One browser tab: a login cookie, a Chainlit session, the events it received."""

    server: Server
    http: aiohttp.ClientSession
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    thread_id: str | None = None
    events: list[tuple[str, Any]] = field(default_factory=list)
    sio: socketio.AsyncClient = field(
        default_factory=lambda: socketio.AsyncClient(reconnection=False)
    )

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.key}={c.value}" for c in self.http.cookie_jar)

    async def login_local(self) -> None:
        async with self.http.post(self.server.base_url + "/auth/header", json={}) as response:
            assert response.status == 200, await response.text()

    async def login_password(self, username: str, password: str) -> int:
        form = aiohttp.FormData({"username": username, "password": password})
        async with self.http.post(self.server.base_url + "/login", data=form) as response:
            return response.status

    async def connect(self, *, resume_thread: str | None = None) -> None:
        for name in SERVER_EVENTS:
            self.sio.on(name, self._recorder(name))
        self.sio.on("*", self._recorder("other"))
        auth = {
            "sessionId": self.session_id,
            "clientType": "webapp",
            "threadId": resume_thread,
            "userEnv": "{}",
            "chatProfile": None,
        }
        await self.sio.connect(
            self.server.base_url,
            socketio_path="/ws/socket.io",
            headers={"Cookie": self.cookie_header},
            auth=auth,
            transports=["websocket"],
        )
        await self.sio.emit("connection_successful")
        await self.wait_for(_chat_ready, 60)

    def _recorder(self, name: str) -> Callable[..., Any]:
        async def record(*args: Any) -> None:
            if name == "first_interaction" and isinstance(args[0], dict):
                self.thread_id = args[0].get("thread_id") or self.thread_id
            self.events.append((name, args[-1] if args else None))

        return record

    async def upload(self, path: Path, mime: str) -> str:
        form = aiohttp.FormData()
        content = await asyncio.to_thread(path.read_bytes)
        form.add_field("file", content, filename=path.name, content_type=mime)
        url = f"{self.server.base_url}/project/file?session_id={self.session_id}"
        async with self.http.post(url, data=form) as response:
            assert response.status == 200, await response.text()
            return str((await response.json())["id"])

    async def send(self, text: str, files: list[tuple[Path, str]] = ()) -> str:  # type: ignore[assignment]
        references = [{"id": await self.upload(path, mime)} for path, mime in files]
        message_id = str(uuid.uuid4())
        payload = {
            "message": {
                "id": message_id,
                "threadId": self.thread_id or "",
                "output": text,
                "name": "user",
                "type": "user_message",
                "createdAt": datetime.now(UTC).isoformat(),
            },
            "fileReferences": references,
        }
        await self.sio.emit("client_message", payload)
        return message_id

    def actions(self, mark: int = 0, name: str | None = None) -> list[dict[str, Any]]:
        """The buttons the server attached to messages since event `mark` (and not removed)."""
        removed = {p.get("id") for n, p in self.events if n == "remove_action" and p}
        return [
            payload
            for event, payload in self.events[mark:]
            if event == "action"
            and payload.get("id") not in removed
            and (name is None or payload.get("name") == name)
        ]

    async def press(self, action: dict[str, Any]) -> None:
        """Click an action button, as the browser does (POST /project/action)."""
        url = self.server.base_url + "/project/action"
        body = {"action": action, "sessionId": self.session_id}
        async with self.http.post(url, json=body) as response:
            assert response.status == 200, await response.text()

    async def wait_for(
        self, check: Callable[[list[tuple[str, Any]]], bool], within_s: float
    ) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if check(self.events):
                return
            await asyncio.sleep(0.2)
        summary = json.dumps([(n, _brief(p)) for n, p in self.events[-30:]], indent=1)
        raise AssertionError(f"timed out; last events:\n{summary}\n{self.server.log_tail()}")

    async def element_text(self, element: dict[str, Any]) -> str:
        """The content of an element the UI would fetch (task lists, texts, charts)."""
        url = element.get("url") or (
            f"{self.server.base_url}/project/file/{element['chainlitKey']}"
            f"?session_id={self.session_id}"
        )
        if url.startswith("/"):
            url = self.server.base_url + url
        async with self.http.get(url) as response:
            assert response.status == 200, (url, response.status)
            return await response.text()

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


def _brief(payload: Any) -> Any:
    if isinstance(payload, dict):
        return {k: payload.get(k) for k in ("name", "type", "output") if k in payload}
    return payload


def messages(events: list[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest state of every step the UI was sent, by id, in first-seen order."""
    latest: dict[str, dict[str, Any]] = {}
    for name, payload in events:
        if name in ("new_message", "update_message", "stream_start") and isinstance(payload, dict):
            latest[payload["id"]] = {**latest.get(payload["id"], {}), **payload}
    return latest


def _chat_ready(events: list[tuple[str, Any]]) -> bool:
    """The chat start (or resume) has sent its settings panel and ended its task."""
    panels = [i for i, (name, _) in enumerate(events) if name == "chat_settings"]
    return bool(panels) and any(name == "task_end" for name, _ in events[panels[0] :])


def run_finished(mark: int) -> Callable[[list[tuple[str, Any]]], bool]:
    """A check: a message handled after event `mark` has started and ended."""

    def finished(events: list[tuple[str, Any]]) -> bool:
        starts = [i for i, (name, _) in enumerate(events) if name == "task_start" and i >= mark]
        return bool(starts) and any(name == "task_end" for name, _ in events[starts[0] :])

    return finished
