"""Rulebooks load from YAML, cover the taxonomy, and say where a mistake is."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from compliance_docs import make_rule, run, text_doc

from tools.compliance import (
    RULE_KINDS,
    Rule,
    RulebookError,
    default_rulebook,
    load_rulebook,
    parse_rulebook,
    version_key,
)
from tools.errors import ToolError

TAXONOMY = {
    "aml.cash_threshold", "aml.structuring", "sanctions.jurisdiction",
    "kyc.missing_beneficial_owner", "kyc.pep_without_edd", "abc.improper_payment",
    "marketing.guaranteed_returns", "marketing.missing_risk_disclosure",
    "privacy.unmasked_ssn", "privacy.unmasked_card", "contract.missing_liability_cap",
    "contract.missing_termination", "contract.missing_governing_law",
    "contract.missing_data_protection", "governance.self_approval",
    "disclosure.material_weakness", "disclosure.going_concern", "disclosure.restatement",
}  # fmt: skip

VALID = """\
name: house
version: "2.1"
rules:
  - id: house.no_lottery
    title: Lottery wins are not income
    category: house.lottery
    severity: low
    regulation: House policy 7
    recommendation: Ask where the money came from.
    kind: text_pattern
    params:
      patterns: ['\\blottery win']
"""


def test_default_rulebook_covers_every_taxonomy_category() -> None:
    rulebook = default_rulebook()
    assert {rule.category for rule in rulebook.rules} >= TAXONOMY
    assert version_key(rulebook.version) >= (1,)
    for rule in rulebook.rules:
        assert rule.title and rule.regulation and rule.recommendation
        assert rule.kind in RULE_KINDS and rule.enabled


def test_a_valid_rulebook_loads_and_its_rule_runs(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(VALID, encoding="utf-8")
    rulebook = load_rulebook(path)
    assert (rulebook.name, rulebook.version, len(rulebook.rules)) == ("house", "2.1", 1)
    findings = run(text_doc("He paid the deposit with a lottery win."), *rulebook.rules)
    assert [f.category for f in findings] == ["house.lottery"]


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (VALID.replace("severity: low", "severity: urgent"), 7, "severity"),
        (VALID.replace("    title: Lottery wins are not income\n", ""), 4, "title"),
        (VALID.replace("kind: text_pattern", "kind: crystal_ball"), 10, "unknown rule kind"),
        (VALID.replace("\\blottery win", "(?<=big )lottery"), 12, "lookaround"),
        (VALID.replace("patterns:", "patterns_typo:"), 12, "patterns_typo"),
        (VALID.replace('version: "2.1"', "version: next"), 2, "version"),
        (VALID + VALID.split("rules:\n")[1], 13, "used twice"),
        (VALID.replace("    params:\n", "    params:\n   broken: [\n"), 12, "YAML"),
    ],
)
def test_a_mistake_names_the_file_and_line(
    tmp_path: Path, broken: str, line: int, words: str
) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    message = str(caught.value)
    assert message.startswith(f"house.yaml line {line}"), message
    assert words in message
    assert "\n" not in message
    assert isinstance(caught.value, ToolError)


def test_a_missing_file_is_a_rulebook_error(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match=r"absent\.yaml: cannot read"):
        load_rulebook(tmp_path / "absent.yaml")


def test_a_rulebook_must_be_a_mapping() -> None:
    with pytest.raises(RulebookError, match="a rulebook is a mapping"):
        parse_rulebook("- just\n- a list\n", source="list.yaml")


def test_a_rule_built_in_code_is_validated_too() -> None:
    with pytest.raises(ValueError, match=r"params\.patterns"):
        Rule.model_validate(
            {
                "id": "x.y",
                "title": "Bad",
                "category": "x.y",
                "severity": "low",
                "regulation": "r",
                "recommendation": "r",
                "kind": "text_pattern",
                "params": {"patterns": ["(unclosed"]},
            }
        )


def test_versions_compare_as_numbers() -> None:
    assert version_key("1.10") > version_key("1.9")
    assert version_key("2") > version_key("1.99.99")


def test_a_user_pattern_cannot_hang_the_process() -> None:
    evil = make_rule("text_pattern", {"patterns": ["(a+)+$", "(x|x)*y", "(\\w+\\s?)*$"]})
    document = text_doc("a" * 50_000 + "!" + " word" * 20_000 + "!")
    started = time.monotonic()
    run(document, evil)
    assert time.monotonic() - started < 5
