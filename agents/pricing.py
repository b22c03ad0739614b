"""What a model call costs, from its token counts (USD per million tokens, list prices).

Unknown models (local servers, the offline engine) cost nothing: the record keeps the
token counts, so a price can be applied later.
"""

from __future__ import annotations

# (input, output) USD per 1M tokens; the longest matching prefix wins.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
}


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int, *, local: bool) -> float:
    """The list-price cost of one call; 0 for local servers and unknown models."""
    if local:
        return 0.0
    matches = [name for name in PRICES if model.startswith(name)]
    if not matches:
        return 0.0
    price_in, price_out = PRICES[max(matches, key=len)]
    return round((prompt_tokens * price_in + completion_tokens * price_out) / 1_000_000, 6)
