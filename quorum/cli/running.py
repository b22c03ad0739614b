"""Running async commands from the CLI with errors turned into words, never tracebacks."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any, NoReturn, TypeVar

import typer

from knowledge.errors import KnowledgeError

logger = logging.getLogger("quorum.cli")
T = TypeVar("T")

USAGE_ERROR = 2
FAILURE = 1


def run(command: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run an async command; a known error prints one line and exits non-zero."""
    try:
        return asyncio.run(command())
    except KnowledgeError as error:
        fail(str(error))
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception as error:
        logger.info("unexpected error", exc_info=True)
        fail(f"unexpected error ({type(error).__name__}: {error}); run with -v for details")


def fail(message: str, code: int = FAILURE) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def emit_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
