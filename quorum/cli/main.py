"""The `quorum` command: one Typer app whose sub-commands live in sibling modules."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from quorum.settings import Settings

app = typer.Typer(
    name="quorum",
    help="Quorum: a compliance analyst's chat room with a team of AI agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="QUORUM_DATA_DIR",
            help="Where Quorum keeps its database, index and files (default ./data).",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    """Build the settings once, at the edge, and hand them to the sub-command."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    overrides = {"data_dir": data_dir} if data_dir is not None else {}
    ctx.obj = Settings(**overrides)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the top-level callback."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):  # pragma: no cover - typer always runs the callback
        raise typer.BadParameter("settings were not initialised")
    return settings
