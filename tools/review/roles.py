"""Who may do what: one role per user (analyst, reviewer, admin); local mode is admin.

Analysts decide on findings, approve reports and delete their documents; reviewers manage
the shared rulebook (a second pair of eyes on what every analysis applies); admins may do
everything. Whatever the role, a change to shared state is confirmed before it happens.
"""

from __future__ import annotations

from typing import Literal

from tools.errors import ToolError

__all__ = ["ROLES", "PermissionDenied", "Role", "allowed", "require"]

Role = Literal["analyst", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("analyst", "reviewer", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "finding.decide": frozenset({"analyst", "admin"}),
    "report.approve": frozenset({"analyst", "admin"}),
    "document.delete": frozenset({"analyst", "admin"}),
    "rule.add": frozenset({"reviewer", "admin"}),
    "rule.enable": frozenset({"reviewer", "admin"}),
    "rule.disable": frozenset({"reviewer", "admin"}),
}
WHAT = {
    "finding.decide": "deciding on findings",
    "report.approve": "approving reports",
    "document.delete": "deleting documents",
    "rule.add": "adding rules",
    "rule.enable": "enabling rules",
    "rule.disable": "disabling rules",
}


class PermissionDenied(ToolError):
    """The user's role does not allow the action; the message names who may do it."""


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())


def require(role: str, action: str, *, user: str) -> None:
    """Raise `PermissionDenied` unless `role` may do `action`."""
    if allowed(role, action):
        return
    who = " or ".join(sorted(PERMISSIONS.get(action, frozenset()))) or "nobody"
    raise PermissionDenied(
        f"{user} is {_article(role)} {role or 'unknown role'}: {WHAT.get(action, action)} "
        f"needs the {who} role; ask someone who has it"
    )


def _article(role: str) -> str:
    return "an" if role[:1] in ("a", "e", "i", "o", "u") else "a"
