"""Chunking keeps every character citable: spans tile the page and never cross it."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.chunking import chunk_pages, split_spans
from knowledge.documents import LedgerRow, Page

TEXTS = st.text(
    alphabet=st.sampled_from(list("abcdefghij KLM.,;!?\n\n\t€—1234567890")), max_size=5000
)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, target=st.integers(20, 900), extra=st.integers(0, 400))
def test_chunks_cover_every_non_blank_character(text: str, target: int, extra: int) -> None:
    maximum = target + extra
    spans = split_spans(text, target=target, maximum=maximum)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)  # ordered, non-overlapping
        assert end - start <= maximum
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered[start:end] = [True] * (end - start)
        previous_end = end
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def test_prefers_paragraph_then_sentence_boundaries() -> None:
    paragraph = "Revenue grew in fiscal 2023. " * 20  # ~580 chars
    text = paragraph + "\n\n" + paragraph
    spans = split_spans(text, target=600, maximum=800)
    assert [text[s:e] for s, e in spans] == [paragraph.strip(), paragraph.strip()]
    long_sentences = "The bank reviewed the file. " * 60
    for start, end in split_spans(long_sentences, target=400, maximum=500):
        assert long_sentences[start:end].endswith(".")


def test_chunks_know_their_page_span_and_ledger_rows() -> None:
    lines = ["date | party | amount"] + [
        f"2024-03-{d:02d} | Party {d} | 9,500.00" for d in range(1, 60)
    ]
    text = "\n".join(lines)
    rows = []
    offset = len(lines[0]) + 1
    for number, line in enumerate(lines[1:], start=2):
        rows.append(
            LedgerRow(sheet="Cash", row_number=number, raw={}, span=(offset, offset + len(line)))
        )
        offset += len(line) + 1
    pages = [Page(number=1, text="Cover page"), Page(number=2, text=text, label="Cash")]
    chunks = chunk_pages(
        pages,
        rows=[replace(r, page_number=2) for r in rows],
        target=300,
        maximum=400,
    )
    assert chunks[0].page == 1 and chunks[0].text == "Cover page"
    ledger_chunks = [c for c in chunks if c.page == 2]
    assert len(ledger_chunks) > 3
    for chunk in ledger_chunks:
        assert pages[1].text[chunk.start : chunk.end] == chunk.text
        assert chunk.label == "Cash"
        assert chunk.row_start is not None and chunk.row_end is not None
    assert ledger_chunks[-1].row_end == 60
    assert [c.index for c in chunks] == list(range(len(chunks)))
