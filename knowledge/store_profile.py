"""The document profile as columns of the chunk store, and the upgrade of older tables.

Every chunk row carries its document's profile (company names, tickers, form, fiscal
year and quarter) in one struct column, written with the chunks in the same commit.
Before this column existed, the profile was kept only as the first line of a document's
first indexed text ("Document: 3M 2018 10K · company: 3M · form: 10-K · fiscal period:
FY2018"); a table in that format is rewritten once, with the column filled from that
line (`with_profile_column`), the one place the line is still read.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from knowledge.retrieval.profile import DocumentProfile

PROFILE_COLUMN = "profile"
PROFILE_TYPE = pa.struct(
    [
        pa.field("title", pa.string()),
        pa.field("names", pa.list_(pa.string())),
        pa.field("tickers", pa.list_(pa.string())),
        pa.field("form", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("quarter", pa.int32()),
    ]
)
LEGACY_PREFIX = "Document:"
_LEGACY_SEPARATOR = " · "
FIRST_CHUNK_SUFFIX = ":000000"


def profile_record(profile: DocumentProfile) -> dict[str, Any]:
    """A profile as the value of the profile column."""
    return {
        "title": profile.title,
        "names": list(profile.names),
        "tickers": list(profile.tickers),
        "form": profile.form,
        "year": profile.year,
        "quarter": profile.quarter,
    }


def profile_of(record: dict[str, Any]) -> DocumentProfile:
    """The profile a profile column holds."""
    return DocumentProfile(
        title=record["title"] or "",
        names=tuple(record["names"] or ()),
        tickers=tuple(record["tickers"] or ()),
        form=record["form"],
        year=record["year"],
        quarter=record["quarter"],
    )


def legacy_profile(line: str) -> DocumentProfile | None:
    """The profile an earlier version wrote as an indexed text's first line, else None."""
    if not line.startswith(LEGACY_PREFIX):
        return None
    title, *fields = line[len(LEGACY_PREFIX) :].strip().split(_LEGACY_SEPARATOR)
    values = dict(field.split(": ", 1) for field in fields if ": " in field)
    period = values.get("fiscal period", "")
    year = re.search(r"FY(\d{4})", period)
    quarter = re.search(r"Q([1-4])", period)
    return DocumentProfile(
        title=title.strip(),
        names=tuple(n for n in values.get("company", "").split("; ") if n),
        tickers=tuple(values.get("ticker", "").split()),
        form=values.get("form"),
        year=int(year.group(1)) if year else None,
        quarter=int(quarter.group(1)) if quarter else None,
    )


def with_profile_column(old: pa.Table, schema: pa.Schema) -> pa.Table:
    """`old` (chunk rows without the profile column) in `schema`: every row of a document
    gets the profile read from its first chunk's indexed text."""
    columns = (old.column(name).to_pylist() for name in ("chunk_id", "document_id", "search_text"))
    profiles = {
        document: legacy_profile(text.split("\n", 1)[0])
        for chunk, document, text in zip(*columns, strict=True)
        if chunk.endswith(FIRST_CHUNK_SUFFIX)
    }
    values = []
    for document in old.column("document_id").to_pylist():
        profile = profiles.get(document)
        values.append(profile_record(profile) if profile is not None else None)
    column = pa.array(values, PROFILE_TYPE)
    upgraded = old.append_column(pa.field(PROFILE_COLUMN, PROFILE_TYPE), column)
    return upgraded.select(schema.names).cast(schema)
