"""Properties of the risk model: empty is low, severity drives it, more never lowers it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.documents import LedgerRow
from tools.models import RISK_WEIGHTS, Finding
from tools.risk import (
    RiskContext,
    assess_risk,
    category_groups_of,
    risk_context_from_ledger,
    risk_level,
)

CATEGORIES = [
    "aml.cash_threshold",
    "aml.structuring",
    "sanctions.jurisdiction",
    "kyc.pep_without_edd",
    "abc.improper_payment",
    "marketing.guaranteed_returns",
    "privacy.unmasked_card",
    "contract.missing_governing_law",
    "governance.self_approval",
    "disclosure.going_concern",
    "disclosure.material_weakness",
]
SEVERITIES = ["critical", "high", "medium", "low"]


def make_finding(
    category: str = "sanctions.jurisdiction",
    severity: str = "critical",
    *,
    rule_id: str | None = None,
    page: int | None = 3,
    evidence: str = "wire of USD 48,000 to Bank Melli, Tehran",
    **extra: object,
) -> Finding:
    return Finding(
        rule_id=rule_id or category.upper().replace(".", "-"),
        category=category,
        severity=severity,
        document_id="doc-1",
        filename="payments.pdf",
        page=page,
        evidence=evidence,
        recommendation="Escalate to the sanctions officer.",
        regulation="OFAC, 31 CFR Chapter V",
        **extra,
    )


def breakdown(findings: list[Finding]) -> dict[str, int]:
    return assess_risk("doc-1", findings).breakdown


def test_no_findings_is_low_and_zero() -> None:
    risk = assess_risk("doc-1", [])
    assert risk.score == 0
    assert risk.level == "low"
    assert all(item.score == 0 and not item.factors for item in risk.categories)


def test_critical_sanctions_finding_makes_regulatory_high() -> None:
    risk = assess_risk("doc-1", [make_finding()])
    scores = risk.breakdown
    assert scores["regulatory"] >= 70
    assert risk_level(scores["regulatory"]) == "high"
    assert scores["reputational"] >= 70
    assert scores["financial"] == 0 and scores["operational"] == 0
    assert risk.level in ("medium", "high")


def test_weights_are_the_design_weights_and_sum_to_one() -> None:
    risk = assess_risk("doc-1", [make_finding()])
    assert {item.category: item.weight for item in risk.categories} == RISK_WEIGHTS
    assert sum(item.weight for item in risk.categories) == pytest.approx(1.0)
    expected = sum(item.score * item.weight for item in risk.categories)
    assert risk.score == round(expected)
    assert sum(f.points for f in risk.factors) == pytest.approx(expected, abs=0.05)


def test_every_factor_cites_rule_and_page() -> None:
    risk = assess_risk(
        "doc-1", [make_finding(), make_finding("contract.missing_termination", "medium", page=7)]
    )
    regulatory = next(item for item in risk.categories if item.category == "regulatory")
    operational = next(item for item in risk.categories if item.category == "operational")
    assert "SANCTIONS-JURISDICTION" in regulatory.factors[0].detail
    assert "page 3" in regulatory.factors[0].detail
    assert "page 7" in operational.factors[0].detail
    assert "CONTRACT-MISSING_TERMINATION" in operational.factors[0].label
    for item in risk.categories:
        assert sum(f.points for f in item.factors) == pytest.approx(item.score, abs=0.6)


def test_ledger_citation_names_sheet_and_row() -> None:
    finding = make_finding("aml.structuring", page=None, sheet="March", row=14)
    financial = assess_risk("doc-1", [finding]).categories[0]
    assert financial.category == "financial"
    assert "sheet March, row 14" in financial.factors[0].detail


def test_severity_orders_scores() -> None:
    scores = [
        breakdown([make_finding("kyc.pep_without_edd", sev)])["regulatory"] for sev in SEVERITIES
    ]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 4


def test_repeats_of_one_rule_saturate_below_distinct_rules() -> None:
    one = breakdown([make_finding("kyc.pep_without_edd", "high")])["regulatory"]
    repeated = breakdown(
        [make_finding("kyc.pep_without_edd", "high", page=p) for p in range(1, 30)]
    )["regulatory"]
    distinct = breakdown(
        [
            make_finding("kyc.pep_without_edd", "high"),
            make_finding("aml.cash_threshold", "high"),
            make_finding("kyc.missing_beneficial_owner", "high"),
        ]
    )["regulatory"]
    assert one < repeated < distinct
    critical = breakdown([make_finding("kyc.pep_without_edd", "critical")])["regulatory"]
    assert repeated <= critical  # many copies of a high issue never exceed one critical


def test_taxonomy_grouping() -> None:
    assert category_groups_of("aml.structuring") == ["financial", "regulatory"]
    assert category_groups_of("disclosure.material_weakness") == ["regulatory"]
    assert category_groups_of("privacy.unmasked_ssn") == ["operational", "reputational"]
    assert category_groups_of("abc.improper_payment") == ["regulatory", "reputational"]
    assert category_groups_of("marketing.missing_risk_disclosure") == ["reputational"]
    assert category_groups_of("house.custom_rule") == ["regulatory"]
    assert category_groups_of("amlx.lookalike") == ["regulatory"]  # prefix needs a dot


finding_strategy = st.builds(
    make_finding,
    category=st.sampled_from(CATEGORIES),
    severity=st.sampled_from(SEVERITIES),
    page=st.integers(1, 5),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(finding_strategy, max_size=12), finding_strategy)
def test_adding_a_finding_never_lowers_any_score(base: list[Finding], extra: Finding) -> None:
    before = assess_risk("doc-1", base)
    after = assess_risk("doc-1", [*base, extra])
    assert after.score >= before.score
    for old, new in zip(before.categories, after.categories, strict=True):
        assert new.score >= old.score
        assert 0 <= new.score <= 100


def test_amount_at_stake_raises_financial_only_above_threshold() -> None:
    finding = make_finding("aml.structuring", page=None, sheet="March", row=14)
    plain = assess_risk("doc-1", [finding]).breakdown["financial"]
    small = assess_risk("doc-1", [finding], context=RiskContext(amount_at_stake=Decimal(9_000)))
    large = assess_risk("doc-1", [finding], context=RiskContext(amount_at_stake=Decimal(2_500_000)))
    assert small.breakdown["financial"] == plain
    assert large.breakdown["financial"] > plain
    assert "USD 2,500,000" in large.categories[0].factors[-1].detail


def test_context_from_ledger_sums_only_cited_rows() -> None:
    rows = [
        LedgerRow(sheet="March", row_number=14, raw={}, amount=Decimal("9500")),
        LedgerRow(sheet="March", row_number=15, raw={}, amount=Decimal("-9800")),
        LedgerRow(sheet="March", row_number=16, raw={}, amount=Decimal("50000")),
        LedgerRow(sheet="March", row_number=17, raw={}, amount=Decimal("7000"), currency="EUR"),
    ]
    findings = [
        make_finding("aml.structuring", page=None, sheet="March", row=n) for n in (14, 15, 15, 17)
    ]
    context = risk_context_from_ledger(findings, rows)
    assert context.amount_at_stake == Decimal("19300")
    assert risk_context_from_ledger([], rows).amount_at_stake is None
