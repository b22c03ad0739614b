"""AutoGen and Chainlit are frozen upstream: we use only their public surface.

No module imports a private module or name of either framework, no class of ours
overrides a private method of theirs, and each is the exact version the lock pins, so an
upgrade is a deliberate, reviewed step.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agents", "chat", "tools", "knowledge", "quorum")
FRAMEWORKS = ("autogen_agentchat", "autogen_core", "autogen_ext", "chainlit")
NOT_IMPORTABLE = ("app.py",)
PINNED = ("autogen-agentchat", "autogen-core", "autogen-ext", "chainlit")


def source_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO_ROOT / package).rglob("*.py"))


def is_private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def private_framework_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in FRAMEWORKS and is_private(n)]
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")


def private_overrides(module: ModuleType) -> list[str]:
    """Methods named `_x` that our classes define over a framework base class's `_x`."""
    found = []
    for cls in vars(module).values():
        # type(), not isinstance(): a lazy proxy (Chainlit's `context`) must stay unevaluated.
        if not issubclass(type(cls), type) or cls.__module__ != module.__name__:
            continue
        framework_bases = [b for b in cls.__mro__[1:] if b.__module__.split(".")[0] in FRAMEWORKS]
        for name, member in vars(cls).items():
            if is_private(name) and inspect.isfunction(member):
                found += [f"{cls.__name__}.{name}" for b in framework_bases if name in vars(b)]
    return found


def test_no_module_imports_a_private_part_of_autogen_or_chainlit() -> None:
    offenders = {
        str(path.relative_to(REPO_ROOT)): names
        for path in source_files()
        if (names := private_framework_imports(path))
    }
    assert offenders == {}


def test_no_class_overrides_a_private_method_of_autogen_or_chainlit() -> None:
    offenders = []
    for path in source_files():
        if path.name in NOT_IMPORTABLE or "migrations" in path.parts:
            continue  # entry scripts run by Chainlit or Alembic, not importable on their own
        offenders += private_overrides(importlib.import_module(module_name(path)))
    assert offenders == []


@pytest.mark.parametrize("distribution", PINNED)
def test_the_installed_framework_is_the_version_the_lock_pins(distribution: str) -> None:
    lock = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = re.search(rf"^{re.escape(distribution)}(?:\[[^\]]*\])?==([^\s;]+)", lock, re.M)
    assert pinned, f"{distribution} is not pinned in requirements.lock"
    assert version(distribution) == pinned.group(1), (
        f"{distribution} {version(distribution)} is installed but the lock pins "
        f"{pinned.group(1)}: upgrading a frozen framework is a reviewed step"
    )
