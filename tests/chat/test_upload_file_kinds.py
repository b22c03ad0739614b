"""HTML filings, e-mails, scans, images and PDF tables uploaded to the real chat server.

The browser's path over HTTP and socket.io (tests/chat/chat_harness.py), offline engine:
what the analyst sees on the upload board, in the team's messages and in the citations.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from chat_harness import ChatClient, Server, messages, run_finished, running_server
from file_kinds import (
    annex_pdf,
    edgar_html,
    email_with_wires,
    mixed_pdf,
    page_image,
    require_ocr_tools,
    scanned_pdf,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

RUN_TIMEOUT_S = 400
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("chat-kinds") / "data") as running:
        yield running



def said(events: list[tuple[str, Any]], mark: int) -> list[dict[str, Any]]:
    steps = messages(events[mark:]).values()
    return [step for step in steps if step.get("type") == "assistant_message"]


def plain(text: str) -> str:
    """Message markdown without its escapes, as the analyst reads it."""
    return text.replace("\\", "")


async def run(client: ChatClient, text: str, files: Sequence[tuple[Path, str]] = ()) -> list[str]:
    mark = len(client.events)
    await client.send(text, files=list(files))
    await client.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    return [plain(m["output"]) for m in said(client.events, mark)]


async def test_html_email_and_pdf_table_uploads_are_read_linked_and_checked(
    client: ChatClient, tmp_path: Path
) -> None:
    policy = tmp_path / "Policy.docx"
    policy.write_text("<html><body><h1>Policy</h1><p>Cash is counted twice.</p></body></html>")
    files = [
        (edgar_html(tmp_path), "text/html"),
        (policy, DOCX),
        (email_with_wires(tmp_path, "march-wires.eml"), "message/rfc822"),
        (annex_pdf(tmp_path, "payments-review-Q1.pdf"), "application/pdf"),
    ]
    outputs = await run(client, "Analyse these files.", files)
    assert any(t.startswith("Files attached") for t in outputs), outputs
    board = next(text for text in outputs if text.startswith("Files attached"))
    for name in ("nflx-20171231x10k.htm", "Policy.docx", "march-wires.eml", "wires-2024-03.csv"):
        line = next((line for line in board.splitlines() if name in line), board)
        assert "✓ added" in line, board
    assert "is an HTML file, not a Word document: it was read as an HTML file" in board

    ingestion = next(text for text in outputs if text.startswith("Took in"))
    assert "wires-2024-03.csv** (doc " in ingestion, ingestion
    assert "attached to march-wires.eml" in ingestion, ingestion
    checked = "\n".join(outputs)
    wires = checked[checked.rindex("wires-2024-03.csv** (doc ") :]
    assert "Iran" in wires.split("\n\n")[0], checked  # the attachment's own findings
    annex = checked[checked.rindex("payments-review-Q1.pdf** (doc ") :].split("\n\n")[0]
    assert "Kish Marine Services" in annex or "Iran" in annex, checked

    mark = len(client.events)
    await run(client, "Where does the Netflix balance sheet show cash and cash equivalents?")
    shown = [p for name, p in client.events[mark:] if name == "element"]
    sheet = next(e for e in shown if e["name"] == "nflx-20171231x10k.htm p.2")
    quoted = plain(await client.element_text(sheet))  # side panel: rows under their header
    assert "Cash and cash equivalents | $2,822,795 | $1,467,576" in quoted, quoted
    assert "2017 | 2016" in quoted, quoted


async def test_scans_and_images_are_read_by_ocr_and_cited_with_their_confidence(
    client: ChatClient, tmp_path: Path
) -> None:
    require_ocr_tools()
    files = [
        (scanned_pdf(tmp_path, "scanned-cover.pdf", [0]), "application/pdf"),
        (mixed_pdf(tmp_path, "mixed-filing.pdf", text_page=0, scanned_page=44), "application/pdf"),
        (page_image(tmp_path, "balance-sheet.png", 44), "image/png"),
    ]
    outputs = await run(client, "Take these in.", files)
    board = next(text for text in outputs if text.startswith("Files attached"))
    assert board.count("✓ added") == 3, board

    answer = "\n".join(
        await run(client, "What does the balance sheet say about total current assets?")
    )
    assert "read by OCR, " in answer, answer  # in the answer's citation and its sources
    assert "Sources:** balance-sheet.png p.1 (read by OCR, " in answer, answer
