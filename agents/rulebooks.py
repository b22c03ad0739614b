"""Which rulebook store a session uses when none is given: the rules in the knowledge base's
database, one store per knowledge base and rulebook name, so every thread (and every
restart) sees the rules added, enabled or disabled in any of them."""

from __future__ import annotations

import weakref

from agents.errors import TeamError
from knowledge.library import KnowledgeBase
from tools.agent_tools import SqlRulebooks
from tools.compliance import DEFAULT_RULEBOOK, RulebookError, load_rulebook

_STORES: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, SqlRulebooks]] = (
    weakref.WeakKeyDictionary()
)


def shared_rulebooks(knowledge: KnowledgeBase, name: str | None = None) -> SqlRulebooks:
    """The store of rulebook `name` (a YAML file beside the shipped one) for this knowledge base.

    The rulebook is installed in SQL (or upgraded, when a newer version ships) at first use.
    """
    name = name or DEFAULT_RULEBOOK.stem
    stores = _STORES.setdefault(knowledge, {})
    if name not in stores:
        path = DEFAULT_RULEBOOK.parent / f"{name}.yaml"
        if not path.is_file() or "/" in name:
            raise TeamError(f"no rulebook named {name!r}; use {DEFAULT_RULEBOOK.stem!r}")
        try:
            stores[name] = SqlRulebooks(knowledge.database.sessions, load_rulebook(path))
        except RulebookError as error:
            raise TeamError(str(error)) from None
    return stores[name]
