"""The worker pool: background work (embedding an upload's vectors) yields to the rest."""

from __future__ import annotations

import asyncio
import threading

from knowledge.workers import WorkerPool


async def test_background_jobs_wait_for_foreground_jobs_and_then_run() -> None:
    pool = WorkerPool(size=2)
    release = threading.Event()
    order: list[str] = []

    def job(name: str, wait: bool = False) -> str:
        if wait:
            release.wait(10)
        order.append(name)
        return name

    try:
        parsing = asyncio.create_task(pool.run(job, "parse", wait=True))
        await asyncio.sleep(0.05)
        embedding = asyncio.create_task(pool.run_background(job, "embed"))
        await asyncio.sleep(0.2)  # a thread is free, yet the background job waits its turn
        assert order == [] and not embedding.done()
        release.set()
        assert await parsing == "parse" and await embedding == "embed"
        assert order == ["parse", "embed"]
        assert await pool.run_background(job, "alone") == "alone"  # nothing ahead: runs at once
    finally:
        pool.close()
