"""The debate, offline: the advocate and the skeptic argue from the evidence, the judge
weighs the findings by severity and by how directly they bear on the decision."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from agents.offline.actions import Action, Call
from agents.offline.conversation import Conversation
from agents.offline.ingestion import library
from agents.offline.reading import content_words, proposition
from agents.offline.scope import resolve_scope, thread_scope
from agents.offline.writing import (
    best_excerpts,
    finding_cite,
    finding_line,
    label,
    plural,
    quote,
    worst_first,
)
from tools.compliance.scoring import POINTS_PER_WEIGHT
from tools.models import SEVERITY_WEIGHTS

Finding = Mapping[str, Any]
# Which finding categories bear most directly on which kind of decision.
RELEVANCE: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(r"\b(?:sign|contract|agreement|supplier|vendor|renew)", re.I),
        ("contract.", "privacy."),
    ),
    (
        re.compile(r"\b(?:onboard|customer|client|account|counterpart)", re.I),
        ("kyc.", "sanctions.", "aml."),
    ),
    (
        re.compile(r"\b(?:pay|wire|transfer|payment|invoice|remit|fund)", re.I),
        ("aml.", "sanctions.", "abc.", "governance."),
    ),
    (
        re.compile(r"\b(?:invest|offer|market|promot|publish|campaign|brochure)", re.I),
        ("marketing.", "disclosure."),
    ),
    (re.compile(r"\b(?:file|filing|report|disclos|audit|rely)", re.I), ("disclosure.",)),
)


def relevant(finding: Finding, decision: str) -> bool:
    families = [f for pattern, fams in RELEVANCE if pattern.search(decision) for f in fams]
    return not families or any(finding["category"].startswith(f) for f in families)


def weight(finding: Finding, decision: str) -> float:
    return SEVERITY_WEIGHTS[finding["severity"]] * (1.5 if relevant(finding, decision) else 1.0)


def _evidence_calls(c: Conversation, ids: Sequence[str], *, search: bool) -> list[Call]:
    calls = [Call("get_findings", {"document": i}) for i in ids]
    terms = content_words(proposition(c.request.text))
    if search and terms and c.can_call("search_knowledge"):
        calls += [Call("search_knowledge", {"query": " ".join(terms), "document": i}) for i in ids]
    return calls


def _gather(c: Conversation, *, search: bool) -> list[Call] | None:
    """The tool calls still needed before writing, or None when the evidence is in."""
    if c.called("get_findings") or not c.can_call("get_findings"):
        return None
    ids = thread_scope(c)
    if not ids and c.can_call("list_documents") and not c.called("list_documents"):
        return [Call("list_documents")]
    if not ids:
        ids = [d["document_id"][:8] for d in resolve_scope(c, library(c))]
    return _evidence_calls(c, ids, search=search) if ids else [Call("get_findings")]


def _documents(c: Conversation) -> list[Mapping[str, Any]]:
    return [d for r in c.results("get_findings") for d in r.get("documents", [])]


def _findings(c: Conversation) -> list[Finding]:
    return worst_first(f for d in _documents(c) for f in d["findings"])


def _round(c: Conversation) -> int:
    return len(c.run_messages(c.role)) + 1


def _subject(c: Conversation) -> str:
    decision = proposition(c.request.text)
    names = ", ".join(
        f"{d['document']['filename']} (doc {d['document']['document_id'][:8]})"
        for d in _documents(c)
    )
    return f"“{decision}”" + (f" — {names}" if names else "")


def _passed(document: Mapping[str, Any], decision: str) -> list[Mapping[str, Any]]:
    """Rules the document met, those that bear on the decision first."""
    rules = list(document["passed"])
    return sorted(rules, key=lambda r: not relevant({"category": r["category"]}, decision))


def _first(joined: str, count: int) -> str:
    items = joined.split(", ")
    more = f" and {len(items) - count} more" if len(items) > count else ""
    return ", ".join(items[:count]) + more


def strongest_for(c: Conversation) -> str:
    """The advocate's best point, from the evidence: rules met and no critical finding."""
    decision = proposition(c.request.text)
    points = []
    for document in _documents(c):
        met = len(document["passed"])
        total = met + len({f["rule_id"] for f in document["findings"]})
        points.append(f"{document['document']['filename']} meets {met} of {total} rules")
    if not any(f["severity"] == "critical" for f in _findings(c)):
        points.append("no finding is critical")
    return "; ".join(points) or f"nothing in the rulebook blocks “{decision}”"


def strongest_against(c: Conversation) -> str:
    findings = _findings(c)
    if not findings:
        return "the rulebook covers only what it covers"
    worst = findings[0]
    title = worst.get("title") or worst["rule_id"]
    return f"the {worst['severity']} finding “{title}” ({finding_cite(worst)})"


def play_advocate(c: Conversation) -> Action:
    calls = _gather(c, search=True)
    if calls:
        return calls
    decision = proposition(c.request.text)
    documents = _documents(c)
    if not documents:
        return f"I cannot argue for “{decision}” without a document: attach it or name it."
    lines = [f"**For** {_subject(c)} (round {_round(c)}):"]
    if _round(c) > 1 and c.run_messages("skeptic"):
        lines.append(f"- On {strongest_against(c)}: {_rebuttal(_findings(c))}")
    for document in documents:
        passed = _passed(document, decision)
        total = len(passed) + len({f["rule_id"] for f in document["findings"]})
        shown = ", ".join(dict.fromkeys(r["category"] for r in passed))
        lines.append(
            f"- {label(document['document'])} meets {len(passed)} of {total} rules checked; "
            f"nothing found under {_first(shown, 4)}."
        )
        if not any(f["severity"] == "critical" for f in document["findings"]):
            lines.append(
                f"- Compliance {document['score']}/100 ({document['status']}), "
                "with no critical finding."
            )
    lines += _support(c)
    return "\n".join(lines)


def _rebuttal(findings: Sequence[Finding]) -> str:
    if not findings:
        return "no rule is broken, so the concern is not backed by a finding."
    worst = findings[0]
    if worst["severity"] in ("medium", "low"):
        cost = SEVERITY_WEIGHTS[worst["severity"]] * POINTS_PER_WEIGHT
        return (
            f"it is {worst['severity']}: it costs {cost} "
            "compliance points, which is not a reason to stop."
        )
    return f"it can be resolved before going ahead — {worst['recommendation']}"


def _support(c: Conversation) -> list[str]:
    passages = [p for r in c.results("search_knowledge") for p in r.get("passages", [])]
    terms = content_words(proposition(c.request.text))
    excerpts = [e for e in best_excerpts(passages, terms, limit=2) if e.hits > 0]
    return [f"- The document says {quote(e.text, 180)} ({e.citation})." for e in excerpts]


def play_skeptic(c: Conversation) -> Action:
    calls = _gather(c, search=False)
    if calls:
        return calls
    findings = _findings(c)
    round_no = _round(c)
    lines = [f"**Against** {_subject(c)} (round {round_no}):"]
    if round_no > 1 and c.run_messages("advocate"):
        blocking = [f for f in findings if f["severity"] in ("critical", "high")]
        lines.append(
            f"- The advocate's point ({strongest_for(c)}) leaves "
            f"{plural(len(blocking), 'critical or high finding')} unresolved."
        )
    start = (round_no - 1) * 3
    shown = findings[start : start + 3] or findings[:3]
    lines += [f"- {finding_line(f)}" for f in shown]
    if not findings:
        lines.append(
            "- No rule in the rulebook is broken, but the check covers only its rules; "
            "anything outside them is unexamined."
        )
    for document in _documents(c):
        lines.append(
            f"- {label(document['document'])}: compliance {document['score']}/100 "
            f"({document['status']})."
        )
    return "\n".join(lines)


def play_judge(c: Conversation) -> Action:
    calls = _gather(c, search=False)
    if calls:
        return calls
    decision = proposition(c.request.text)
    findings = sorted(_findings(c), key=lambda f: -weight(f, decision))
    ruling, blockers = _ruling(findings, decision)
    lines = [f"**Ruling on {_subject(c)}: {ruling}**", "", "Why:"]
    lines += [
        f"- {finding_line(f, limit=140)}"
        + (" — bears directly on the decision" if relevant(f, decision) else "")
        for f in findings[:3]
    ]
    if not findings:
        lines.append("- No rule in the rulebook is broken in the documents in question.")
    if c.run_messages("advocate"):
        verdict = "does not outweigh" if blockers else "outweighs"
        lines.append(
            f"- The advocate's best point ({strongest_for(c)}) {verdict} "
            f"the skeptic's ({strongest_against(c)})."
        )
    lines += ["", "What would change the ruling:"]
    if blockers:
        lines += [f"- {f['recommendation']} ({finding_cite(f)})" for f in blockers[:3]]
    else:
        lines.append("- A critical finding (sanctions, structuring, bribery) would reverse it.")
    return "\n".join(lines)


def _ruling(findings: Sequence[Finding], decision: str) -> tuple[str, list[Finding]]:
    critical = [f for f in findings if f["severity"] == "critical"]
    high = [f for f in findings if f["severity"] == "high"]
    if critical:
        return f"no — do not {decision} as it stands.", critical + high
    if high and any(relevant(f, decision) for f in high):
        return "only with conditions — fix the high findings first.", high
    if high or findings:
        return "yes, noting the findings below.", []
    return "yes — the evidence shows no breach.", []
