"""The chat settings panel: which brain, how many debate rounds, which rulebook.

The API key typed into the panel is taken out of Chainlit's settings at once (they are
saved with the thread) and kept only in memory for the session; the panel is sent back
with the field empty, so the key is never shown back, stored or logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any, Literal

from chainlit.input_widget import InputWidget, Select, Slider, TextInput

from quorum.settings import Settings

BrainKind = Literal["offline", "openai"]
BRAIN_LABELS = {
    "offline": "Offline engine (no model, no network)",
    "openai": "OpenAI-compatible endpoint",
}
KEY_FIELD = "api_key"


@dataclass(frozen=True)
class BrainChoice:
    """The brain a thread's team runs on; the key stays out of repr and logs."""

    kind: BrainKind = "offline"
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        if self.kind == "offline":
            return "the offline engine (no language model is configured)"
        where = self.base_url or "api.openai.com"
        return f"{self.model} at {where}"


@dataclass(frozen=True)
class TeamPreferences:
    """What the analyst chose in the panel."""

    brain: BrainChoice
    debate_rounds: int
    rulebook: str


def available_rulebooks() -> list[str]:
    """The rulebooks shipped with the tools (YAML files)."""
    folder = resources.files("tools.rulebooks")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def defaults(settings: Settings) -> TeamPreferences:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return TeamPreferences(
        brain=BrainChoice(
            kind=settings.llm_provider,
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=key,
        ),
        debate_rounds=settings.debate_rounds,
        rulebook=settings.rulebook,
    )


def widgets(preferences: TeamPreferences) -> list[InputWidget]:
    brain = preferences.brain
    rulebooks = available_rulebooks() or [preferences.rulebook]
    if preferences.rulebook not in rulebooks:
        rulebooks.append(preferences.rulebook)
    key_hint = "saved for this session (hidden)" if brain.api_key else "sk-… (kept in memory only)"
    return [
        Select(
            id="brain",
            label="Brain",
            items={label: kind for kind, label in BRAIN_LABELS.items()},
            initial_value=brain.kind,
        ),
        TextInput(
            id="base_url",
            label="Endpoint base URL",
            initial=brain.base_url or "",
            placeholder="http://127.0.0.1:11434/v1 — empty for OpenAI",
        ),
        TextInput(id="model", label="Model", initial=brain.model),
        TextInput(id=KEY_FIELD, label="API key", initial="", placeholder=key_hint),
        Slider(
            id="debate_rounds",
            label="Debate rounds",
            initial=preferences.debate_rounds,
            min=1,
            max=6,
            step=1,
        ),
        Select(
            id="rulebook", label="Rulebook", values=rulebooks, initial_value=preferences.rulebook
        ),
    ]


def apply(current: TeamPreferences, values: dict[str, Any]) -> TeamPreferences:
    """The preferences after the panel was saved; an empty key field keeps the old key."""
    brain = current.brain
    kind = values.get("brain", brain.kind)
    key = str(values.get(KEY_FIELD) or "").strip() or brain.api_key
    brain = replace(
        brain,
        kind=kind if kind in BRAIN_LABELS else brain.kind,
        base_url=str(values.get("base_url") or "").strip() or None,
        model=str(values.get("model") or brain.model).strip() or brain.model,
        api_key=key,
    )
    rounds = _bounded_int(values.get("debate_rounds"), current.debate_rounds, 1, 6)
    rulebook = str(values.get("rulebook") or current.rulebook)
    return TeamPreferences(brain=brain, debate_rounds=rounds, rulebook=rulebook)


def without_key(values: dict[str, Any]) -> dict[str, Any]:
    """The settings as they may be saved with the thread."""
    return {k: v for k, v in values.items() if k != KEY_FIELD}


def _bounded_int(value: Any, fallback: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return fallback
    return min(high, max(low, number))
