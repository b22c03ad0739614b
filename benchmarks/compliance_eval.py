"""`make eval`: the default rulebook against four labelled corpora and real 10-K filings.

Each corpus is measured on its own: the shared development set
(../shared/corpus/compliance-dev), the development half of the corpus written blind by
other sessions (tests/corpus/compliance-blind/dev) and its frozen validation half
(tests/corpus/compliance-blind/validation, measured, never tuned against: only its totals
are printed), blind development sets written later (tests/corpus/compliance-blind/dev2,
dev3) and a second frozen validation set (validation2, totals only; like the first, skipped
with --no-validation). For each: precision and recall per category and overall at the level of
(document, category); the share of PDF findings whose first page matches the labelled
page; how many labelled near misses were reported (a near miss is reported when a finding
of its category cites the place the near miss is, or, for "missing clause" categories,
when the category is reported without being a labelled finding); how many documents had
rules that apply but could not run ("not checked"); and how many documents with a labelled
breach came out "compliant". Categories outside TAXONOMY.md (the rulebook's own, such as
governance.approval_limit) are listed, not scored: the labels do not cover them.

Real filings (../shared/data/financebench-dev): findings per filing, so false alarms
(contract clauses on a 10-K, table numbers read as card numbers) are visible.

    python -m benchmarks.compliance_eval [--corpus DIR] [--filings DIR] [--cache DIR]
                                         [--no-filings] [--verbose] [--strict]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.parsed_cache import parse_all
from knowledge.documents import ParsedDocument
from tools.compliance import check_rules, default_rulebook, score_compliance
from tools.models import Finding, RuleCheck

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "compliance-dev"
BLIND = REPO / "tests" / "corpus" / "compliance-blind"
CORPORA = (
    ("shared development set", CORPUS, False),
    ("blind development half", BLIND / "dev", False),
    ("blind validation half (frozen: totals only)", BLIND / "validation", True),
    ("second blind development set (dev2)", BLIND / "dev2", False),
    ("third blind development set (dev3)", BLIND / "dev3", False),
    ("second frozen validation set (validation2: totals only)", BLIND / "validation2", True),
)
TAXONOMY = frozenset(
    {
        "aml.cash_threshold", "aml.structuring", "sanctions.jurisdiction",
        "kyc.missing_beneficial_owner", "kyc.pep_without_edd", "abc.improper_payment",
        "marketing.guaranteed_returns", "marketing.missing_risk_disclosure",
        "privacy.unmasked_ssn", "privacy.unmasked_card", "contract.missing_liability_cap",
        "contract.missing_termination", "contract.missing_governing_law",
        "contract.missing_data_protection", "governance.self_approval",
        "disclosure.material_weakness", "disclosure.going_concern", "disclosure.restatement",
    }
)  # fmt: skip
FILINGS = REPO.parent / "shared" / "data" / "financebench-dev"
NOT_DOCUMENTS = {"labels.json", "README.md", "verify_labels.py"}
ABSENCE_CATEGORIES = re.compile(r"^contract\.|\.missing_risk_disclosure$")
TARGETS = {"precision": 0.95, "recall": 0.95, "page_match": 0.95}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    by_category: dict[str, Score] = field(default_factory=dict)
    page_checked: int = 0
    page_matched: int = 0
    near_misses: int = 0
    near_misses_reported: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: int = 0
    not_checked_documents: int = 0
    not_checked_rules: Counter[str] = field(default_factory=Counter)
    breach_called_compliant: list[str] = field(default_factory=list)
    outside_taxonomy: Counter[str] = field(default_factory=Counter)

    def score(self, category: str) -> Score:
        return self.by_category.setdefault(category, Score())


def run_rules(document: ParsedDocument, name: str) -> list[Finding]:
    return run_checks(document, name)[0]


def run_checks(document: ParsedDocument, name: str) -> tuple[list[Finding], list[RuleCheck]]:
    result = check_rules(
        document, document_id=name, filename=name, rules=default_rulebook().enabled_rules
    )
    return result.findings, result.checks


def evaluate_corpus(corpus: Path, cache: Path | None, any_parser: bool = False) -> Report:
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    paths = [corpus / entry["file"] for entry in labels]
    parsed = parse_all(paths, cache_dir=cache, any_parser=any_parser)
    report = Report()
    for entry in labels:
        document = parsed[corpus / entry["file"]]
        if isinstance(document, str):
            report.errors.append(f"{entry['file']}: {document}")
            continue
        findings, checks = run_checks(document, entry["file"])
        record_checks(entry, findings, checks, report)
        score_document(entry, document, [f for f in findings if f.category in TAXONOMY], report)
    return report


def record_checks(
    entry: dict, findings: list[Finding], checks: list[RuleCheck], report: Report
) -> None:
    """Not-checked rules, breaches scored as compliant, findings outside the taxonomy."""
    report.documents += 1
    unchecked = [c for c in checks if c.outcome == "not checked"]
    if unchecked:
        report.not_checked_documents += 1
        report.not_checked_rules.update(f"{c.rule_id}: {c.reason}" for c in unchecked)
    status = score_compliance(entry["file"], findings, checks=checks).status
    if entry["findings"] and status == "compliant":
        report.breach_called_compliant.append(entry["file"])
    report.outside_taxonomy.update(f.category for f in findings if f.category not in TAXONOMY)


def score_document(
    entry: dict, document: ParsedDocument, findings: list[Finding], report: Report
) -> None:
    name = entry["file"]
    reported: dict[str, list[Finding]] = {}
    for finding in findings:
        reported.setdefault(finding.category, []).append(finding)
    expected = {label["category"]: label for label in entry["findings"]}
    for category in sorted(set(expected) | set(reported)):
        score = report.score(category)
        if category in expected and category in reported:
            score.tp += 1
            check_page(name, expected[category], reported[category], report)
        elif category in reported:
            score.fp += 1
            first = reported[category][0]
            report.errors.append(f"FP {name} [{category}] {first.rule_id}: {first.evidence[:90]!r}")
        else:
            score.fn += 1
            report.errors.append(
                f"FN {name} [{category}] expected {expected[category]['evidence']!r}"
            )
    for near in entry["near_misses"]:
        report.near_misses += 1
        if ABSENCE_CATEGORIES.search(near["category"]) and near["category"] in expected:
            continue  # the clause is missing after all: reporting it is the true positive
        if near_miss_reported(near, document, reported.get(near["category"], [])):
            report.near_misses_reported.append(f"{name} [{near['category']}] {near['text']!r}")


def check_page(name: str, label: dict, findings: list[Finding], report: Report) -> None:
    if label["page"] is None:
        return
    report.page_checked += 1
    first_page = min(f.page for f in findings if f.page is not None)
    if first_page == label["page"]:
        report.page_matched += 1
    else:
        report.errors.append(
            f"PAGE {name} [{label['category']}] reported page {first_page}, label {label['page']}"
        )


def near_miss_reported(near: dict, document: ParsedDocument, findings: list[Finding]) -> bool:
    if not findings:
        return False
    if ABSENCE_CATEGORIES.search(near["category"]):
        return True
    for page in document.pages:
        for start, end in _occurrences(page.text, near["text"]):
            for finding in findings:
                if finding.page not in (None, page.number) or finding.start is None:
                    continue
                f_start, f_end = finding.start, finding.start + len(finding.evidence)
                same_page_text = page.text[f_start:f_end] == finding.evidence
                if same_page_text and f_start < end and start < f_end:
                    return True
    return False


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    return [m.span() for m in re.finditer(pattern, text)]


def evaluate_filings(
    filings: Path, cache: Path | None, any_parser: bool = False
) -> list[tuple[str, int, Counter[str]]]:
    paths = sorted(filings.glob("*.pdf"))
    parsed = parse_all(paths, cache_dir=cache, any_parser=any_parser)
    rows = []
    for path in paths:
        document = parsed[path]
        if isinstance(document, str):
            rows.append((path.name, 0, Counter({f"parse error: {document}": 1})))
            continue
        findings = run_rules(document, path.name)
        rows.append((path.name, document.page_count, Counter(f.category for f in findings)))
    return rows


def print_corpus(title: str, report: Report, verbose: bool, *, totals_only: bool) -> bool:
    print(f"\n{title} — rulebook {default_rulebook().name} {default_rulebook().version}")
    total = Score()
    if not totals_only:
        print(f"{'category':36} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>10} {'recall':>7}")
    for category in sorted(report.by_category):
        s = report.by_category[category]
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        if not totals_only:
            print(f"{category:36} {s.tp:3} {s.fp:3} {s.fn:3} {s.precision:10.2f} {s.recall:7.2f}")
    print(
        f"{'overall':36} {total.tp:3} {total.fp:3} {total.fn:3} "
        f"{total.precision:10.2f} {total.recall:7.2f}   ({report.documents} documents)"
    )
    page_share = report.page_matched / report.page_checked if report.page_checked else 1.0
    print(
        f"page match (PDF true positives): {report.page_matched}/{report.page_checked}"
        f" = {page_share:.2f}"
    )
    print(f"near misses reported: {len(report.near_misses_reported)} of {report.near_misses}")
    print(
        f"not checked: {report.not_checked_documents} of {report.documents} documents had "
        f"applicable rules that could not run ({sum(report.not_checked_rules.values())} rules)"
    )
    print(
        "documents with a labelled breach reported as compliant: "
        f"{len(report.breach_called_compliant)}"
    )
    if report.outside_taxonomy:
        outside = ", ".join(f"{c} {n}" for c, n in sorted(report.outside_taxonomy.items()))
        print(f"findings outside the taxonomy (not scored): {outside}")
    if not totals_only:
        for line in report.near_misses_reported:
            print(f"  NEAR MISS {line}")
        for line in report.breach_called_compliant:
            print(f"  CALLED COMPLIANT {line}")
        for line, count in sorted(report.not_checked_rules.items()):
            print(f"  NOT CHECKED x{count} {line}")
        if verbose or report.errors:
            for line in report.errors:
                print(f"  {line}")
    met = (
        total.precision >= TARGETS["precision"]
        and total.recall >= TARGETS["recall"]
        and page_share >= TARGETS["page_match"]
        and not report.near_misses_reported
        and not report.breach_called_compliant
    )
    print(
        "targets (P>=0.95, R>=0.95, page>=0.95, 0 near misses, 0 breaches called compliant):",
        "met" if met else "NOT met",
    )
    return met


def print_filings(rows: list[tuple[str, int, Counter[str]]]) -> None:
    print("\nReal filings — findings per filing (every one is a candidate false alarm)")
    print(f"{'filing':48} {'pages':>5} {'findings':>8}  categories")
    for name, pages, counts in rows:
        detail = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
        print(f"{name:48} {pages:5} {sum(counts.values()):8}  {detail}")
    flagged = Counter(c for _, _, counts in rows for c in counts)
    print(
        f"filings with findings: {sum(1 for *_, c in rows if c)} of {len(rows)}; by category: "
        + (", ".join(f"{c} {n}" for c, n in sorted(flagged.items())) or "none")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=None, help="one labelled corpus only")
    parser.add_argument(
        "--no-validation", action="store_true", help="skip the frozen validation sets"
    )
    parser.add_argument("--filings", type=Path, default=FILINGS)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "quorum-eval-cache"
    )
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument(
        "--stale-cache-ok",
        action="store_true",
        help="reuse documents parsed by an older parser version (quick rule iterations)",
    )
    parser.add_argument("--no-filings", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    cache = None if args.no_cache else args.cache
    started = time.monotonic()
    stale = args.stale_cache_ok
    corpora = [(str(args.corpus), args.corpus, False)] if args.corpus else list(CORPORA)
    if args.no_validation:
        corpora = [c for c in corpora if not c[2]]
    met = True
    for title, folder, totals_only in corpora:
        if not (folder / "labels.json").exists():
            print(f"\n{title}: corpus not found at {folder}")
            met = False
            continue
        report = evaluate_corpus(folder, cache, stale)
        met = print_corpus(title, report, args.verbose, totals_only=totals_only) and met
    if not args.no_filings and args.filings.exists():
        print_filings(evaluate_filings(args.filings, cache, stale))
    print(f"\n(done in {time.monotonic() - started:.0f}s; parsed documents cached in {cache})")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
