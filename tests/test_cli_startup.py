"""The CLI's edges: settings mistakes are one line naming the variable, and a command
imports only what it uses (so `quorum --help` never loads the knowledge base or the team;
how fast that makes it is measured in `make bench`)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quorum.cli.main import OneLineFormatter, ShowOnce

QUORUM = str(Path(sys.executable).parent / "quorum")
HEAVY = (
    "lancedb",
    "autogen_agentchat",
    "openai",
    "pypdf",
    "sqlalchemy",
    "knowledge.library",
    "agents.intent_model",
    "onnxruntime",
)
LISTING_NEVER = ("lancedb", "pyarrow", "torch", "autogen_core", "autogen_agentchat", "alembic")


def run_quorum(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUORUM_")}
    return subprocess.run(
        [QUORUM, "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=environment | env,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"QUORUM_AUTH": "password"}, "error: auth=password needs users: set QUORUM_USERS"),
        ({"QUORUM_PORT": "eighty"}, "error: QUORUM_PORT: Input should be a valid integer"),
        ({"QUORUM_LLM_PROVIDER": "gpt"}, "error: QUORUM_LLM_PROVIDER: Input should be"),
        ({"QUORUM_DEBATE_ROUNDS": "60"}, "error: QUORUM_DEBATE_ROUNDS: Input should be less"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = run_quorum(tmp_path, "documents", **env)
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(expected), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_secret_setting_is_named_but_never_echoed(tmp_path: Path) -> None:
    result = run_quorum(tmp_path, "documents", QUORUM_USERS='{"alice": 987654}')
    assert result.returncode == 2 and result.stderr.startswith("error: QUORUM_USERS:")
    assert "987654" not in result.stderr


def test_the_cli_loads_no_part_of_the_stack_until_a_command_needs_it() -> None:
    probe = f"import sys, quorum.cli\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


def test_listing_documents_opens_the_database_alone(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom quorum.cli import app\n"
        f"try:\n    app(['--data-dir', {str(tmp_path / 'data')!r}, 'documents'])\n"
        "except SystemExit:\n    pass\n"
        "print('|' + ','.join(m for m in ('lancedb', 'autogen_agentchat', 'pypdf')"
        " if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no documents yet" in result.stdout
    assert result.stdout.rstrip().endswith("|")


def test_library_warnings_reach_the_terminal_once_on_one_line() -> None:
    shown: list[str] = []
    formatter, once = OneLineFormatter(), ShowOnce()
    agent = "risk_6a1c0c05-bb5c-42c4-9145-1b3c196bd220/6a1c0c05-bb5c-42c4-9145-1b3c196bd220"
    for name in (agent, agent.replace("risk", "judge")):
        record = logging.LogRecord(
            "autogen_core",
            logging.ERROR,
            __file__,
            1,
            f"Error processing publish message for {name}\nTraceback (most recent call last):",
            None,
            None,
        )
        if once.filter(record):
            shown.append(formatter.format(record))
    assert shown == ["error: autogen_core: Error processing publish message for risk"]


def test_listing_again_imports_neither_the_index_nor_the_team_nor_alembic(
    tmp_path: Path,
) -> None:
    assert run_quorum(tmp_path, "documents").returncode == 0  # creates the database
    probe = (
        "import sys\nfrom quorum.cli import app\n"
        f"try:\n    app(['--data-dir', {str(tmp_path / 'data')!r}, 'documents'])\n"
        "except SystemExit:\n    pass\n"
        f"print('|' + ','.join(m for m in {LISTING_NEVER!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("|"), result.stdout
