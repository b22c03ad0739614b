"""The reporter role, offline: the report after an analysis, extractive answers to questions,
and a plain word on what the team can do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agents.offline.actions import Action, Call
from agents.offline.answers import answer
from agents.offline.conversation import Conversation
from agents.offline.reading import (
    asks_for_findings,
    last_question,
    page_of,
    search_query,
    search_terms,
    severity_in,
)
from agents.offline.scope import thread_scope
from agents.offline.summaries import play_comparison, play_summary
from agents.offline.writing import finding_line, label, plural, worst_first

MAX_SEARCHES = 3
HELP = (
    "I am the reporter of Quorum's team. You can:\n"
    "- attach files (PDF, DOCX, XLSX, CSV, TXT, MD) and say “check this”: ingestion, compliance, "
    "risk and a report with citations;\n"
    "- ask about your documents (“anything about Iran?”, “what did you find on page 3?”);\n"
    "- ask for a decision (“is it safe to sign?”): an advocate and a skeptic argue, "
    "a judge rules;\n"
    "- summarise a document (“give me the gist of the contract”) or compare two "
    "(“how does this MSA differ from last year’s?”);\n"
    "- manage the rulebook (“list the rules”, “from now on flag crypto custody”, "
    "“turn off the SSN check”) and the library (“what have I uploaded?”, “delete the old "
    "ledger”);\n"
    "- follow up in the same thread (“and the second file?”, “why?”, “show me the evidence”)."
)


def play_reporter(c: Conversation) -> Action:
    workflow = c.request.workflow
    if workflow == "analyse":
        return _report(c)
    if workflow == "question":
        return _answer(c)
    if workflow == "summarise":
        return play_summary(c)
    if workflow == "compare":
        return play_comparison(c)
    if workflow != "help":
        others = c.run_messages()
        return others[-1].content if others else HELP
    return HELP


def _report(c: Conversation) -> Action:
    ids = thread_scope(c)
    if ids and not c.called("build_report") and c.can_call("build_report"):
        return [Call("build_report", {"documents": ids})]
    for report in c.results("build_report"):
        return _report_text(report)
    first = next((s.content for s in c.run_messages("ingestion")), "")
    errors = "; ".join(o.error or "" for o in c.errors())
    reason = errors or first or "no document was found for this request"
    return f"No report this time: {reason}"


def _report_text(report: Mapping[str, Any]) -> str:
    lines = [f"**{report['headline']}**", ""]
    for item in report["documents"]:
        lines.append(
            f"- {label(item['document'])}: compliance {item['compliance_score']}/100 "
            f"({item['compliance_status']}), risk {item['risk_score']}/100 ({item['risk_level']}), "
            f"{plural(item['finding_count'], 'finding')}."
        )
        lines += [f"  - {finding_line(f, limit=140)}" for f in item["top_findings"][:2]]
    if report.get("actions"):
        lines += ["", "Recommended actions:"]
        lines += [f"{n}. {action}" for n, action in enumerate(report["actions"][:5], 1)]
    files = [path.rsplit("/", 1)[-1] for path in report.get("files", [])]
    if files:
        lines += ["", f"Report files: {', '.join(files)}."]
    return "\n".join(lines)


def _answer(c: Conversation) -> Action:
    ids = thread_scope(c)
    page = page_of(c.request.text)
    findings_question = asks_for_findings(c.request.text)
    if findings_question and not c.called("get_findings") and c.can_call("get_findings"):
        arguments: dict[str, Any] = {"page": page} if page else {}
        if severity_in(c.request.text):
            arguments["severity"] = severity_in(c.request.text)
        return [Call("get_findings", {**arguments, "document": i}) for i in ids[:MAX_SEARCHES]] or [
            Call("get_findings", arguments)
        ]
    terms = search_terms(c.requests)
    searchable = terms and not c.called("search_knowledge") and c.can_call("search_knowledge")
    if not findings_question and searchable:
        query = search_query(c.request.text, last_question(c.requests))
        base: dict[str, Any] = {"query": query, **({"page": page} if page else {})}
        if not ids:
            return [Call("search_knowledge", base)]
        return [Call("search_knowledge", {**base, "document": i}) for i in ids[:MAX_SEARCHES]]
    if findings_question:
        return _findings_answer(c, page)
    return _extractive_answer(c, terms)


def _extractive_answer(c: Conversation, terms: list[str]) -> str:
    passages = [p for r in c.results("search_knowledge") for p in r.get("passages", [])]
    if not terms:
        return "Tell me what to look for, e.g. “anything about Iran?”."
    if not passages:
        searched = sum(r.get("searched_documents", 0) for r in c.results("search_knowledge"))
        errors = [o.error for o in c.errors()]
        detail = f" ({'; '.join(e or '' for e in errors)})" if errors else ""
        topic = " ".join(terms)
        where = plural(searched, "document")
        return f"The documents do not say: nothing in {where} mentions “{topic}”{detail}."
    return answer(c.request.text, passages, terms).text


def _findings_answer(c: Conversation, page: int | None) -> str:
    results = c.results("get_findings")
    where = f" on page {page}" if page else ""
    if not results:
        errors = "; ".join(o.error or "" for o in c.errors())
        return f"I could not read the findings{where}: {errors or 'no document in scope'}."
    lines = []
    for result in results:
        for document in result["documents"]:
            findings = worst_first(document["findings"])
            if not findings:
                lines.append(f"{label(document['document'])}: no finding{where}.")
                continue
            count = plural(len(findings), "finding")
            lines.append(f"{label(document['document'])}: {count}{where}:")
            lines += [f"- {finding_line(f)}" for f in findings[:6]]
    return "\n".join(lines)
