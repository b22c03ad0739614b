"""Tool failures as the agents see them: one readable line, never a crash of the run.

AutoGen turns an exception raised by a tool into an error result (`is_error=True`) whose
text is the exception message, and hands it back to the model, which can retry. So tools
raise `ToolArgumentError` with a message that says what to pass instead; unexpected
failures are logged with their traceback and reported in one line.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from pydantic import ValidationError

from knowledge.errors import KnowledgeError
from tools.errors import ToolError

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class ToolArgumentError(ToolError):
    """The model passed an argument the tool cannot use; the message says what would work."""


def agent_tool(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Turn every failure of a tool into a `ToolError` with a one-line message."""

    @functools.wraps(func)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await func(*args, **kwargs)
        except (ToolError, KnowledgeError) as error:
            raise ToolArgumentError(str(error)) from None
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()
            )
            raise ToolArgumentError(f"{func.__name__}: invalid input ({problems})") from None
        except Exception as error:
            logger.exception("tool %s failed", func.__name__)
            raise ToolError(
                f"{func.__name__} failed unexpectedly ({type(error).__name__}); "
                "try again, or tell the analyst this step could not be done"
            ) from None

    return guarded
