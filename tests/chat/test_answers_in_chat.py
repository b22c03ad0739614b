"""A figure asked in the chat of a real filing's statement pages: the answer leads with
the statement row, its column headings and the value for the year asked, with its page.

Three pages of 3M's 2018 10-K (`../shared/data`: balance sheet, and the cash flow
statement on the third) are uploaded to the real chat server over socket.io, offline
engine; the questions are worded as an analyst types them, not as the benchmark does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_harness import ChatClient, Server, messages, run_finished, running_server
from pypdf import PdfReader, PdfWriter
from shared_data import shared_path

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

RUN_TIMEOUT_S = 400
FIRST_PAGE = 58  # 1-based, in the 10-K: balance sheet; page 60 is the cash flow statement


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("chat-answers") / "data") as running:
        yield running


def statement_pages(folder: Path) -> Path:
    """Pages 58-60 of the real filing, as their own PDF (pages 1-3)."""
    reader = PdfReader(shared_path("data", "financebench-dev", "3M_2018_10K.pdf"))
    writer = PdfWriter()
    for number in range(FIRST_PAGE, FIRST_PAGE + 3):
        writer.add_page(reader.pages[number - 1])
    path = folder / "3m-2018-statements.pdf"
    with path.open("wb") as sink:
        writer.write(sink)
    return path


async def reporter_says(client: ChatClient, text: str, files: list[tuple[Path, str]]) -> str:
    mark = len(client.events)
    await client.send(text, files=files)
    await client.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    said: list[dict[str, Any]] = [
        step for step in messages(client.events[mark:]).values()
        if step.get("type") == "assistant_message" and step.get("name") == "reporter"
    ]  # fmt: skip
    assert said, f"no reporter message after {text!r}"
    return str(said[-1]["output"]).replace("\\", "")


async def test_a_figure_asked_in_the_chat_is_answered_from_the_statement_row(
    client: ChatClient, tmp_path: Path
) -> None:
    pdf = statement_pages(tmp_path)
    capex = await reporter_says(
        client, "How much did 3M spend on capex in 2018?", [(pdf, "application/pdf")]
    )
    first = capex.splitlines()[0]
    assert first.startswith("**Purchases of property, plant and equipment"), capex
    assert "(1,577) for 2018" in first and "3m-2018-statements.pdf, p. 3" in first, capex
    assert "2018 (1,577) | 2017 (1,373) | 2016 (1,420)" in capex, capex

    ppe = await reporter_says(client, "and what was net PP&E at the end of 2018?", [])
    first = ppe.splitlines()[0]
    assert first.startswith("**Property, plant and equipment — net**"), ppe
    assert "8,738 for 2018" in first and "3m-2018-statements.pdf, p. 1" in first, ppe
