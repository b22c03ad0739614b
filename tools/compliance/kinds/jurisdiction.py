"""Jurisdiction lists: a payment, shipment or party located in a sanctioned place.

Places are matched by country names, regions, cities and ports ("Bandar Abbas",
"Sevastopol"), case-sensitively and as whole words. A place name is not always a
location: "Little Havana Grocers" is in Miami, "Aleppo pepper" is a spice, "born in
Havana" is a birthplace, and a policy listing the countries it refuses to deal with is
not a payment to them. Rows are judged cell by cell, sentences only when they speak of a
transaction or a party.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from tools.compliance.context import DocumentView, RowView, Segment, normalise_header
from tools.compliance.kinds.base import Hit, Regex, RuleKind, ScopedParams, compiled
from tools.compliance.kinds.ledger import row_hit
from tools.compliance.patterns import SafePattern, compile_pattern
from tools.compliance.text import clause_prefix, is_hypothetical, is_negated, is_normative

__all__ = ["JurisdictionList", "JurisdictionListParams", "Place"]

MAX_SENTENCE_EVIDENCE = 300
_NOT_PLACE_WINDOW = 60


class Place(BaseModel):
    """A sanctioned jurisdiction and every name that locates something inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    names: list[str] = Field(min_length=1)
    codes: list[str] = Field(
        default_factory=list,
        description="Country or region codes (IR, IRN, UA-43) that count only as a whole "
        "cell of a location column",
    )


class JurisdictionListParams(ScopedParams):
    jurisdictions: list[Place] = Field(min_length=1)
    not_places: list[Regex] = Field(
        default_factory=list,
        description="Phrases in which a place name is not a location (a dish, a street name)",
    )
    not_located: list[Regex] = Field(
        default_factory=list,
        description="Words earlier in the clause that make the place not where the party "
        "or payment is (born in, nationality)",
    )
    transaction_context: list[Regex] = Field(
        default_factory=list,
        description="In prose, the sentence must speak of a payment, shipment or party",
    )
    licensed: list[Regex] = Field(
        default_factory=list,
        description="Words in or around the sentence (or in the row) that make the dealing "
        "lawful, such as an OFAC licence",
    )
    licensed_radius: int = Field(default=2, ge=0, le=3)
    list_size: int = Field(
        default=3, ge=2, description="A sentence naming this many jurisdictions is a list"
    )
    name_columns: Regex = r"name|party|beneficiary|customer|client|merchant|originator|payee"
    location_columns: Regex = (
        r"country|\bctry\b|\bcntry\b|city|address|location|residence"
        r"|domicile|port|bank|\biso\b|jurisdiction|land\b|pays|país"
    )
    stopped: list[Regex] = Field(
        default_factory=list,
        description="Words that say the payment was stopped (blocked, rejected): in the row, "
        "or in the sentence",
    )
    skip_negated: bool = True
    skip_hypothetical: bool = True
    skip_normative: bool = True


class JurisdictionList(RuleKind):
    name = "jurisdiction_list"
    params_model = JurisdictionListParams

    def find(self, view: DocumentView, params: JurisdictionListParams) -> Iterator[Hit]:
        if not params.applies_to(view):
            return
        places = _places_pattern(params)
        seen: set[tuple[int, int]] = set()
        for number, page in view.pages.items():
            for start, end in places.finditer(page.text):
                segment = view.segment_at(number, start)
                if segment is None or (number, segment.start) in seen:
                    continue
                if segment.row is not None and (number, segment.row.start) in seen:
                    continue
                if not self._located(view, segment, start, end, params):
                    continue
                if segment.row is not None:
                    seen.add((number, segment.row.start))
                    yield _row_hit(segment.row, start)
                else:
                    seen.add((number, segment.start))
                    yield _sentence_hit(segment, start, end)
        yield from _coded_rows(view, params, seen)

    def _located(
        self,
        view: DocumentView,
        segment: Segment,
        start: int,
        end: int,
        params: JurisdictionListParams,
    ) -> bool:
        text = view.page_text(segment.page)
        window = text[max(0, start - _NOT_PLACE_WINDOW) : end + _NOT_PLACE_WINDOW]
        offset = max(0, start - _NOT_PLACE_WINDOW)
        if _covered(compiled(params.not_places), window, start - offset, end - offset):
            return False
        prefix = clause_prefix(text[segment.start : start])
        if any(p.matches(prefix) for p in compiled(params.not_located)):
            return False
        if segment.row is not None:
            if any(p.matches(segment.row.line) for p in compiled(params.licensed)):
                return False
            return _row_located(segment.row, start, params)
        low, high = view.neighbours(segment, params.licensed_radius)
        if any(p.matches(text[low:high]) for p in compiled(params.licensed)):
            return False
        return _sentence_located(text[segment.start : max(segment.end, end)], prefix, params)


def _coded_rows(
    view: DocumentView, params: JurisdictionListParams, seen: set[tuple[int, int]]
) -> Iterator[Hit]:
    """Rows whose country (or region) cell is just a sanctioned code, such as `IR`."""
    codes = {code.upper() for place in params.jurisdictions for code in place.codes}
    if not codes:
        return
    locations = compile_pattern(params.location_columns)
    for row in view.rows:
        if (row.page, row.start) in seen:
            continue
        cells = {*row.cells_in(locations), *row.cells_for("country"), *row.cells_for("city")}
        coded = sorted(
            (c for c in cells if c.value.strip().upper() in codes), key=lambda c: c.start
        )
        licensed = any(p.matches(row.line) for p in compiled(params.licensed))
        stopped = any(p.matches(row.line) for p in compiled(params.stopped))
        if coded and not licensed and not stopped:
            yield _row_hit(row, coded[0].start)


def _names_pattern(names: list[str]) -> SafePattern:
    """Whole-word, case-sensitive alternation of place names, longest first."""
    alternatives = []
    for name in sorted(set(names), key=len, reverse=True):
        before = r"\b" if name[:1].isalnum() else ""
        after = r"\b" if name[-1:].isalnum() else ""
        alternatives.append(before + re.escape(name) + after)
    return compile_pattern("(?:" + "|".join(alternatives) + ")", ignore_case=False)


def _places_pattern(params: JurisdictionListParams) -> SafePattern:
    return _names_pattern([n for place in params.jurisdictions for n in place.names])


def _jurisdictions_named(text: str, params: JurisdictionListParams) -> int:
    return sum(1 for place in params.jurisdictions if _names_pattern(place.names).matches(text))


def _covered(patterns: list[SafePattern], window: str, start: int, end: int) -> bool:
    """True when a not-a-place phrase overlaps the place name at [start, end)."""
    return any(s < end and start < e for p in patterns for s, e in p.finditer(window))


def _row_located(row: RowView, start: int, params: JurisdictionListParams) -> bool:
    if any(p.matches(row.line) for p in compiled(params.stopped)):
        return False
    cell = next((c for c in row.cells if c.start <= start < c.end), None)
    if cell is None:
        return False
    names, locations = (
        compile_pattern(params.name_columns),
        compile_pattern(params.location_columns),
    )
    header = normalise_header(cell.column)
    if names.matches(header) and not locations.matches(header):
        # A place inside a name ("Little Havana Grocers") only counts when the row says
        # nothing else about where the party is.
        located_elsewhere = [c for c in row.cells_in(locations) if c.value and c is not cell]
        if located_elsewhere and not any(
            _names_a_place(c.value, params) for c in located_elsewhere
        ):
            return False
    return True


def _names_a_place(text: str, params: JurisdictionListParams) -> bool:
    """A sanctioned place in `text` that is not part of a not-a-place phrase ("Cuba, MO")."""
    not_places = compiled(params.not_places)
    return any(
        not _covered(not_places, text, start, end)
        for start, end in _places_pattern(params).finditer(text)
    )


def _sentence_located(sentence: str, prefix: str, params: JurisdictionListParams) -> bool:
    if params.transaction_context and not any(
        p.matches(sentence) for p in compiled(params.transaction_context)
    ):
        return False
    if _jurisdictions_named(sentence, params) >= params.list_size:
        return False
    if any(p.matches(sentence) for p in compiled(params.stopped)):
        return False
    if params.skip_negated and is_negated(prefix):
        return False
    if params.skip_hypothetical and is_hypothetical(prefix):
        return False
    return not (params.skip_normative and is_normative(sentence))


def _row_hit(row: RowView, start: int) -> Hit:
    """The cell that names the sanctioned place."""
    return row_hit(row, [next((c for c in row.cells if c.start <= start < c.end), None)])


def _sentence_hit(segment: Segment, start: int, end: int) -> Hit:
    whole_end = max(segment.end, end)
    if whole_end - segment.start <= MAX_SENTENCE_EVIDENCE:
        return Hit(segment.page, segment.start, whole_end)
    return Hit(segment.page, start, end)
