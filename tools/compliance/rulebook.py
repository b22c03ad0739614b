"""Rulebooks as data: YAML files of rules, validated on load, versioned for upgrades.

A rule says what condition it looks for (`kind` and `params`), which taxonomy category it
reports, how severe it is, which regulation it enforces and what to do about it. Every
mistake in a rulebook (a missing field, an unknown kind, a pattern RE2 cannot compile) is
reported with the file and line, because the person fixing it is looking at the YAML.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tools.compliance.kinds import RULE_KINDS, KindParams
from tools.errors import ToolError
from tools.models import Severity

__all__ = [
    "DEFAULT_RULEBOOK",
    "Rule",
    "Rulebook",
    "RulebookError",
    "default_rulebook",
    "load_rulebook",
    "parse_rulebook",
    "parse_rules",
    "version_key",
]

DEFAULT_RULEBOOK = Path(__file__).resolve().parent.parent / "rulebooks" / "financial.yaml"


class RulebookError(ToolError):
    """A rulebook (or a rule) that cannot be used; the message names the file and line."""


class Rule(BaseModel):
    """One rule: the condition it finds and what a finding of it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]{1,99}$")
    title: str = Field(min_length=3, max_length=200)
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
    severity: Severity
    regulation: str = Field(min_length=1)
    recommendation: str = Field(min_length=1)
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    description: str = ""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in RULE_KINDS:
            known = ", ".join(sorted(RULE_KINDS))
            raise ValueError(f"unknown rule kind '{kind}' (known kinds: {known})")
        return kind

    @model_validator(mode="after")
    def _params_fit_kind(self) -> Rule:
        try:
            RULE_KINDS[self.kind].validate(self.params)
        except ValidationError as error:
            first = _most_telling(error.errors())
            where = ".".join(str(part) for part in first["loc"])
            raise PydanticCustomError(
                "rule_params",
                "params{where}: {message}",
                {
                    "where": f".{where}" if where else "",
                    "message": _plain_message(first),
                    "inner": first["loc"],
                },
            ) from None
        return self

    def compiled_params(self) -> KindParams:
        """The validated parameters of this rule's kind (cached per rule)."""
        return _validated_params(self.kind, _freeze(self.params))


class Rulebook(BaseModel):
    """A named, versioned set of rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    version: str = Field(pattern=r"^\d+(\.\d+){0,3}$")
    description: str = ""
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique_ids(self) -> Rulebook:
        seen: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                raise PydanticCustomError(
                    "duplicate_rule_id",
                    "rule id '{rule_id}' is used twice (rules {first} and {second})",
                    {"rule_id": rule.id, "first": seen[rule.id], "second": index, "index": index},
                )
            seen[rule.id] = index
        return self

    @property
    def enabled_rules(self) -> list[Rule]:
        return [rule for rule in self.rules if rule.enabled]

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def version_key(version: str) -> tuple[int, ...]:
    """`"1.10"` sorts after `"1.9"`: versions compare as tuples of integers."""
    return tuple(int(part) for part in version.split("."))


def load_rulebook(path: Path) -> Rulebook:
    """Read and validate a YAML rulebook, or raise RulebookError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise RulebookError(f"{path.name}: cannot read the rulebook ({reason})") from None
    return parse_rulebook(text, source=path.name)


def parse_rulebook(text: str, *, source: str = "rulebook") -> Rulebook:
    """Validate rulebook YAML given as text; `source` names it in error messages."""
    node, data = _load_yaml(text, source)
    if not isinstance(data, dict):
        raise RulebookError(f"{source}: a rulebook is a mapping with name, version and rules")
    try:
        return Rulebook.model_validate(data)
    except ValidationError as error:
        raise RulebookError(_describe(error, node, source)) from None


_RULE_LIST = TypeAdapter(list[Rule])


def parse_rules(text: str, *, source: str = "rules") -> list[Rule]:
    """Rules a user adds, from YAML: one rule, a list of rules, or a rulebook's `rules`."""
    node, data = _load_yaml(text, source)
    try:
        if isinstance(data, dict) and "rules" in data:
            return Rulebook.model_validate(data).rules
        if isinstance(data, dict):
            return [Rule.model_validate(data)]
        if isinstance(data, list):
            return _RULE_LIST.validate_python(data)
    except ValidationError as error:
        raise RulebookError(_describe(error, node, source)) from None
    raise RulebookError(f"{source}: expected a rule (a mapping) or a list of rules")


@lru_cache(maxsize=1)
def _default_rulebook() -> Rulebook:
    return load_rulebook(DEFAULT_RULEBOOK)


def default_rulebook() -> Rulebook:
    """The financial rulebook shipped with Quorum (covers every TAXONOMY.md category)."""
    return _default_rulebook()


def _load_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for line numbers) and the data, or a RulebookError."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise RulebookError(f"{source}{line}: {problem}; fix the YAML syntax") from None


def _most_telling(errors: list[Any]) -> Any:
    """An unknown key usually explains the "missing field" next to it: report it first."""
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])


def _plain_message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}' (check its spelling)"
    if error["type"] == "missing":
        return "this field is required"
    return str(error["msg"]).removeprefix("Value error, ")


def _describe(error: ValidationError, root: yaml.Node | None, source: str) -> str:
    first = _most_telling(error.errors())
    loc: list[Any] = list(first["loc"])
    context = first.get("ctx") or {}
    if first["type"] == "duplicate_rule_id":
        loc = [*loc, "rules", context["index"], "id"]
    elif first["type"] == "rule_params":
        loc = [*loc, "params", *context.get("inner", ())]
    line = _line_of(root, loc)
    where = _path_text(loc)
    at = f" line {line}" if line else ""
    message = context["message"] if first["type"] == "rule_params" else _plain_message(first)
    return f"{source}{at}: {where}: {message}; correct the file and try again"


def _path_text(loc: list[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "rulebook"


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """1-based line of the deepest YAML node along `loc` (a pydantic error location)."""
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(item) for item in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__list__":
        return [_thaw(item) for item in value[1]]
    if isinstance(value, tuple):
        return {key: _thaw(item) for key, item in value}
    return value


@lru_cache(maxsize=1024)
def _validated_params(kind: str, frozen_params: Any) -> KindParams:
    return RULE_KINDS[kind].validate(_thaw(frozen_params))
