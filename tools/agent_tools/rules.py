"""The rulebook the agents check against and change: a store keyed by owner.

`RulebookStore` is what the compliance tools need; `MemoryRulebooks` keeps each owner's
copy of a base rulebook in memory (rules added or toggled in the chat last for the
process). A SQL-backed store from the compliance engine can stand in for it unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from tools.compliance import Rule, Rulebook, RulebookError, default_rulebook


class RulebookStore(Protocol):
    async def current(self, *, owner: str) -> Rulebook: ...

    async def add_rule(self, rule: Rule, *, owner: str) -> Rulebook: ...

    async def set_enabled(self, rule_id: str, enabled: bool, *, owner: str) -> Rulebook: ...


def next_version(version: str) -> str:
    """`1.2` -> `1.2.1`, `1.2.1` -> `1.2.2`: every change to a rulebook bumps its version."""
    parts = version.split(".")
    if len(parts) < 4:
        return ".".join([*parts, "1"])
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


class MemoryRulebooks:
    """Each owner's rulebook, starting from the same base, changed under a lock."""

    def __init__(self, base: Rulebook | None = None) -> None:
        self._base = base or default_rulebook()
        self._books: dict[str, Rulebook] = {}
        self._lock = asyncio.Lock()

    async def current(self, *, owner: str) -> Rulebook:
        return self._books.get(owner, self._base)

    async def add_rule(self, rule: Rule, *, owner: str) -> Rulebook:
        async with self._lock:
            book = self._books.get(owner, self._base)
            if book.rule(rule.id) is not None:
                raise RulebookError(f"a rule with id '{rule.id}' exists; choose another id")
            return self._store(owner, book, [*book.rules, rule])

    async def set_enabled(self, rule_id: str, enabled: bool, *, owner: str) -> Rulebook:
        async with self._lock:
            book = self._books.get(owner, self._base)
            if book.rule(rule_id) is None:
                raise RulebookError(f"no rule '{rule_id}'; list the rules to see their ids")
            rules = [
                rule.model_copy(update={"enabled": enabled}) if rule.id == rule_id else rule
                for rule in book.rules
            ]
            return self._store(owner, book, rules)

    def _store(self, owner: str, book: Rulebook, rules: list[Rule]) -> Rulebook:
        changed = Rulebook(
            name=book.name,
            version=next_version(book.version),
            description=book.description,
            rules=rules,
        )
        self._books[owner] = changed
        return changed
