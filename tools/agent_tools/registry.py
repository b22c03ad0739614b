"""Binding a tool to the run's dependencies (which role gets which: `agents.roles`).

A tool is written `async def tool(deps, **arguments)`; binding hides `deps` from the
schema the model sees, so the model can only fill the arguments, while the function's
docstring becomes the tool's description.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from typing import Any

from autogen_core.tools import FunctionTool

from tools.agent_tools.deps import ToolDeps

ToolFunction = Callable[..., Awaitable[Any]]


def bind_tool(func: ToolFunction, deps: ToolDeps) -> FunctionTool:
    """A FunctionTool whose schema is `func`'s signature without its first (deps) parameter."""
    hints = typing.get_type_hints(func)
    signature = inspect.signature(func)
    parameters = [
        parameter.replace(annotation=hints[parameter.name])
        for parameter in list(signature.parameters.values())[1:]
    ]

    async def bound(**arguments: Any) -> Any:
        return await func(deps, **arguments)

    # inspect.signature (and so FunctionTool's schema) reads a function's __signature__.
    vars(bound)["__signature__"] = signature.replace(
        parameters=parameters, return_annotation=hints["return"]
    )
    bound.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": hints["return"]}
    bound.__name__ = func.__name__
    bound.__qualname__ = func.__name__
    description = inspect.cleandoc(func.__doc__ or func.__name__)
    return FunctionTool(bound, description=description, name=func.__name__)
