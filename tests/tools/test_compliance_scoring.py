"""The compliance score: 100 - 5 x weights, each (document, category) counted once."""

from __future__ import annotations

import pytest

from tools.compliance import compliance_status, score_compliance
from tools.models import Finding, RuleCheck


def finding(
    category: str, severity: str, document_id: str = "d1", row: int | None = None
) -> Finding:
    return Finding(
        rule_id=f"{category}.rule",
        category=category,
        severity=severity,
        document_id=document_id,
        row=row,
        evidence="x",
        recommendation="r",
        regulation="g",
    )


def test_no_findings_is_a_perfect_score() -> None:
    assessment = score_compliance("d1", [])
    assert (assessment.score, assessment.status, assessment.factors) == (100, "compliant", [])


@pytest.mark.parametrize(
    ("severities", "score", "status"),
    [
        # A breach is never "compliant", however light (the score stays DESIGN.md's).
        (["low"], 95, "needs attention"),
        (["low", "low"], 95, "needs attention"),  # same category twice: counted once
        (["medium"], 90, "needs attention"),
        (["high"], 75, "needs attention"),
        (["critical"], 50, "non-compliant"),
    ],
)
def test_weights_and_thresholds(severities: list[str], score: int, status: str) -> None:
    findings = [finding("aml.cash_threshold", s, row=i) for i, s in enumerate(severities)]
    assessment = score_compliance("d1", findings)
    assert (assessment.score, assessment.status) == (score, status)


def test_forty_repeats_of_one_issue_count_once_and_say_so() -> None:
    repeats = [finding("governance.self_approval", "high", row=i) for i in range(40)]
    assessment = score_compliance("d1", repeats)
    assert assessment.score == 75
    [factor] = assessment.factors
    assert factor.points == -25
    assert "40 findings, counted once" in factor.detail
    assert len(assessment.findings) == 40


def test_different_categories_add_up_and_the_score_never_goes_below_zero() -> None:
    mixed = [
        finding("privacy.unmasked_card", "critical"),
        finding("contract.missing_termination", "medium"),
    ]
    assert score_compliance("d1", mixed).score == 100 - 5 * (10 + 2)
    many = [finding(f"cat.c{i}", "critical") for i in range(5)]
    assessment = score_compliance("d1", many)
    assert (assessment.score, assessment.status) == (0, "non-compliant")
    assert sum(f.points for f in assessment.factors) == -250


def test_a_set_of_documents_counts_each_document_category_pair() -> None:
    findings = [
        finding("abc.improper_payment", "critical", "a"),
        finding("abc.improper_payment", "critical", "b"),
    ]
    assessment = score_compliance("batch", findings)
    assert assessment.score == 0
    assert [f.label for f in assessment.factors] == [
        "a: abc.improper_payment",
        "b: abc.improper_payment",
    ]


def test_status_boundaries() -> None:
    assert [compliance_status(s) for s in (90, 89, 70, 69)] == [
        "compliant",
        "needs attention",
        "needs attention",
        "non-compliant",
    ]


def test_a_rule_that_could_not_run_keeps_a_clean_document_from_reading_compliant() -> None:
    checks = [
        RuleCheck(rule_id="aml.cash", category="aml.cash_threshold", outcome="passed"),
        RuleCheck(
            rule_id="governance.two_person",
            category="governance.self_approval",
            outcome="not checked",
            reason="no approver column",
        ),
    ]
    assessment = score_compliance("d1", [], checks=checks)
    assert (assessment.score, assessment.status) == (100, "not fully checked")
    assert assessment.checks_summary() == (
        "Rules: 1 applied, 1 passed, 0 failed, 1 not checked "
        "(governance.two_person: no approver column)"
    )
