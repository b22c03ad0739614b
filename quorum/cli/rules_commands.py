"""`quorum rules list | add | enable | disable`: the rulebook from the terminal.

The default rulebook is installed (or upgraded, if a newer version ships) before every
rules command, so the list always shows the current built-in rules with the enabled
flags users gave them, next to users' own rules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db import Database
from quorum.cli.main import app, settings_of
from quorum.cli.running import emit_json, fail, run
from quorum.settings import Settings
from tools.compliance import Rule, RulebookError, default_rulebook, parse_rules
from tools.compliance.store import (
    add_rule,
    install_rulebook,
    list_rules,
    set_rule_enabled,
)
from tools.errors import ToolError

T = TypeVar("T")

rules_app = typer.Typer(
    help="List, add, enable and disable compliance rules.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def rule_json(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity,
        "kind": rule.kind,
        "regulation": rule.regulation,
        "enabled": rule.enabled,
    }


def _with_rules(settings: Settings, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Open the database, bring the default rulebook up to date, run `action`, commit.

    A rule mistake (an unknown id, a duplicate) ends the command with its one-line
    message and nothing is committed.
    """

    async def command() -> T | ToolError:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.knowledge_config().database_url)
        try:
            await database.migrate()
            async with database.sessions() as session:
                await install_rulebook(session, default_rulebook())
                try:
                    result = await action(session)
                except ToolError as error:
                    return error
                await session.commit()
                return result
        finally:
            await database.dispose()

    outcome = run(command)
    if isinstance(outcome, ToolError):
        fail(str(outcome))
    return outcome  # type: ignore[return-value]


@rules_app.command("list")
def list_command(
    ctx: typer.Context,
    enabled_only: Annotated[bool, typer.Option("--enabled", help="Only enabled rules.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Every rule: built-in ones from the default rulebook and your own."""
    rules = _with_rules(settings_of(ctx), lambda s: list_rules(s, enabled_only=enabled_only))
    if json_output:
        emit_json({"rulebook": default_rulebook().version, "rules": [rule_json(r) for r in rules]})
        return
    for rule in rules:
        mark = "on " if rule.enabled else "off"
        typer.echo(f"{mark}  {rule.id:44} {rule.severity:8} {rule.category}")


@rules_app.command("add")
def add_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="YAML file: one rule, a list, or a rulebook.")],
    json_output: JsonFlag = False,
) -> None:
    """Add your own rules from a YAML file (same fields as the default rulebook)."""
    try:
        rules = parse_rules(path.read_text(encoding="utf-8"), source=path.name)
    except OSError as error:
        fail(f"{path.name}: cannot read it ({error.strerror}); check the path")
    except RulebookError as error:
        fail(str(error))

    async def add_all(session: AsyncSession) -> list[Rule]:
        return [await add_rule(session, rule) for rule in rules]

    added = _with_rules(settings_of(ctx), add_all)
    if json_output:
        emit_json({"rules": [rule_json(rule) for rule in added]})
    else:
        for rule in added:
            typer.echo(f"added {rule.id}")


def _toggle(ctx: typer.Context, rule_id: str, enabled: bool, json_output: bool) -> None:
    rule = _with_rules(settings_of(ctx), lambda s: set_rule_enabled(s, rule_id, enabled))
    if json_output:
        emit_json({"rule": rule_json(rule)})
    else:
        typer.echo(f"{'enabled' if rule.enabled else 'disabled'} {rule.id}")


@rules_app.command("enable")
def enable_command(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(help="The rule's id (see `quorum rules list`).")],
    json_output: JsonFlag = False,
) -> None:
    """Turn a rule on."""
    _toggle(ctx, rule_id, True, json_output)


@rules_app.command("disable")
def disable_command(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(help="The rule's id (see `quorum rules list`).")],
    json_output: JsonFlag = False,
) -> None:
    """Turn a rule off (it stays off when the default rulebook is upgraded)."""
    _toggle(ctx, rule_id, False, json_output)
