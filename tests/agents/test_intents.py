"""What analysts type, read by meaning: paraphrases the classifier was never shown land on
the right workflow, follow-ups continue the previous request, unclear words are asked
about, and a pressed button is a command, not a guess."""

from __future__ import annotations

import pytest

from agents.intent_model import load_examples
from agents.intents import command_text, read_requests, shared_classifier, split_task, task_text
from agents.offline.reading import page_of, proposition, rule_command, search_terms

# Written for this test; none is one of the classifier's examples (checked below).
PARAPHRASES = [
    ("could you evaluate the attached contract for compliance issues?", "analyse"),
    ("what is non-compliant in the Acme 10-K?", "analyse"),
    ("what does the restructuring liability consist of?", "question"),
    ("what's the termination notice in the lease?", "question"),
    ("boil the MSA down to its key terms", "summarise"),
    ("contrast the 2020 and 2021 annual reports", "compare"),
    ("Would you advise the firm to put its name on this agreement?", "debate"),
    ("is it wise to release this wire to Globex?", "debate"),
    ("from now on, watch out for offshore escrow", "rule_add"),
    ("please start flagging mentions of crypto custody", "rule_add"),
    ("bring the PEP screening back", "rule_enable"),
    ("switch the bribery detection off", "rule_disable"),
    ("what checks do you apply to ledgers?", "rule_list"),
    ("which of my uploads are still stored?", "library_list"),
    ("wipe the old wire log from my library", "library_delete"),
    ("good evening, what is this tool for?", "help"),
]


def test_the_paraphrases_are_not_training_examples() -> None:
    examples = {" ".join(t.lower().split()) for ts in load_examples().values() for t in ts}
    assert not [text for text, _ in PARAPHRASES if text.lower() in examples]


@pytest.mark.parametrize(("text", "intent"), PARAPHRASES)
def test_a_paraphrase_is_read_by_its_meaning(text: str, intent: str) -> None:
    reading = shared_classifier().classify(text)
    assert reading.intent == intent
    assert reading.confident and reading.nearest in load_examples()[intent]


def test_follow_ups_continue_the_last_real_workflow() -> None:
    requests = read_requests(
        ["anything about Iran?", "hello", "and the second file?"], shared_classifier()
    )
    assert requests[-1].intent == "followup" and requests[-1].workflow == "question"
    assert search_terms(requests) == ["iran"]


def test_without_an_earlier_request_nothing_is_a_follow_up() -> None:
    assert shared_classifier().classify("why?", has_history=False).intent != "followup"
    assert shared_classifier().classify("why?", has_history=True).intent == "followup"


def test_words_far_from_every_example_are_not_guessed() -> None:
    reading = shared_classifier().classify("banana")
    assert not reading.confident and len(reading.likely(3)) == 3


def test_a_pressed_button_is_an_explicit_command() -> None:
    task = task_text(command_text("summarise", "the Acme file"), ["acme.pdf"])
    (request,) = read_requests([task], shared_classifier())
    assert request.workflow == "summarise" and request.reading.explicit and request.is_command
    assert request.text == "the Acme file" and request.attachments == ("acme.pdf",)


def test_attachments_travel_in_the_task_and_files_without_words_are_checked() -> None:
    task = task_text("check this", ["a b.pdf", "ledger.csv"])
    assert split_task(task) == ("check this", ("a b.pdf", "ledger.csv"))
    assert read_requests([task_text("", ["x.pdf"])], shared_classifier())[0].workflow == "analyse"


def test_the_offline_reading_of_pages_rules_and_propositions() -> None:
    assert page_of("what did you find on page 3") == 3
    assert rule_command('add a high severity rule for "offshore shell company"', "add").phrase == (
        "offshore shell company"
    )
    assert rule_command("from now on, watch out for offshore escrow", "add").phrase == (
        "offshore escrow"
    )
    assert rule_command("please start flagging mentions of crypto custody", "add").phrase == (
        "crypto custody"
    )
    assert rule_command("mute rule AML-003", "disable").phrase == "AML-003"
    assert proposition("is it safe to sign the Acme contract?") == "sign the Acme contract"
