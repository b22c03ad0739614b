"""`quorum rules`: list, add, enable and disable rules as a user does from the terminal."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from agents.rulebooks import shared_rulebooks
from knowledge.library import KnowledgeBase
from quorum.cli import app
from quorum.settings import Settings
from tools.compliance import Rulebook

QUORUM = str(Path(sys.executable).parent / "quorum")
RULE = """\
id: house.lottery
title: Lottery winnings used as a deposit
category: house.source_of_funds
severity: medium
regulation: House policy 12
recommendation: Ask for proof of the winnings.
kind: text_pattern
params:
  patterns: ['\\blottery win']
"""


def quorum(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args])
    return result.exit_code, result.output


def test_list_add_disable_enable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, output = quorum(data, "rules", "list", "--json")
    listed = json.loads(output)
    assert code == 0 and len(listed["rules"]) >= 18
    assert all(rule["enabled"] for rule in listed["rules"])

    rule_file = tmp_path / "mine.yaml"
    rule_file.write_text(RULE, encoding="utf-8")
    code, output = quorum(data, "rules", "add", str(rule_file))
    assert (code, output.strip()) == (0, "added house.lottery")

    code, output = quorum(data, "rules", "disable", "privacy.unmasked_ssn", "--json")
    assert code == 0 and json.loads(output)["rule"]["enabled"] is False
    code, output = quorum(data, "rules", "list", "--enabled", "--json")
    enabled = {rule["id"] for rule in json.loads(output)["rules"]}
    assert "privacy.unmasked_ssn" not in enabled and "house.lottery" in enabled

    code, output = quorum(data, "rules", "enable", "privacy.unmasked_ssn")
    assert (code, output.strip()) == (0, "enabled privacy.unmasked_ssn")


def test_mistakes_are_one_line_without_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    broken = tmp_path / "broken.yaml"
    broken.write_text(RULE.replace("severity: medium", "severity: dire"), encoding="utf-8")
    messages = []
    for args in (
        ["rules", "add", str(broken)],
        ["rules", "disable", "no.such.rule"],
        ["rules", "add", str(tmp_path / "missing.yaml")],
    ):
        result = subprocess.run(
            [QUORUM, "--data-dir", str(data), *args], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        messages.append(result.stderr.strip())
    assert all(len(message.splitlines()) == 1 for message in messages), messages
    assert messages[0].startswith("error: broken.yaml line 4: severity")
    assert "no rule with id 'no.such.rule'" in messages[1]
    assert "missing.yaml: cannot read it" in messages[2]


def test_the_terminal_and_the_team_share_one_rulebook(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, _ = quorum(data, "rules", "disable", "privacy.unmasked_ssn")
    assert code == 0
    settings = Settings(_env_file=None, data_dir=data)

    async def the_teams_rulebook() -> Rulebook:
        knowledge = await KnowledgeBase.open(settings.knowledge_config())
        try:
            return await shared_rulebooks(knowledge, settings.rulebook).current(owner="someone")
        finally:
            await knowledge.close()

    rulebook = asyncio.run(the_teams_rulebook())
    rule = rulebook.rule("privacy.unmasked_ssn")
    assert rule is not None and rule.enabled is False  # the chat's team sees the CLI's change
    code, output = quorum(data, "rules", "list", "--json")
    assert json.loads(output)["rulebook"] == rulebook.version


def test_an_unknown_rulebook_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [QUORUM, "--data-dir", str(tmp_path / "data"), "rules", "list"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QUORUM_RULEBOOK": "nonesuch"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no rulebook named 'nonesuch'; use 'financial'"
