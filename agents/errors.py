"""Errors of the agents layer and the words a person reads when a model endpoint fails."""

from __future__ import annotations


class TeamError(Exception):
    """Base of every error the agents layer raises on purpose; the message is for a person."""


class ModelEndpointError(TeamError):
    """The language model could not answer (unreachable, refused, rate-limited, malformed)."""


OFFLINE_HINT = "or switch to the offline engine (QUORUM_LLM_PROVIDER=offline)"


def describe_model_error(error: BaseException, *, model: str, base_url: str | None) -> str:
    """One line that says what went wrong with the model endpoint and what to do."""
    import openai  # here, not at the top: the settings import this module, the CLI starts fast

    where = base_url or "the OpenAI API"
    if isinstance(error, openai.APITimeoutError):
        return f"The model endpoint {where} did not answer in time; try again {OFFLINE_HINT}."
    if isinstance(error, openai.APIConnectionError):
        return (
            f"The model endpoint {where} cannot be reached; start the server or fix "
            f"QUORUM_LLM_BASE_URL, {OFFLINE_HINT}."
        )
    if isinstance(error, openai.AuthenticationError):
        return (
            f"The model endpoint {where} refused the API key (401); set a valid "
            f"QUORUM_OPENAI_API_KEY {OFFLINE_HINT}."
        )
    if isinstance(error, openai.PermissionDeniedError):
        return f"The model endpoint {where} denied access to {model} (403); check the key."
    if isinstance(error, openai.RateLimitError):
        return (
            f"The model endpoint {where} is rate-limiting requests (429) and still refused "
            "after retries; wait a minute and try again."
        )
    if isinstance(error, openai.NotFoundError):
        return f"The model {model!r} is not available at {where} (404); check QUORUM_LLM_MODEL."
    if isinstance(error, openai.APIStatusError):
        return f"The model endpoint {where} failed ({error.status_code}): {_short(error.message)}."
    if "function_call is deprecated" in str(error):
        return (
            f"The server at {where} answered with the legacy function_call field, which this "
            "client cannot read; update the server or use its OpenAI-compatible tool calls."
        )
    return f"The model call to {where} failed ({type(error).__name__}: {_short(str(error))})."


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
