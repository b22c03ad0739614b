"""Amounts in a sentence, as transactions: "$9,500, $9,800 and $9,700 in cash".

Prose states limits as often as transactions: "cash over $10,000", "deposits between
$8,000 and $9,999", "capped at $12.5k". An amount introduced by a comparison word, and
the second end of a range, is a limit and does not count. Amounts are read in any common
form and currency (`$12,500`, `USD 12,500.00`, `12.500 EUR`, `$12.5k`) by
knowledge.amounts and compared in USD.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.amounts import find_amounts

__all__ = ["AmountFilter", "transaction_amounts"]

_LIMIT_BEFORE = re.compile(
    r"(?:\bover|\babove|\bmore than|\bexceed(?:s|ed|ing)?|\bin excess of|\bat least|\bunder"
    r"|\bbelow|\bless than|\bup to|\bwithin|\bthreshold(?: of)?|\blimit(?: of)?"
    r"|\bcap(?:ped)?(?: at)?"
    r"|\bmaximum(?: of)?|\bminimum(?: of)?|\bno more than|\bnot exceeding|\bbetween|\bfrom"
    r"|\bbeyond|\bgreater than|\blower than|\bsmaller than|\blarger than|\bexcess of|[<>≤≥])\s*$",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|-|–|—|or)\s*$", re.IGNORECASE)
_BEFORE_CHARS = 30


class AmountFilter(BaseModel):
    """The sentence must state `count` transaction amounts in [min, max] (USD)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: Decimal | None = Field(default=None, ge=0)
    max: Decimal | None = Field(default=None, ge=0)
    count: int = Field(default=1, ge=1)
    total_over: Decimal | None = Field(
        default=None, ge=0, description="The amounts in range must add up to more than this"
    )
    fx_to_usd: dict[str, Decimal] = Field(default_factory=dict)

    def holds(self, text: str) -> bool:
        in_range = [a for a in transaction_amounts(text, self.fx_to_usd) if self._in_range(a)]
        if len(in_range) < self.count:
            return False
        return self.total_over is None or sum(in_range, Decimal(0)) > self.total_over

    def _in_range(self, amount: Decimal) -> bool:
        return (self.min is None or amount >= self.min) and (self.max is None or amount <= self.max)


def transaction_amounts(text: str, fx_to_usd: dict[str, Decimal]) -> list[Decimal]:
    """USD values of the amounts in `text` that are not limits or ends of a range."""
    kept: list[Decimal] = []
    previous_end, previous_was_limit = None, False
    for money, start, end in find_amounts(text):
        before = text[max(0, start - _BEFORE_CHARS) : start]
        is_limit = _LIMIT_BEFORE.search(before) is not None
        if (
            previous_end is not None
            and previous_was_limit
            and _RANGE_JOIN.match(text[previous_end:start])
        ):
            is_limit = True
        previous_end, previous_was_limit = end, is_limit
        if is_limit:
            continue
        code = (money.currency or "USD").upper()
        rate = Decimal(1) if code == "USD" else fx_to_usd.get(code)
        if rate is not None:
            kept.append(abs(money.amount) * rate)
    return kept
