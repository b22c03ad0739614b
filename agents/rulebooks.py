"""The one way to the rulebook: the rules of rulebook `name` in the installation's database.

The chat, `quorum analyze` and `quorum rules` all go through `rulebook_store` (the chat and
the team through `shared_rulebooks`, one store per knowledge base and name), so every
thread, every command and every restart sees the same rules. Rules are shared by the
installation (a team's one data directory): every user checks against the same rulebook
and the same enabled flags; a rule added by a user records that user as its author.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from agents.errors import TeamError
from tools.agent_tools import SqlRulebooks
from tools.compliance import DEFAULT_RULEBOOK, RulebookError, load_rulebook

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from knowledge.library import KnowledgeBase

_STORES: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, SqlRulebooks]] = (
    weakref.WeakKeyDictionary()
)


def rulebook_store(
    sessions: async_sessionmaker[AsyncSession], name: str | None = None
) -> SqlRulebooks:
    """The store of rulebook `name` (a YAML file beside the shipped one; default: the
    shipped one), installed in SQL (or upgraded, when a newer version ships) at first use."""
    name = name or DEFAULT_RULEBOOK.stem
    path = DEFAULT_RULEBOOK.parent / f"{name}.yaml"
    if "/" in name or not path.is_file():
        raise TeamError(f"no rulebook named {name!r}; use {DEFAULT_RULEBOOK.stem!r}")
    try:
        return SqlRulebooks(sessions, load_rulebook(path))
    except RulebookError as error:
        raise TeamError(str(error)) from None


def shared_rulebooks(knowledge: KnowledgeBase, name: str | None = None) -> SqlRulebooks:
    """`rulebook_store` of this knowledge base's database, one store per name."""
    stores = _STORES.setdefault(knowledge, {})
    key = name or DEFAULT_RULEBOOK.stem
    if key not in stores:
        stores[key] = rulebook_store(knowledge.database.sessions, name)
    return stores[key]
