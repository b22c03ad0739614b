"""What the composer accepts: types and size from the settings, refusals in one line."""

from __future__ import annotations

from chat.failures import describe_failure
from chat.settings_panel import BrainChoice
from chat.upload_config import accept_map
from chat.uploads import UploadPolicy

POLICY = UploadPolicy(allowed_suffixes=(".pdf", ".csv"), max_bytes=1024 * 1024)


def test_accepted_files_pass() -> None:
    assert POLICY.refusal("Annual Report.PDF", 10) is None
    assert POLICY.refusal("ledger.csv", 1024 * 1024) is None


def test_refusals_say_why_in_one_line() -> None:
    wrong_type = POLICY.refusal("tool.exe", 10)
    too_big = POLICY.refusal("big.pdf", 3 * 1024 * 1024)
    assert wrong_type == ".exe files are not accepted: attach PDF, CSV"
    assert too_big == "3.0 MB is over the 1 MB limit: split or compress it"
    assert (
        POLICY.refusal("README", 1)
        == "files without an extension are not accepted: attach PDF, CSV"
    )


def test_chainlit_accepts_exactly_the_configured_suffixes() -> None:
    accepted = accept_map((".pdf", ".md"))
    assert accepted["application/pdf"] == [".pdf"]
    assert accepted["text/markdown"] == [".md"]
    assert accepted["application/octet-stream"] == [".pdf", ".md"]
    assert "*/*" not in accepted
    assert all(suffix in (".pdf", ".md") for suffixes in accepted.values() for suffix in suffixes)


class AuthenticationError(Exception):
    """Named like openai's, which is what the description keys on."""

    status_code = 401


def test_endpoint_failures_are_one_actionable_line_without_the_key() -> None:
    brain = BrainChoice(
        kind="openai", base_url="http://127.0.0.1:9/v1", model="m", api_key="sk-secret"
    )
    text = describe_failure(AuthenticationError("Incorrect API key provided: sk-secret"), brain)
    assert "the API key was refused" in text and "sk-secret" not in text
    assert "\n" not in text
    other = describe_failure(RuntimeError("boom"), BrainChoice())
    assert other.startswith("The team stopped on an unexpected error (RuntimeError)")
