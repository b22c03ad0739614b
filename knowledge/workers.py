"""The worker pool of one process: where parsing, embedding, rule checks and reports run.

Every user of a `quorum serve` shares one event loop; CPU work on it would freeze every
other conversation. Such work goes to this pool instead, one thread per core available
to the process, so many users' uploads and runs share the cores without oversubscribing
them. Long jobs are cut into short ones (embedding goes batch by batch), and the pool
takes jobs first come first served, so one user's big file never holds the others back
for longer than one job.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class WorkerPool:
    """A bounded thread pool for blocking work, awaited from the event loop."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or available_cores()
        self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="quorum-work")

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`function(*args, **kwargs)` on a worker thread; the loop stays free meanwhile."""
        loop = asyncio.get_running_loop()
        call = functools.partial(function, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
