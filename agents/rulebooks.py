"""Which rulebook store a session uses when none is given: one per knowledge base and
rulebook name, so every thread of an owner sees the rules added in any of them."""

from __future__ import annotations

import weakref

from agents.errors import TeamError
from knowledge.library import KnowledgeBase
from tools.agent_tools import MemoryRulebooks
from tools.compliance import DEFAULT_RULEBOOK, RulebookError, load_rulebook

_STORES: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, MemoryRulebooks]] = (
    weakref.WeakKeyDictionary()
)


def shared_rulebooks(knowledge: KnowledgeBase, name: str | None = None) -> MemoryRulebooks:
    """The store of rulebook `name` (a YAML file beside the shipped one) for this knowledge base."""
    name = name or DEFAULT_RULEBOOK.stem
    stores = _STORES.setdefault(knowledge, {})
    if name not in stores:
        path = DEFAULT_RULEBOOK.parent / f"{name}.yaml"
        if not path.is_file() or "/" in name:
            raise TeamError(f"no rulebook named {name!r}; use {DEFAULT_RULEBOOK.stem!r}")
        try:
            stores[name] = MemoryRulebooks(load_rulebook(path))
        except RulebookError as error:
            raise TeamError(str(error)) from None
    return stores[name]
