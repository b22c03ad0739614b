"""The names of the team's roles: the one list every other module reads.

A name is also the AutoGen agent's name, its prompt file (`prompts/<name>.md`), the key of
its tools and of its offline playbook. `SELECTOR` is the manager's model-based selector,
which has a model client but is not an agent.
"""

from __future__ import annotations

from typing import Final, Literal, TypeGuard, get_args

RoleName = Literal["ingestion", "compliance", "risk", "reporter", "advocate", "skeptic", "judge"]
ROLE_NAMES: Final[tuple[RoleName, ...]] = get_args(RoleName)
SELECTOR: Final = "selector"
Member = RoleName | Literal["selector"]


def is_member(name: str) -> TypeGuard[Member]:
    """True for a role's name and for the selector: the team's model clients."""
    return name == SELECTOR or name in ROLE_NAMES
