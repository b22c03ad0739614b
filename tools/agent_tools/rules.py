"""The rulebook the agents check against and change: the rules in SQL.

`RulebookStore` is what the compliance tools need. `SqlRulebooks` keeps the rules in the
knowledge base's database (through tools.compliance.store), so a rule added, enabled or
disabled in the chat survives a restart, is the rule `quorum rules list` shows, and is
applied by `quorum analyze`. The rules belong to the installation: every owner checks
against the same rulebook, and a rule added in the chat records its author as its owner.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tools.compliance import Rule, Rulebook, default_rulebook
from tools.compliance import store as rule_store

logger = logging.getLogger(__name__)


class RulebookStore(Protocol):
    async def current(self, *, owner: str) -> Rulebook: ...

    async def add_rule(self, rule: Rule, *, owner: str) -> Rulebook: ...

    async def set_enabled(self, rule_id: str, enabled: bool, *, owner: str) -> Rulebook: ...


def edition(installed: str, rules: Sequence[Rule], shipped: Rulebook) -> str:
    """The version a set of rules goes by, so analyses made with other rules never share it.

    While the rules are as shipped it is the installed version ("1.1.0"); once users add
    rules or flip a built-in rule's flag, a fourth part fingerprints those changes
    ("1.1.0.482913"): the same rules always give the same version, back to "1.1.0" when
    the changes are undone.
    """
    defaults = {rule.id: rule.enabled for rule in shipped.rules}
    changes = sorted(
        json.dumps(rule.model_dump(mode="json"), sort_keys=True)
        if rule.id not in defaults
        else f"{rule.id}={rule.enabled}"
        for rule in rules
        if rule.id not in defaults or rule.enabled != defaults[rule.id]
    )
    if not changes:
        return installed
    digest = hashlib.sha256("\n".join([installed, *changes]).encode("utf-8")).hexdigest()
    return ".".join([*installed.split(".")[:3], str(int(digest[:8], 16) % 1_000_000)])


class SqlRulebooks:
    """Rulebook `base` and users' own rules, in SQL; `base` installed or upgraded at first use."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], base: Rulebook | None = None
    ) -> None:
        self._sessions = sessions
        self._base = base or default_rulebook()
        self._installed = False
        self._lock = asyncio.Lock()

    async def current(self, *, owner: str) -> Rulebook:
        await self._install()
        async with self._sessions() as session:
            return await self._read(session)

    async def add_rule(self, rule: Rule, *, owner: str) -> Rulebook:
        return await self.add_rules([rule], owner=owner)

    async def add_rules(self, rules: Sequence[Rule], *, owner: str) -> Rulebook:
        """Add every rule, or none of them (one mistake commits nothing)."""
        await self._install()
        async with self._sessions() as session:
            for rule in rules:
                await rule_store.add_rule(session, rule, owner=owner)
            await session.commit()
            return await self._read(session)

    async def set_enabled(self, rule_id: str, enabled: bool, *, owner: str) -> Rulebook:
        await self._install()
        async with self._sessions() as session:
            if (await self._read(session)).rule(rule_id) is None:
                raise rule_store.RuleStoreError(
                    f"no rule with id '{rule_id}': list the rules to see their ids"
                )
            await rule_store.set_rule_enabled(session, rule_id, enabled)
            await session.commit()
            return await self._read(session)

    async def _install(self) -> None:
        """Bring the base rulebook up to date in SQL, once per store."""
        if self._installed:
            return
        async with self._lock:
            if self._installed:
                return
            try:
                await self._install_once()
            except IntegrityError:
                logger.info("rulebook %s installed concurrently; checking again", self._base.name)
                await self._install_once()
            self._installed = True

    async def _install_once(self) -> None:
        async with self._sessions() as session:
            await rule_store.install_rulebook(session, self._base)
            await session.commit()

    async def _read(self, session: AsyncSession) -> Rulebook:
        name = self._base.name
        rules = await rule_store.list_rules(session, rulebook=name)
        installed = await rule_store.installed_version(session, name) or self._base.version
        return Rulebook(
            name=name,
            version=edition(installed, rules, self._base),
            description=self._base.description,
            rules=rules,
        )
