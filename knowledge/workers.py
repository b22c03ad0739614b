"""The worker pool of one process: where parsing, embedding, rule checks and reports run.

Every user of a `quorum serve` shares one event loop; CPU work on it would freeze every
other conversation. Such work goes to this pool instead, one thread per core available
to the process, so many users' uploads and runs share the cores without oversubscribing
them. Long jobs are cut into short ones (embedding goes batch by batch), and the pool
takes jobs first come first served, so one user's big file never holds the others back
for longer than one job. Background work (embedding documents whose text is already in)
yields to the rest: a batch starts only when no other job waits or runs, so parsing,
rule checks and reports of any user go first, and the index catches up in between.
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
        self._foreground = 0  # jobs submitted with `run`, queued or running
        self._quiet = asyncio.Event()
        self._quiet.set()

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`function(*args, **kwargs)` on a worker thread; the loop stays free meanwhile."""
        self._foreground += 1
        self._quiet.clear()
        try:
            return await self._submit(function, *args, **kwargs)
        finally:
            self._foreground -= 1
            if not self._foreground:
                self._quiet.set()

    async def run_background(
        self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Like `run`, but only once no foreground job waits or runs (it yields to them)."""
        while self._foreground:
            await self._quiet.wait()
        return await self._submit(function, *args, **kwargs)

    async def _submit(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(function, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
