"""`make bench`: ingestion speed and retrieval quality on real filings (FinanceBench dev).

Everything is measured in one run on this machine, baselines included, so the numbers
can be compared as ratios even when the machine is busy:
- pypdf extraction pages/s on the largest filing;
- end-to-end ingest pages/s over the whole set, parsing apart (the set is indexed once
  into BENCH_DIR, `benchmarks/bench_index.py`; later runs reuse it and print what the
  build cost);
- time until the largest filing is searchable by full text and until it is fully indexed;
- peak RSS;
- page-level recall@1/3/5/10 of the questions' evidence pages, within the question's document
  and across the collection, for hybrid, full-text and vector search, and for three baselines
  that use none of the retriever's question reading: BM25 over whole pages, the raw question's
  vector against the chunk vectors, and plain reciprocal-rank fusion of those two;
- query latency p50/p95 for each;
- recall@5 of hybrid on the odd and even questions separately, which should move together
  (a change that helps only one half is tuned to questions, not to filings).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lancedb
from lancedb.index import FTS

from benchmarks.bench_index import OWNER, config_for, open_index
from knowledge.ingest import IngestProgress
from knowledge.library import KnowledgeBase
from knowledge.parsing import parse_file

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "financebench-dev"
KS = (1, 3, 5, 10)
Ranker = Callable[[str, str | None], list[tuple[str, int]]]  # -> ranked (document_id, page)


@dataclass(frozen=True)
class Question:
    text: str
    doc_name: str
    pages: frozenset[int]  # 1-based


def load_questions(folder: Path) -> list[Question]:
    questions = []
    for line in (folder / "questions.jsonl").read_text().splitlines():
        item = json.loads(line)
        pages = frozenset(e["evidence_page_num"] + 1 for e in item["evidence"])
        questions.append(Question(item["question"], item["doc_name"], pages))
    return questions


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def distinct_pages(hits: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: dict[tuple[str, int], None] = {}
    for hit in hits:
        seen.setdefault(hit, None)
    return list(seen)


async def time_largest(pdf: Path) -> dict[str, float]:
    """Seconds until the largest filing is searchable by full text, and fully indexed."""
    with tempfile.TemporaryDirectory() as scratch:
        kb = await KnowledgeBase.open(config_for(Path(scratch)))
        marks: dict[str, float] = {}
        start = time.perf_counter()

        async def progress(event: IngestProgress) -> None:
            if event.stage == "embedding" and "searchable" not in marks:
                marks["searchable"] = time.perf_counter() - start
            if event.stage == "ready":
                marks["ready"] = time.perf_counter() - start

        (result,) = await kb.ingest([pdf], owner=OWNER, on_progress=progress)
        marks["pages"] = result.pages
        marks["chunks"] = result.chunks
        await kb.close()
        return marks


def extraction_speed(pdf: Path) -> float:
    start = time.perf_counter()
    parsed = parse_file(pdf, max_bytes=1 << 31)
    return parsed.page_count / (time.perf_counter() - start)


class PageBM25:
    """Baseline: BM25 over whole pages (LanceDB native FTS, default analyser)."""

    def __init__(self, folder: Path, pages: list[dict[str, object]]) -> None:
        database = lancedb.connect(str(folder))
        self.table = database.create_table("pages", data=pages, mode="overwrite")
        self.table.create_index("text", config=FTS())

    def rank(self, query: str, document_id: str | None, limit: int = 50) -> list[tuple[str, int]]:
        search = self.table.search(query, query_type="fts")
        if document_id:
            search = search.where(f"document_id = '{document_id}'", prefilter=True)
        return [(r["document_id"], r["page"]) for r in search.limit(limit).to_list()]


def rrf(*rankings: list[tuple[str, int]], k: int = 60) -> list[tuple[str, int]]:
    scores: dict[tuple[str, int], float] = {}
    for ranking in rankings:
        for rank, item in enumerate(distinct_pages(ranking)):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores, key=lambda item: scores[item], reverse=True)


def evaluate(
    name: str, ranker: Ranker, questions: list[Question], ids: dict[str, str]
) -> dict[str, object]:
    within = dict.fromkeys(KS, 0)
    across = dict.fromkeys(KS, 0)
    latencies = []
    for question in questions:
        document_id = ids[question.doc_name]
        start = time.perf_counter()
        local = distinct_pages(ranker(question.text, document_id))
        latencies.append(time.perf_counter() - start)
        everywhere = distinct_pages(ranker(question.text, None))
        for k in KS:
            within[k] += any(page in question.pages for _, page in local[:k])
            across[k] += any(
                doc == document_id and page in question.pages for doc, page in everywhere[:k]
            )
    count = len(questions)
    latencies.sort()
    return {
        "name": name,
        "within": {k: within[k] / count for k in KS},
        "across": {k: across[k] / count for k in KS},
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
    }


def halves(ranker: Ranker, questions: list[Question], ids: dict[str, str]) -> str:
    """Within-document recall@5 on the even and the odd questions."""
    shares = []
    for half in (questions[0::2], questions[1::2]):
        hits = sum(
            any(page in q.pages for _, page in distinct_pages(ranker(q.text, ids[q.doc_name]))[:5])
            for q in half
        )
        shares.append(f"{hits / max(len(half), 1):.2f}")
    return " / ".join(shares)


async def run(data_dir: Path | None, *, retrieval_only: bool, minutes: float | None) -> None:
    pdfs = sorted(DATA.glob("*.pdf"))
    questions = load_questions(DATA)
    largest = max(pdfs, key=lambda p: p.stat().st_size)
    print(f"FinanceBench dev: {len(pdfs)} filings, {len(questions)} questions")
    if not retrieval_only:
        print(f"pypdf extraction ({largest.name}): {extraction_speed(largest):.1f} pages/s")
        marks = await time_largest(largest)
        print(
            f"largest filing ({largest.name}, {marks['pages']:.0f} pages,"
            f" {marks['chunks']:.0f} chunks):"
            f" full-text searchable after {marks['searchable']:.1f} s,"
            f" fully indexed after {marks['ready']:.1f} s"
        )
    folder = data_dir or Path(tempfile.mkdtemp(prefix="quorum-bench-"))
    kb, build, built = await open_index(folder, pdfs, minutes=minutes)  # BENCH_DIR: reused
    documents = await kb.list_documents(owner=OWNER)
    print(("ingest of the whole set, " if built else "reused ") + build.summary(documents))
    await report_retrieval(kb, folder, questions)
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    await kb.close()


async def report_retrieval(kb: KnowledgeBase, folder: Path, questions: list[Question]) -> None:
    documents = [d for d in await kb.list_documents(owner=OWNER) if d.status == "ready"]
    ids = {Path(d.filename).stem: d.document_id for d in documents}
    questions = [q for q in questions if q.doc_name in ids]
    pages = []
    for document in documents:
        parsed = await kb.load_document(document.document_id, owner=OWNER)
        pages += [
            {"document_id": document.document_id, "page": p.number, "text": p.text}
            for p in parsed.pages
        ]
    bm25 = PageBM25(folder / "baseline", pages)
    loop = asyncio.get_running_loop()

    def mode_ranker(mode: str) -> Ranker:
        def rank(query: str, document_id: str | None) -> list[tuple[str, int]]:
            future = asyncio.run_coroutine_threadsafe(
                kb.search(
                    query,
                    owner=OWNER,
                    k=max(KS),  # hits come best page first: k hits are k distinct pages
                    document_ids=[document_id] if document_id else None,
                    mode=mode,  # type: ignore[arg-type]
                ),
                loop,
            )
            return [(h.document_id, h.page) for h in future.result()]

        return rank

    def raw_vectors(query: str, document_id: str | None) -> list[tuple[str, int]]:
        """The question as asked, embedded and matched against chunk vectors; nothing else."""
        scope = [document_id] if document_id else None
        vector = kb.embedder.embed_query(query)
        hits = kb.store.vector_search(vector, limit=50, owner=OWNER, document_ids=scope)
        chunks = kb.store.chunks_by_id([chunk_id for chunk_id, _ in hits])
        return [(chunks[c].document_id, chunks[c].page) for c, _ in hits if c in chunks]

    def plain_rrf(query: str, document_id: str | None) -> list[tuple[str, int]]:
        return rrf(bm25.rank(query, document_id), raw_vectors(query, document_id))

    rankers: list[tuple[str, Ranker]] = [
        ("baseline: BM25 over pages", bm25.rank),
        ("baseline: raw vectors", raw_vectors),
        ("baseline: plain RRF", plain_rrf),
        ("full text", mode_ranker("text")),
        ("vector", mode_ranker("vector")),
        ("hybrid", mode_ranker("hybrid")),
    ]
    rows = []
    for name, ranker in rankers:
        rows.append(await asyncio.to_thread(evaluate, name, ranker, questions, ids))
    print_table(rows, len(questions))
    split = await asyncio.to_thread(halves, mode_ranker("hybrid"), questions, ids)
    print(f"hybrid within-document recall@5 on even / odd questions: {split}")


def print_table(rows: list[dict[str, Any]], count: int) -> None:
    print(f"\npage-level recall@k over {count} questions (within document | across collection)")
    header = "".join(f"  @{k:<3}" for k in KS)
    print(f"{'retriever':<28}{header} |{header} | p50 ms  p95 ms")
    best_other = {
        scope: {k: max(r[scope][k] for r in rows if r["name"] != "hybrid") for k in KS}
        for scope in ("within", "across")
    }
    for row in rows:
        within = "".join(f"  {row['within'][k]:.2f}" for k in KS)
        across = "".join(f"  {row['across'][k]:.2f}" for k in KS)
        print(f"{row['name']:<28}{within} |{across} | {row['p50_ms']:6.1f}  {row['p95_ms']:6.1f}")
    hybrid = next(r for r in rows if r["name"] == "hybrid")
    for scope in ("within", "across"):
        ratios = " ".join(
            f"@{k} {hybrid[scope][k] / max(best_other[scope][k], 1e-9):.2f}x"
            for k in KS
        )
        print(f"hybrid vs best other ({scope}): {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, help="the index of the filings, kept and reused")
    parser.add_argument(
        "--retrieval-only", action="store_true",
        help="skip the extraction and largest-filing timings (a fresh ingest of the largest)",
    )  # fmt: skip
    parser.add_argument(
        "--index-minutes", type=float,
        help="stop indexing after this long and measure the filings indexed (0: none added)",
    )  # fmt: skip
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"benchmark data not found: {DATA}")
    asyncio.run(run(args.data_dir, retrieval_only=args.retrieval_only, minutes=args.index_minutes))


if __name__ == "__main__":
    main()
