"""The `quorum` command: one Typer app whose sub-commands live in sibling modules."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from quorum.cli.running import USAGE_ERROR, fail

if TYPE_CHECKING:  # pydantic-settings costs a fifth of a second: `--help` never needs it
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
    configure_logging(verbose=verbose)
    if ctx.resilient_parsing or ctx.invoked_subcommand is None:
        return  # completion or the top-level help: no settings to build
    from quorum.settings import SettingsError, load_settings

    try:
        ctx.obj = load_settings(data_dir=data_dir)
    except SettingsError as error:
        fail(str(error), USAGE_ERROR)


class OneLineFormatter(logging.Formatter):
    """Every record on one line, without its traceback or internal ids (`-v` shows all)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.name}: {one_line(record)}"


def one_line(record: logging.LogRecord) -> str:
    message = record.getMessage().split("\nTraceback", 1)[0]
    return _RUNTIME_IDS.sub("", " ".join(message.split()))


class ShowOnce(logging.Filter):
    """The same kind of record once per command: one agent failing shows up in AutoGen's
    runtime log once per agent it was published to, always with the same words."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, " ".join(one_line(record).split()[:5]))
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


_RUNTIME_IDS = re.compile(r"_[0-9a-f]{8}-[0-9a-f-]{27}(?:/[0-9a-f-]{36})?")


def configure_logging(*, verbose: bool) -> None:
    """Warnings from every library (AutoGen's too) reach the terminal, each on one line;
    with -v, progress and full tracebacks."""
    handler = logging.StreamHandler()
    if verbose:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(OneLineFormatter())
        handler.addFilter(ShowOnce())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the top-level callback."""
    from quorum.settings import Settings

    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):  # pragma: no cover - typer always runs the callback
        raise typer.BadParameter("settings were not initialised")
    return settings
