"""Fixtures of the chat tests: generated files an analyst would attach, and a local analyst's
connection to the module's own `server` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from chat_harness import ChatClient, Server
from chat_samples import LEDGER, write_pdf


@pytest.fixture
def filing_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "brightline_letter_q2.pdf")


@pytest.fixture
def cash_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "branch_cash_ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


@pytest.fixture
async def client(server: Server) -> AsyncIterator[ChatClient]:
    """The local analyst (no login in local mode), connected over socket.io."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        chat = ChatClient(server, http)
        await chat.login_local()
        await chat.connect()
        yield chat
        await chat.close()
