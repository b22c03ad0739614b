"""`quorum ask` and `quorum chat` as a user runs them: a real subprocess, no tracebacks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from fpdf import FPDF

QUORUM = str(Path(sys.executable).parent / "quorum")
CONTRACT = (
    "MASTER SERVICES AGREEMENT between Acme Corp and Northwind Logistics Ltd.",
    "Settlement of invoices will be wired to the Supplier's account at Bank Melli, Tehran, Iran.",
)


def quorum(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("QUORUM_", "OPENAI_"))}
    result = subprocess.run(
        [QUORUM, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=600,
        input=stdin,
        env={**clean, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def contract(path: Path) -> Path:
    pdf = FPDF()
    for text in CONTRACT:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def test_ask_runs_the_team_prints_json_and_continues_the_thread(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pdf = contract(tmp_path / "acme_contract.pdf")
    first = quorum(data, "ask", "check this", "--file", str(pdf), "--json")
    assert first.returncode == 0, first.stderr
    outcome = json.loads(first.stdout)
    assert set(outcome) >= {"transcript", "stop_reason", "artifacts"}
    assert outcome["stop_reason"] == "reporter closed the workflow"
    assert outcome["outcome"] == "completed"
    assert "No language model is configured" in outcome["notice"]
    messages = [e["source"] for e in outcome["transcript"] if e["type"] == "message"]
    assert messages == ["user", "ingestion", "compliance", "risk", "reporter"]
    calls = [e["content"] for e in outcome["transcript"] if e["type"] == "tool_call"]
    assert "ingest_file(filename='acme_contract.pdf')" in calls
    reports = [a["path"] for a in outcome["artifacts"] if a["kind"] == "report"]
    assert reports and all(Path(p).is_file() for p in reports)

    second = quorum(data, "ask", "anything about Iran?", "--thread", outcome["thread_id"])
    assert second.returncode == 0, second.stderr
    assert "No language model is configured" in second.stdout
    assert "→ ingestion: a question: look it up in the library" in second.stdout
    assert "[reporter] ⚙ search_knowledge(" in second.stdout
    assert "reporter:\n" in second.stdout and "(acme_contract.pdf, p. 2)" in second.stdout
    assert f"thread {outcome['thread_id']}" in second.stdout


def test_chat_keeps_the_thread_across_messages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pdf = contract(tmp_path / "acme_contract.pdf")
    lines = f"/attach {pdf}\ncheck this\nwhat did you find on page 2\nexit\n"
    result = quorum(data, "chat", stdin=lines)
    assert result.returncode == 0, result.stderr
    assert "attached acme_contract.pdf" in result.stdout
    assert result.stdout.count("reporter closed the workflow") == 2
    assert "1 finding on page 2" in result.stdout


def test_ask_refuses_a_missing_file_and_reports_a_dead_endpoint_in_words(tmp_path: Path) -> None:
    data = tmp_path / "data"
    missing = quorum(data, "ask", "check this", "--file", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "QUORUM_LLM_PROVIDER": "openai",
        "QUORUM_LLM_MODEL": "local-model",
        "QUORUM_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1",
    }
    dead = quorum(data, "ask", "anything about Iran?", "--json", env=env)
    assert dead.returncode == 1
    outcome = json.loads(dead.stdout)
    assert outcome["outcome"] == "failed"
    assert outcome["stop_reason"].startswith("error: The model endpoint")
    assert "cannot be reached" in outcome["stop_reason"]
