"""Which documents a question is about, from the company, form and period it names.

Across a whole collection the right page is usually in one filing: the one of the
company the question names, for the fiscal year it names. Names are matched the way
people write them: "Best Buy" finds `BESTBUY 2023 10K` and "Best Buy Co., Inc.", "JnJ"
finds the ticker JNJ, "Coca Cola" finds "The Coca-Cola Company". A filing reports its
own year and the two before it, so a question about FY2019 still prefers a 2020 or 2021
filing of the right company to any other company's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.retrieval.profile import DocumentProfile
from knowledge.retrieval.query import QueryAnalysis

MAX_NAME_WORDS = 4
# First words of company names too common to name a company on their own.
_GENERIC_FIRST_WORDS_TEXT = """
    american general united national international first new global royal southern
    northern western eastern pacific atlantic central consolidated standard universal
    the bank
"""
_GENERIC_FIRST_WORDS = frozenset(_GENERIC_FIRST_WORDS_TEXT.split())
_WORD = re.compile(r"[A-Za-z0-9&]+")
COMPANY_WEIGHT = 0.6
YEAR_WEIGHT = 0.3
FORM_WEIGHT = 0.1


def question_words(text: str) -> list[str]:
    return _WORD.findall(text)


def name_keys(profile: DocumentProfile) -> set[str]:
    """Squeezed lower-case forms under which a question may name the company."""
    keys = set()
    for name in profile.names:
        words = [w.lower() for w in _WORD.findall(name)]
        if not words:
            continue
        keys.add("".join(words))
        if len(words) > 1 and words[0] not in _GENERIC_FIRST_WORDS and len(words[0]) > 2:
            keys.add(words[0])
        if len(words) == 2 and all(len(word) > 2 for word in words):
            keys.add(words[0][:2] + words[1][:2])  # "AmEx", "FedEx"
    keys.update(ticker.lower() for ticker in profile.tickers if len(ticker) > 1)
    return keys


def names_company(words: list[str], profile: DocumentProfile) -> bool:
    """True when some run of the question's words spells one of the company's names."""
    keys = name_keys(profile)
    for start in range(len(words)):
        joined = ""
        for count, word in enumerate(words[start : start + MAX_NAME_WORDS], start=1):
            joined += word.lower()
            if joined in keys and (count > 1 or not word.islower()):
                return True  # one lower-case word ("block") is a word, not a name ("Block")
    return False


def document_priors(
    query: QueryAnalysis, profiles: Mapping[str, DocumentProfile]
) -> dict[str, float]:
    """A 0..1 prior per document: how well its company, period and form fit the question."""
    words = question_words(query.text)
    named = {doc for doc, profile in profiles.items() if names_company(words, profile)}
    candidates = named or set(profiles)
    latest = max((profiles[d].year or 0 for d in candidates), default=0)
    priors = {}
    for document_id, profile in profiles.items():
        company = 1.0 if document_id in named else 0.0
        priors[document_id] = (
            COMPANY_WEIGHT * company
            + YEAR_WEIGHT * year_fit(query, profile, latest)
            + FORM_WEIGHT * form_fit(query, profile)
        )
    return priors


def year_fit(query: QueryAnalysis, profile: DocumentProfile, latest: int = 0) -> float:
    """1 for the filing of the year asked, less for the next two (they restate it); with
    no year asked, a little for the latest filing (the current state of affairs)."""
    if profile.year is None:
        return 0.0
    target = query.target_year
    if target is None:
        return 0.5 if profile.year == latest else 0.0
    gap = profile.year - target
    return {0: 1.0, 1: 0.5, 2: 0.25}.get(gap, 0.0)


def form_fit(query: QueryAnalysis, profile: DocumentProfile) -> float:
    """Quarterly questions prefer quarterly documents of that quarter, others annual ones."""
    quarterly = profile.quarter is not None or profile.form == "10-Q"
    if query.quarter is not None or query.half is not None:
        if not quarterly:
            return 0.0
        return 1.0 if profile.quarter in (None, query.quarter) else 0.5
    return 1.0 if profile.form == "10-K" else 0.5 if not quarterly else 0.0


def named_documents(priors: Mapping[str, float]) -> list[str]:
    """Documents of the company the question names (empty when it names none we hold)."""
    return [doc for doc, prior in priors.items() if prior >= COMPANY_WEIGHT]


def best_documents(priors: Mapping[str, float], limit: int) -> list[str]:
    """The documents with the highest priors, best first."""
    ranked: Iterable[str] = sorted(priors, key=lambda doc: priors[doc], reverse=True)
    return list(ranked)[:limit]
