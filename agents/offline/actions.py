"""What a role decides on each model call: tool calls to make, or the message to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """A tool call the offline engine makes (it becomes a FunctionCall in the CreateResult)."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


Action = list[Call] | str
