"""`quorum rules`: list, add, enable and disable rules as a user does from the terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from quorum.cli import app

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
