"""The analyst's review: decisions on findings, scores after review, sign-off, audit trail.

reviews = await document_reviews(kb, owner="alice", document_ids=[doc_id])
finding, review = await decide(kb, owner="alice", finding_id=12, verb="dismiss",
                               reason="policy text, not a transaction", user="alice")
review.score_line()   # "compliance 72 → 85 after review, risk 64 → 41"
"""

from __future__ import annotations

from tools.review.decisions import (
    DECISION_VERBS,
    DISMISS_REASONS,
    Decision,
    DecisionKind,
    ReviewError,
    evidence_hash,
)
from tools.review.review import DocumentReview, ReviewedFinding, review_order
from tools.review.service import decide, document_reviews, find_reviewed

__all__ = [
    "DECISION_VERBS",
    "DISMISS_REASONS",
    "Decision",
    "DecisionKind",
    "DocumentReview",
    "ReviewError",
    "ReviewedFinding",
    "decide",
    "document_reviews",
    "evidence_hash",
    "find_reviewed",
    "review_order",
]
