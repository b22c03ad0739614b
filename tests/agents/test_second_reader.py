"""With a language model configured, the compliance checks get a second reader: the real
`openai` client against the scripted server. A proposal quoting the document is kept and
marked as the model's, an invented quote is dropped and counted, and a rule hit the model
disputes stays, with the model's reason."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from agent_documents import contract_pdf
from agent_turns import ask
from openai_server import ScriptedServer

from agents.config import BrainConfig
from agents.session import TeamSession
from knowledge.library import KnowledgeBase

pytestmark = pytest.mark.asyncio(loop_scope="module")


def second_reader(prompt: str) -> str:
    """The model's answers, group by group, as a model would give them (one in a fence)."""
    if "Category group: sanctions" in prompt:
        assert '1: sanctions.jurisdiction, "' in prompt  # the rule hits are shown
        return json.dumps(
            {
                "findings": [],
                "disputes": [
                    {"finding": 1, "reason": "the account may be a licensed humanitarian channel"}
                ],
            }
        )
    if "Category group: abc" in prompt:
        return (
            "```json\n"
            + json.dumps(
                {
                    "findings": [
                        {
                            "category": "abc.improper_payment",
                            "page": 2,
                            "evidence": "Bank Melli",
                            "reason": "payment routed through a state-owned bank",
                        }
                    ],
                    "disputes": [],
                }
            )
            + "\n```"
        )
    if "Category group: privacy" in prompt:
        return json.dumps(
            {
                "findings": [
                    {
                        "category": "privacy.unmasked_ssn",
                        "page": 1,
                        "evidence": "CEO's SSN 123-45-6789",
                        "reason": "an SSN",
                    }
                ]
            }
        )
    if "Category group: kyc" in prompt:
        return "I think the document is fine."  # not JSON: that group yields nothing
    return json.dumps({"findings": [], "disputes": []})


async def test_the_model_reader_keeps_quotes_drops_inventions_and_marks_disputes(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    config = BrainConfig(
        provider="openai",
        model="local-model",
        api_key="test-key",
        max_retries=0,
        timeout_s=60,
        base_url="",
    )
    async with ScriptedServer(second_reader=second_reader) as server:
        config = BrainConfig(**{**config.__dict__, "base_url": server.url})
        session = await TeamSession.open(
            thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge, brain=config
        )
        turn = await ask(session, "check this", [contract_pdf(tmp_path)])

    [checked] = [
        json.loads(content)
        for source, name, error, content in turn.results
        if name == "check_compliance" and not error
    ]
    findings = checked["findings"]
    by_model = [f for f in findings if f["source"] == "model"]
    assert [(f["category"], f["evidence"], f["page"]) for f in by_model] == [
        ("abc.improper_payment", "Bank Melli", 2)
    ]
    assert by_model[0]["rule_id"] == "model.abc.improper_payment"
    [sanctions] = [f for f in findings if f["category"] == "sanctions.jurisdiction"]
    assert sanctions["source"] == "rule"  # disputed, never dropped
    assert sanctions["disputed"] == "the account may be a licensed humanitarian channel"
    assert not any(f["category"] == "privacy.unmasked_ssn" for f in findings)
    assert checked["model_reader"].startswith("model reader: 1 finding added, 1 proposal dropped")
    assert "1 rule hit disputed" in checked["model_reader"]
    assert "no usable answer for kyc" in checked["model_reader"]
    groups = {
        line
        for p in server.second_reader_prompts
        for line in p.splitlines()
        if line.startswith("Category group: ")
    }
    assert {"Category group: aml", "Category group: contract"} <= groups
