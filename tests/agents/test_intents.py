"""What analysts type, read as workflows; follow-ups continue the previous request."""

from __future__ import annotations

import pytest

from agents.intents import read_requests, split_task, task_text
from agents.offline.reading import page_of, proposition, rule_command, search_terms


@pytest.mark.parametrize(
    ("text", "workflow"),
    [
        ("check this", "analysis"),
        (
            "Analyse the attached files: check them against the rulebook, score the risk "
            "and write the report.",
            "analysis",
        ),
        ("what's the risk on the Acme contract", "analysis"),
        ("anything about Iran?", "question"),
        ("what did you find on page 3", "question"),
        ("where does it mention the termination clause", "question"),
        ("is it safe to sign?", "debate"),
        ("Should we onboard Globex?", "debate"),
        ("add a rule that flags crypto custody", "rules"),
        ("list the rules", "rules"),
        ("disable rule aml.cash_threshold.ledger", "rules"),
        ("hello", "open"),
    ],
)
def test_what_analysts_type(text: str, workflow: str) -> None:
    assert read_requests([text])[-1].workflow == workflow


def test_follow_ups_continue_the_last_real_workflow() -> None:
    requests = read_requests(["anything about Iran?", "hello", "and the second file?"])
    assert requests[-1].workflow == "question" and requests[-1].follow_up
    assert search_terms(requests) == ["iran"]


def test_attachments_travel_in_the_task_and_come_back_out() -> None:
    task = task_text("check this", ["a b.pdf", "ledger.csv"])
    assert split_task(task) == ("check this", ("a b.pdf", "ledger.csv"))
    assert read_requests([task_text("", ["x.pdf"])])[0].workflow == "analysis"


def test_the_offline_reading_of_pages_rules_and_propositions() -> None:
    assert page_of("what did you find on page 3") == 3
    assert rule_command('add a high severity rule for "offshore shell company"').phrase == (
        "offshore shell company"
    )
    assert rule_command("turn off the crypto custody rule").action == "disable"
    assert proposition("is it safe to sign the Acme contract?") == "sign the Acme contract"
