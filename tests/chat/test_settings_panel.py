"""The settings panel: the key is kept in memory, never shown back or saved with the thread."""

from __future__ import annotations

from chat.settings_panel import (
    KEY_FIELD,
    apply,
    available_rulebooks,
    defaults,
    widgets,
    without_key,
)
from quorum.settings import Settings


def test_defaults_come_from_the_settings(settings: Settings) -> None:
    preferences = defaults(settings)
    assert preferences.brain.kind == "offline"
    assert preferences.debate_rounds == settings.debate_rounds
    assert preferences.rulebook == settings.rulebook
    assert "financial" in available_rulebooks()


def test_a_typed_key_is_kept_but_never_shown_or_saved(settings: Settings) -> None:
    values = {
        "brain": "openai",
        "base_url": "http://127.0.0.1:9/v1",
        "model": "m",
        KEY_FIELD: "sk-secret-123",
        "debate_rounds": 9,
        "rulebook": "financial",
    }
    chosen = apply(defaults(settings), values)
    assert chosen.brain.kind == "openai" and chosen.brain.api_key == "sk-secret-123"
    assert chosen.debate_rounds == 6  # bounded
    assert "sk-secret" not in repr(chosen)
    assert KEY_FIELD not in without_key(values)
    panel = {w.id: w.to_dict() for w in widgets(chosen)}
    assert panel[KEY_FIELD]["initial"] == ""
    assert "hidden" in panel[KEY_FIELD]["placeholder"]
    assert "sk-secret" not in str(panel)
    again = apply(chosen, {**without_key(values), KEY_FIELD: ""})
    assert again.brain.api_key == "sk-secret-123"  # an empty field keeps the key


def test_offline_brain_describes_itself_plainly(settings: Settings) -> None:
    assert "no language model" in defaults(settings).brain.describe()
