"""`make bench-load`: N analysts at once on one real `quorum serve`, on SQLite and PostgreSQL.

Each simulated analyst (default 10) logs in over HTTP and socket.io on 127.0.0.1, uploads a
real filing from ../shared/data plus a ledger of their own, and asks two questions; every
analyst runs the workload once, so the run stops by itself (and a time limit ends it if the
server stalls). Per backend it prints time to the first agent message, to the first team
turn and to the report, the questions' answer latency (p50/p95), errors, the server's peak
RSS, and the same figures for the same workloads run one analyst at a time in the same
run, so the throughput ratio shows what concurrency costs and gains. Afterwards it checks
that every upload, thread, step and finding landed (SQL and LanceDB against what was sent
and shown) and that no analyst's socket received another analyst's events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp

from benchmarks.load_analyst import (
    Server,
    TimedClient,
    Timings,
    Workload,
    run_analyst,
    running_server,
)
from benchmarks.load_checks import Completeness, check_completeness
from benchmarks.postgres_server import PostgresServer, PostgresUnavailable, start_postgres
from chat.passwords import hash_password
from knowledge.library import KnowledgeBase
from quorum.settings import Settings

FILINGS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "financebench-dev"
QUESTION = "What did the company report as revenue, and where in the filing does it say so?"


def smallest_filings(count: int, folder: Path = FILINGS) -> list[Path]:
    """`count` real filings, the smallest first (repeated when there are fewer)."""
    pdfs = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if not pdfs:
        raise SystemExit(f"no filings in {folder}: clone the project beside ../shared")
    return [pdfs[i % len(pdfs)] for i in range(count)]


def write_ledger(folder: Path, marker: str) -> Path:
    """A branch cash ledger whose customer only this analyst has: deposits just under the
    reporting threshold (structuring) and a wire to a sanctioned jurisdiction."""
    rows = [
        f"2024-03-{day:02d},{marker},cash deposit,9{day}50.00,USD,US,counter" for day in (1, 2, 4)
    ]
    rows.append(f"2024-03-07,{marker},wire out,185000.00,USD,IR,consulting fee")
    path = folder / f"cash_ledger_{marker.split()[0].lower()}.csv"
    path.write_text(
        "date,party,type,amount,currency,country,memo\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def workloads(users: int, folder: Path, filings: Sequence[Path] | None = None) -> list[Workload]:
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(filings) if filings else smallest_filings(users)
    work = []
    for number in range(users):
        marker = f"Zephyr{number:02d} Holdings"
        work.append(
            Workload(
                user=f"analyst{number:02d}",
                password=f"pw-{number:02d}-load",
                filing=chosen[number % len(chosen)],
                ledger=write_ledger(folder, marker),
                marker=marker,
                questions=(QUESTION, f"Where do our documents mention {marker} cash deposits?"),
            )
        )
    return work


@dataclass
class ScenarioResult:
    backend: str
    mode: str  # "concurrent" or "one at a time"
    users: int
    wall_s: float
    timings: list[Timings]
    peak_rss_mb: float
    completeness: Completeness
    load: list[float]  # the machine's 1-minute load average, every few seconds of the run

    @property
    def throughput_per_min(self) -> float:
        finished = sum(1 for t in self.timings if _finished(t))
        return 60.0 * finished / self.wall_s if self.wall_s else 0.0


def _finished(timings: Timings) -> bool:
    return timings.report is not None and len(timings.answers) == 2 and None not in timings.answers


def _peak_rss_mb(pid: int) -> float:
    """VmHWM of the server and its worker processes (parsing), in MB."""
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(c) for c in children.read_text().split()]
    total = 0
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmHWM:")), 0)  # fmt: skip
    return total / 1024


async def _sample_load(into: list[float], every_s: float = 5.0) -> None:
    """The machine is shared: what else ran beside the benchmark, as the load average."""
    while True:
        into.append(os.getloadavg()[0])
        await asyncio.sleep(every_s)


async def _drive(server: Server, work: Sequence[Workload], *, concurrent: bool,
                 limit_s: float) -> tuple[list[Timings], list[TimedClient], float]:  # fmt: skip
    timings = [Timings() for _ in work]
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in work]
    clients = [TimedClient(server, http) for http in sessions]
    started = time.monotonic()
    runs = [run_analyst(c, w, t) for c, w, t in zip(clients, work, timings, strict=True)]
    try:
        if concurrent:
            await _within(asyncio.gather(*runs), limit_s, timings)
        else:
            for run in runs:
                await _within(run, max(1.0, limit_s - (time.monotonic() - started)), timings)
        wall = time.monotonic() - started
    finally:
        for client, http in zip(clients, sessions, strict=True):
            await client.close()
            await http.close()
    return timings, clients, wall


async def _within(run: object, limit_s: float, timings: list[Timings]) -> None:
    try:
        await asyncio.wait_for(run, limit_s)  # type: ignore[arg-type]
    except TimeoutError:
        for each in timings:
            if not _finished(each):
                each.errors.append(f"did not finish within {limit_s:.0f} s")


async def run_scenario(
    backend: str, work: Sequence[Workload], root: Path, *, concurrent: bool,
    postgres: PostgresServer | None = None, limit_s: float = 1200.0,
) -> ScenarioResult:  # fmt: skip
    """One fresh server (data dir, database), the workloads, then the completeness checks."""
    mode = "concurrent" if concurrent else "one at a time"
    data = root / f"{backend}-{len(work)}-{'c' if concurrent else 's'}" / "data"
    database = await postgres.create_database(prefix="load") if postgres else None
    url = postgres.url(database) if postgres and database else None
    users = {w.user: hash_password(w.password, iterations=1_000) for w in work}
    extra = {"database_url": url} if url else {}
    try:
        load: list[float] = []
        with running_server(data, auth="password", users=json.dumps(users), **extra) as server:
            sampler = asyncio.create_task(_sample_load(load))
            try:
                timings, clients, wall = await _drive(
                    server, work, concurrent=concurrent, limit_s=limit_s
                )
            finally:
                sampler.cancel()
            rss = _peak_rss_mb(server.process.pid)
        settings = Settings(_env_file=None, data_dir=data, database_url=url)
        knowledge = await KnowledgeBase.open(settings.knowledge_config())
        try:
            completeness = await check_completeness(knowledge, work, clients)
        finally:
            await knowledge.close()
    finally:
        if postgres and database:
            await postgres.drop_database(database)
    return ScenarioResult(backend, mode, len(work), wall, timings, rss, completeness, load)


def _quantiles(values: Sequence[float | None]) -> str:
    got = sorted(v for v in values if v is not None)
    if not got:
        return "—"
    p50 = statistics.median(got)
    p95 = got[min(len(got) - 1, round(0.95 * (len(got) - 1)))]
    return f"{p50:5.1f} / {p95:5.1f}"


def summary_rows(result: ScenarioResult) -> dict[str, str]:
    t = result.timings
    return {
        "backend": result.backend,
        "mode": f"{result.users} {result.mode}",
        "first agent msg s p50/p95": _quantiles([x.first_message for x in t]),
        "first team turn s": _quantiles([x.first_turn for x in t]),
        "report s": _quantiles([x.report for x in t]),
        "answer s": _quantiles([a for x in t for a in x.answers]),
        "errors": str(sum(len(x.errors) for x in t)),
        "peak RSS MB": f"{result.peak_rss_mb:.0f}",
        "wall s": f"{result.wall_s:.0f}",
        "analysts/min": f"{result.throughput_per_min:.2f}",
        "load avg": _load_range(result.load),
        "complete": "yes" if result.completeness.complete else "NO",
    }


def _load_range(load: Sequence[float]) -> str:
    return f"{min(load):.1f}–{max(load):.1f}" if load else "—"


def print_report(results: Sequence[ScenarioResult]) -> None:
    rows = [summary_rows(r) for r in results]
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-|-".join("-" * widths[c] for c in columns))
    for row in rows:
        print(" | ".join(row[c].ljust(widths[c]) for c in columns))
    for backend in dict.fromkeys(r.backend for r in results):
        pair = {r.mode: r for r in results if r.backend == backend}
        many, one = pair.get("concurrent"), pair.get("one at a time")
        if many and one and one.throughput_per_min:
            ratio = many.throughput_per_min / one.throughput_per_min
            print(f"{backend}: throughput {ratio:.2f}× the one-at-a-time rate")
    for result in results:
        c = result.completeness
        print(f"{result.backend} {result.mode}: {c.documents} documents, {c.threads} threads, "
              f"{c.steps} steps, {c.elements} elements, {c.findings} findings checked in SQL "
              "and LanceDB")  # fmt: skip
        for problem in c.problems:
            print(f"  ✗ {problem}")
        for number, timing in enumerate(result.timings):
            for error in timing.errors:
                print(f"  ! analyst{number:02d}: {error}")


async def run_bench(args: argparse.Namespace) -> list[ScenarioResult]:
    root = Path(tempfile.mkdtemp(prefix="quorum-load-"))
    work = workloads(args.users, root / "ledgers")
    results: list[ScenarioResult] = []
    try:
        await _run_backends(args, work, root, results)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return results


async def _run_backends(
    args: argparse.Namespace, work: list[Workload], root: Path, results: list[ScenarioResult]
) -> None:
    for backend in args.backends.split(","):
        postgres = None
        if backend == "postgresql":
            try:
                postgres = await asyncio.to_thread(start_postgres)
            except PostgresUnavailable as error:
                print(f"postgresql skipped: {error}", file=sys.stderr)
                continue
        try:
            modes = [True, False] if args.baseline else [True]
            for concurrent in modes:
                results.append(await run_scenario(
                    backend, work, root, concurrent=concurrent, postgres=postgres,
                    limit_s=args.limit_s,
                ))  # fmt: skip
        finally:
            if postgres:
                postgres.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the one-analyst-at-a-time run")  # fmt: skip
    parser.add_argument("--limit-s", type=float, default=1200.0, help="time limit per run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = asyncio.run(run_bench(args))
    if not results:
        return 1
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], default=str, indent=1))
    return 0 if all(r.completeness.complete for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
