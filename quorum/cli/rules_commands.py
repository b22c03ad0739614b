"""`quorum rules list | add | enable | disable`: the rulebook from the terminal.

The same store as the chat and `quorum analyze` (`agents.rulebooks.rulebook_store`, the
rulebook named by `QUORUM_RULEBOOK`): its built-in rules are installed (or upgraded, if a
newer version ships) before every rules command, so the list always shows the current
built-in rules with the enabled flags users gave them, next to users' own rules. Rules
are shared by everyone using the data directory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from quorum.cli.main import app, settings_of
from quorum.cli.running import emit_json, fail, run

if TYPE_CHECKING:  # the store is imported when a command runs
    from quorum.settings import Settings
    from tools.agent_tools import SqlRulebooks
    from tools.compliance import Rule, Rulebook

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


def _with_rules(settings: Settings, action: Callable[[SqlRulebooks], Awaitable[T]]) -> T:
    """Open the database and the rulebook store, run `action`; a rule mistake (an unknown
    id, a duplicate) ends the command with its one-line message."""
    from agents.errors import TeamError
    from agents.rulebooks import rulebook_store
    from knowledge.db import Database
    from tools.errors import ToolError

    async def command() -> T | str:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.knowledge_config().database_url)
        try:
            await database.migrate()
            return await action(rulebook_store(database.sessions, settings.rulebook))
        except (ToolError, TeamError) as error:
            return str(error)
        finally:
            await database.dispose()

    outcome = run(command)
    if isinstance(outcome, str):
        fail(outcome)
    return outcome


@rules_app.command("list")
def list_command(
    ctx: typer.Context,
    enabled_only: Annotated[bool, typer.Option("--enabled", help="Only enabled rules.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Every rule: built-in ones from the rulebook and your own."""
    settings = settings_of(ctx)
    rulebook: Rulebook = _with_rules(settings, lambda store: store.current(owner=""))
    rules = [rule for rule in rulebook.rules if rule.enabled or not enabled_only]
    if json_output:
        emit_json({"rulebook": rulebook.version, "rules": [rule_json(r) for r in rules]})
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
    from tools.compliance import RulebookError, parse_rules

    try:
        rules = parse_rules(path.read_text(encoding="utf-8"), source=path.name)
    except OSError as error:
        fail(f"{path.name}: cannot read it ({error.strerror}); check the path")
    except RulebookError as error:
        fail(str(error))
    settings = settings_of(ctx)
    _with_rules(settings, lambda store: store.add_rules(rules, owner=settings.local_user))
    if json_output:
        emit_json({"rules": [rule_json(rule) for rule in rules]})
    else:
        for rule in rules:
            typer.echo(f"added {rule.id}")


def _toggle(ctx: typer.Context, rule_id: str, enabled: bool, json_output: bool) -> None:
    settings = settings_of(ctx)
    rulebook: Rulebook = _with_rules(
        settings, lambda store: store.set_enabled(rule_id, enabled, owner=settings.local_user)
    )
    rule = rulebook.rule(rule_id)
    assert rule is not None  # set_enabled refuses an unknown id
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
