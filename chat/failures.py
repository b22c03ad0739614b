"""A failed run in one line the analyst can act on, without secrets or tracebacks."""

from __future__ import annotations

from chat.settings_panel import BrainChoice

_ENDPOINT_ERRORS = (
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "BadRequestError",
    "InternalServerError",
    "APIStatusError",
    "ConnectError",
    "ConnectTimeout",
    "ReadTimeout",
)
_HINTS = {
    "AuthenticationError": "the API key was refused",
    "PermissionDeniedError": "the API key may not use this model",
    "NotFoundError": "the model or the base URL does not exist there",
    "RateLimitError": "the endpoint is rate-limiting: wait and retry",
    "APIConnectionError": "nothing answered at that address",
    "ConnectError": "nothing answered at that address",
    "APITimeoutError": "the endpoint did not answer in time",
    "ConnectTimeout": "the endpoint did not answer in time",
    "ReadTimeout": "the endpoint did not answer in time",
}


def is_endpoint_failure(error: BaseException) -> bool:
    """True when the error came from talking to a model endpoint."""
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & set(_ENDPOINT_ERRORS)) or type(error).__module__.startswith(
        ("openai", "httpx")
    )


def describe_failure(error: BaseException, brain: BrainChoice) -> str:
    """One line: what failed, why if we know, and what to do next."""
    name = type(error).__name__
    if brain.kind == "openai" and is_endpoint_failure(error):
        status = getattr(error, "status_code", None)
        hint = _HINTS.get(name, f"it answered with an error{f' ({status})' if status else ''}")
        return (
            f"The model endpoint ({brain.describe()}) failed: {hint}. The run has ended; "
            "check the base URL, model and key in the settings, or switch the brain to offline."
        )
    return (
        f"The team stopped on an unexpected error ({name}). The thread is still usable: "
        "send the message again, and if it repeats, start the server with -v to see details."
    )
