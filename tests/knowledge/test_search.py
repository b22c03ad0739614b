"""Retrieval on small synthetic filings: query analysis, page context, routing and fusion,
with the real LanceDB store and the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunking import chunk_pages
from knowledge.config import EmbeddingConfig
from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.embeddings import Embedder, build_embedder
from knowledge.retrieval.pages import page_context
from knowledge.retrieval.profile import header_line, profile_document
from knowledge.retrieval.query import analyse, content_of, fiscal_years
from knowledge.retrieval.routing import document_priors
from knowledge.retrieval.statements import Statement, statement_in_title, statements_named
from knowledge.search import Retriever, SearchFilter
from knowledge.search_text import document_profile, read_context, search_texts
from knowledge.store import ChunkStore, chunk_id
from knowledge.store_profile import legacy_profile

COVER = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION
FORM 10-K
ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended December 31, {year}
Harbor Lights Corporation
(Exact name of registrant as specified in its charter)
Title of each class Trading Symbol(s) Name of each exchange on which registered
Common Stock HBLT New York Stock Exchange"""

CONTENTS = """Table of Contents
Index to Consolidated Financial Statements
Consolidated Statements of Operations 40
Consolidated Balance Sheets 41
Consolidated Statements of Cash Flows 42"""

MD_AND_A = """Item 7. Management's Discussion and Analysis
Liquidity and capital resources. Cash flows from operating activities rose as collections
improved. We discuss the balance sheet and the statement of cash flows below. Capital
spending on new distribution centres continued and we expect it to remain elevated."""


def _statement(title: str, rows: list[str], year: int) -> str:
    lines = ["Harbor Lights Corporation", title, "(In millions)", f"{year} {year - 1}"]
    lines += [f"{row} {1000 + 37 * i:,}.0 {900 + 29 * i:,}.0" for i, row in enumerate(rows)]
    return "\n".join(lines)


def _filing(year: int) -> list[str]:
    return [
        COVER.format(year=year),
        CONTENTS,
        MD_AND_A,
        _statement(
            "Consolidated Statements of Operations",
            [
                "Net sales",
                "Cost of sales",
                "Gross profit",
                "Operating income",
                "Net income",
                "Interest expense",
                "Income before taxes",
                "Basic earnings per share",
            ],
            year,
        ),
        _statement(
            "Consolidated Balance Sheets",
            [
                "Cash and cash equivalents",
                "Inventories",
                "Total current assets",
                "Property and equipment, net",
                "Total assets",
                "Accounts payable",
                "Total current liabilities",
                "Total liabilities",
            ],
            year,
        ),
        _statement(
            "Consolidated Statement of Cash Flow s",
            [
                "Net income",
                "Depreciation and amortization",
                "Net cash provided by operating",
                "Purchases of property and equipment",
                "Net cash used in investing",
                "Dividends paid",
                "Net cash used in financing",
                "Net change in cash",
            ],
            year,
        ),
    ]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return build_embedder(EmbeddingConfig(), cache_dir=Path.home() / ".cache" / "quorum")


def _index(
    store: ChunkStore, embedder: Embedder, document_id: str, filename: str, pages: list[str]
) -> None:
    parsed = ParsedDocument(DocType.PDF, [Page(i + 1, text) for i, text in enumerate(pages)])
    chunks = chunk_pages(parsed.pages)
    profile = document_profile(filename, parsed)
    texts = search_texts(profile, parsed, chunks)
    store.add_chunks(document_id, "analyst", chunks, texts, profile=profile)
    ids = [chunk_id(document_id, chunk.index) for chunk in chunks]
    store.add_vectors(document_id, "analyst", ids, embedder.embed_documents(texts))


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Retriever:
    store = ChunkStore(
        tmp_path_factory.mktemp("search") / "lancedb",
        embedding_model=embedder.model_name,
        dimension=embedder.dimension,
    )
    _index(store, embedder, "harbor18", "harbor-lights-2018-annual.pdf", _filing(2018))
    _index(store, embedder, "harbor19", "harbor-lights-2019-annual.pdf", _filing(2019))
    other = [
        page.replace("Harbor Lights", "Quarry Stone").replace("HBLT", "QRST")
        for page in _filing(2019)
    ]
    _index(store, embedder, "quarry19", "quarry-stone-2019-annual.pdf", other)
    return Retriever(store, embedder)


def _pages(hits: list, k: int) -> list[tuple[str, int]]:
    seen: dict[tuple[str, int], None] = {}
    for hit in hits:
        seen.setdefault((hit.document_id, hit.page), None)
    return list(seen)[:k]


# -- query analysis ------------------------------------------------------------------------
def test_statements_are_recognised_under_every_name() -> None:
    assert statements_named(
        "Base your answer on the statement of financial position and the P&L."
    ) == [Statement.BALANCE, Statement.INCOME]
    assert statements_named("see the cash flow statement") == [Statement.CASH_FLOW]
    assert statements_named("statement of comprehensive income") == [Statement.COMPREHENSIVE]
    assert statements_named("What drove revenue growth?") == []
    assert statement_in_title("CONSOLIDATED STATEMENTS OF EARNINGS") is Statement.INCOME
    assert statement_in_title("Consolidated Statement of Cash Flow s") is Statement.CASH_FLOW


def test_instruction_words_are_dropped_and_fiscal_years_read() -> None:
    question = (
        "What is the FY2018 capital expenditure amount (in USD millions) for Acme? Give a "
        "response to the question by relying on the details shown in the cash flow statement."
    )
    content = content_of(question)
    assert "2018" in content and "capital expenditure" in content and "Acme" in content
    for word in ("response", "relying", "details", "shown", "FY2018", "USD"):
        assert word not in content.split()
    analysis = analyse(question)
    assert analysis.statements == (Statement.CASH_FLOW,)
    assert analysis.target_year == 2018
    assert any("purchases of property" in items for items in analysis.expansions)
    assert fiscal_years("As of FY 2021, what will it pay in 2024?") == (2021,)
    assert fiscal_years("between 2021 and 2022") == (2021, 2022)
    assert analyse("net revenue in Q2 of FY2024").quarter == 2
    assert analyse("to the best of your abilities, Best Buy").content.startswith("Best Buy")


def test_figures_imply_the_statements_that_report_them() -> None:
    assert analyse("What is the working capital?").implied_statements == (Statement.BALANCE,)
    implied = analyse("days payable outstanding").implied_statements
    assert Statement.BALANCE in implied and Statement.INCOME in implied


# -- indexed context -----------------------------------------------------------------------
def test_statement_pages_are_told_from_contents_and_prose() -> None:
    filing = _filing(2019)
    assert page_context(filing[5]).statement is Statement.CASH_FLOW
    assert page_context(filing[4]).statement is Statement.BALANCE
    assert "Consolidated Balance Sheets" in page_context(filing[4]).heading
    assert page_context(filing[1]).statement is None  # contents page names them all
    assert page_context(filing[2]).statement is None  # prose that mentions them


def test_profile_is_read_from_the_cover_and_an_old_header_line_still_reads_back() -> None:
    profile = profile_document("harbor lights 2019 annual", [COVER.format(year=2019)])
    assert profile.names[0] == "Harbor Lights"
    assert profile.tickers == ("HBLT",) and profile.form == "10-K" and profile.year == 2019
    assert legacy_profile(header_line(profile)) == profile  # what the migration reads
    undated = profile_document("harbor lights annual", [COVER.format(year=2017)])
    assert undated.year == 2017


def test_search_text_carries_profile_and_statement() -> None:
    parsed = ParsedDocument(DocType.PDF, [Page(i + 1, t) for i, t in enumerate(_filing(2019))])
    chunks = chunk_pages(parsed.pages)
    profile = document_profile("harbor-lights-2019.pdf", parsed)
    assert profile.year == 2019 and profile.names == ("Harbor Lights",)
    texts = search_texts(profile, parsed, chunks)
    on_cash_flow = [t for c, t in zip(chunks, texts, strict=True) if c.page == 6]
    assert all(read_context(text).statement is Statement.CASH_FLOW for text in on_cash_flow)
    assert texts[0].startswith(header_line(profile))  # the indexes see company and period
    assert not texts[-1].startswith(header_line(profile))
    assert all(text.endswith(chunk.text) for chunk, text in zip(chunks, texts, strict=True))


def test_questions_are_routed_to_the_company_and_year_they_name() -> None:
    profiles = {
        "bb19": profile_document(
            "BESTBUY 2019 10K", ["BEST BUY CO., INC.\n(Exact name of registrant)"]
        ),
        "bb23": profile_document("BESTBUY 2023 10K", []),
        "jnj": profile_document(
            "JOHNSON JOHNSON 2023 8K",
            [
                "Johnson & Johnson\n(Exact name "
                "of registrant as specified)\nCommon Stock JNJ New York Stock Exchange"
            ],
        ),
    }
    priors = document_priors(analyse("Best Buy inventories in FY2019"), profiles)
    assert priors["bb19"] > priors["bb23"] > priors["jnj"]
    priors = document_priors(analyse("Which segment will JnJ separate in 2023?"), profiles)
    assert max(priors, key=lambda d: priors[d]) == "jnj"
    assert document_priors(analyse("a best buy for 2023"), profiles)["bb23"] > 0.6


# -- retrieval end to end ------------------------------------------------------------------
def test_naming_the_cash_flow_statement_ranks_its_page_first(retriever: Retriever) -> None:
    question = (
        "What is the FY2019 capital expenditure amount in USD millions? Give a response to "
        "the question by relying on the details shown in the cash flow statement."
    )
    where = SearchFilter(owner="analyst", document_ids=["harbor19"])
    for mode in ("hybrid", "text"):
        hits = retriever.search(question, k=5, where=where, mode=mode)
        assert _pages(hits, 1) == [("harbor19", 6)], mode


def test_balance_sheet_question_finds_the_balance_sheet(retriever: Retriever) -> None:
    question = "Using the statement of financial position, what were total current assets?"
    where = SearchFilter(owner="analyst", document_ids=["harbor18"])
    assert _pages(retriever.search(question, k=3, where=where), 1) == [("harbor18", 5)]


def test_fiscal_year_and_company_pick_the_filing(retriever: Retriever) -> None:
    where = SearchFilter(owner="analyst")
    question = "What were Harbor Lights' FY2019 total current assets? Use the balance sheet."
    assert _pages(retriever.search(question, k=3, where=where), 1) == [("harbor19", 5)]
    question = "What were Harbor Lights' FY2018 total current assets? Use the balance sheet."
    assert _pages(retriever.search(question, k=3, where=where), 1) == [("harbor18", 5)]
    question = "What was Quarry Stone's net income in FY2019 per its income statement?"
    assert _pages(retriever.search(question, k=3, where=where), 1) == [("quarry19", 4)]


def test_every_mode_answers_and_respects_the_owner(retriever: Retriever) -> None:
    for mode in ("hybrid", "text", "vector"):
        hits = retriever.search("inventories", k=4, where=SearchFilter(owner="analyst"), mode=mode)
        assert 0 < len(hits) <= 4, mode
        assert (
            retriever.search("inventories", k=4, where=SearchFilter(owner="nobody"), mode=mode)
            == []
        )
    assert retriever.search("   ", k=4, where=SearchFilter(owner="analyst")) == []


def test_query_syntax_is_plain_text(retriever: Retriever) -> None:
    where = SearchFilter(owner="analyst", document_ids=["harbor19"])
    odd = 'P&L: "net income" AND (capex) OR -loss* \\ [FY2019] {x} ~2 ^3 title:cash'
    for mode in ("hybrid", "text", "vector"):
        assert retriever.search(odd, k=3, where=where, mode=mode), mode


def test_full_text_and_structure_work_before_any_vector(tmp_path: Path, embedder: Embedder) -> None:
    store = ChunkStore(
        tmp_path / "lancedb", embedding_model=embedder.model_name, dimension=embedder.dimension
    )
    parsed = ParsedDocument(DocType.PDF, [Page(i + 1, t) for i, t in enumerate(_filing(2019))])
    chunks = chunk_pages(parsed.pages)
    profile = document_profile("harbor-2019.pdf", parsed)
    store.add_chunks("early", "analyst", chunks, search_texts(profile, parsed, chunks))
    retriever = Retriever(store, embedder)
    question = "What were total current assets? Use the balance sheet."
    for mode in ("hybrid", "text"):
        hits = retriever.search(question, k=3, where=SearchFilter(owner="analyst"), mode=mode)
        assert _pages(hits, 1) == [("early", 5)], mode
    assert retriever.search(question, k=3, where=SearchFilter(owner="analyst"), mode="vector") == []
