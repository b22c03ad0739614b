"""Errors of the tools layer, each with a message a person (or an agent) can act on."""

from __future__ import annotations


class ToolError(Exception):
    """Base of every error the tools layer raises on purpose.

    The message is one line that names what is wrong and says what to do; the CLI and
    the chat show it as is, and an agent can read it and retry with a better argument.
    """
