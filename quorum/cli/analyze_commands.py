"""`quorum analyze PATH...`: ingest, check, score, save and report each file in one command.

Only the command's declaration lives here; the work (`quorum.cli.analyzing`, which needs
the whole stack) is imported when the command runs, so `quorum --help` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quorum.cli.main import app, settings_of

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.command()
def analyze(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files to analyse (ingested if new).")],
    json_output: JsonFlag = False,
    report_dir: Annotated[
        Path | None,
        typer.Option("--report-dir", help="Where reports go (default <data-dir>/reports)."),
    ] = None,
) -> None:
    """Check files against the enabled rules, score compliance and risk, write the reports."""
    from quorum.cli.analyzing import analyze_command

    analyze_command(settings_of(ctx), paths, json_output=json_output, report_dir=report_dir)
