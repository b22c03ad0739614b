"""The compliance and risk roles, offline: check documents, score risk, change rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from agents.intents import RULE_WORKFLOWS
from agents.offline.actions import Action, Call
from agents.offline.conversation import Conversation
from agents.offline.reading import RuleCommand, content_words, rule_command
from agents.offline.review import play_answer, play_review, status_text
from agents.offline.scope import thread_scope
from agents.offline.writing import finding_line, label, plural, worst_first

RULE_ACTIONS: dict[str, Literal["add", "enable", "disable", "list"]] = {
    "rule_add": "add", "rule_enable": "enable", "rule_disable": "disable", "rule_list": "list",
}
MAX_FINDINGS_SHOWN = 6
MAX_RULES_SHOWN = 40


def _nothing_to_do(c: Conversation, what: str) -> str:
    return f"No document was named in this run, so there is nothing to {what}."


def play_compliance(c: Conversation) -> Action:
    if c.request.workflow == "review":
        return play_review(c)
    if c.request.workflow in RULE_WORKFLOWS:
        answered = play_answer(c)
        return answered if answered is not None else _play_rules(c)
    ids = thread_scope(c)
    if ids and not c.called("check_compliance") and c.can_call("check_compliance"):
        return [Call("check_compliance", {"document": i}) for i in ids]
    if not ids:
        return _nothing_to_do(c, "check")
    sections = [_checked(r) for r in c.results("check_compliance")]
    sections += [f"⚠ {o.name} failed: {o.error}" for o in c.errors()]
    return "\n\n".join(sections)


def _checked(result: Mapping[str, Any]) -> str:
    findings = worst_first(result["findings"])
    head = (
        f"{label(result['document'])}: compliance {result['score']}/100 ({result['status']}), "
        f"{plural(len(findings), 'finding')} against {result.get('rules_checked', 0)} rules"
    )
    unchecked = result.get("not_checked") or []
    tail = [f"{result['summary']}."] if result.get("summary") else []
    tail += [f"⚠ Not checked: {c['rule_id']} ({c['reason']})" for c in unchecked]
    if result.get("model_reader"):
        tail.append(f"Second reader: {result['model_reader']}")
    if not findings:
        verdict = (
            ": no breach found by the rules that ran, but this is not an all-clear."
            if unchecked
            else ": no rule is broken."
        )
        return "\n".join([head + verdict, *tail])
    lines = [f"- {finding_line(f)}" for f in findings[:MAX_FINDINGS_SHOWN]]
    if len(findings) > MAX_FINDINGS_SHOWN:
        lines.append(f"- … and {len(findings) - MAX_FINDINGS_SHOWN} more")
    return "\n".join([head + ":", *lines, *tail])


def _play_rules(c: Conversation) -> Action:
    command = rule_command(c.request.text, RULE_ACTIONS[c.request.workflow])
    if command.action == "add":
        if not c.called("add_rule") and c.can_call("add_rule") and content_words(command.phrase):
            return [Call("add_rule", _new_rule(command))]
        return _rule_written(c, command)
    if command.action in ("enable", "disable"):
        return _toggle(c, command)
    if not c.called("list_rules") and c.can_call("list_rules"):
        return [Call("list_rules")]
    return _rules_listed(c)


def _new_rule(command: RuleCommand) -> dict[str, Any]:
    words = content_words(command.phrase) or command.phrase.lower().split()
    pattern = r"\W+(?:\w+\W+){0,2}?".join(rf"\b{re.escape(w)}\w*" for w in words)
    slug = "_".join(words)[:40]
    phrase = " ".join(words)
    return {
        "title": f"Flag {phrase}",
        "patterns": [pattern],
        "severity": command.severity or "medium",
        "category": f"custom.{slug}" if slug[:1].isalpha() else "custom.user_rule",
        "recommendation": f"Review each mention of {phrase} and record the decision.",
        "regulation": "internal policy (added in the chat)",
    }


def _rule_written(c: Conversation, command: RuleCommand) -> str:
    for change in c.results("add_rule"):
        if "request_id" in change:
            return status_text(change)
        rule = change["rule"]
        return (
            f"Added rule `{rule['rule_id']}` “{rule['title']}” ({rule['severity']}, "
            f"{rule['category']}); rulebook now at version {change['rulebook_version']}. "
            "It applies from the next check: ask me to check a document again to see its findings."
        )
    errors = "; ".join(o.error or "" for o in c.errors())
    if errors:
        return f"The rule was not added: {errors}"
    return (
        f"I could not tell what the rule should flag in “{c.request.text}”. "
        "Say it as: add a rule that flags <words to look for>."
    )


def _toggle(c: Conversation, command: RuleCommand) -> Action:
    enabled = command.action == "enable"
    named = re.fullmatch(r"[a-z]+(?:[._][a-z0-9_]+)+|[A-Za-z]{2,6}-\d{1,4}", command.phrase)
    rule_id = command.phrase if named else None
    if rule_id is None and not c.called("list_rules") and c.can_call("list_rules"):
        return [Call("list_rules")]
    if rule_id is None:
        rule_id = _match_rule(c, command.phrase)
    if rule_id and not c.called("set_rule_enabled") and c.can_call("set_rule_enabled"):
        return [Call("set_rule_enabled", {"rule_id": rule_id, "enabled": enabled})]
    for change in c.results("set_rule_enabled"):
        if "request_id" in change:
            return status_text(change)
        rule = change["rule"]
        return (
            f"Rule `{rule['rule_id']}` “{rule['title']}” is now {change['action']}; "
            f"rulebook version {change['rulebook_version']}."
        )
    errors = "; ".join(o.error or "" for o in c.errors())
    return errors or f"No rule matches “{command.phrase}”: list the rules to see their ids."


def _match_rule(c: Conversation, phrase: str) -> str | None:
    wanted = {w[:5] for w in content_words(phrase)}  # "bribery" meets "bribe"
    best, best_score = None, 0
    for listing in c.results("list_rules"):
        for rule in listing["rules"]:
            named = f"{rule['title']} {rule['rule_id']} {rule['category']}".replace(".", " ")
            words = {w[:5] for w in content_words(named.replace("_", " "))}
            score = len(wanted & words)
            if score > best_score:
                best, best_score = rule["rule_id"], score
    return best


def _rules_listed(c: Conversation) -> str:
    for listing in c.results("list_rules"):
        rules = listing["rules"]
        off = sum(1 for r in rules if not r["enabled"])
        lines = [
            f"- `{r['rule_id']}` {r['title']} ({r['severity']})"
            + ("" if r["enabled"] else " — disabled")
            for r in rules[:MAX_RULES_SHOWN]
        ]
        head = (
            f"The rulebook (version {listing['rulebook_version']}) has "
            f"{plural(len(rules), 'rule')}, {off} disabled:"
        )
        return "\n".join([head, *lines])
    return "; ".join(o.error or "" for o in c.errors()) or "The rulebook could not be read."


def play_risk(c: Conversation) -> Action:
    ids = thread_scope(c)
    if ids and not c.called("assess_risk") and c.can_call("assess_risk"):
        return [Call("assess_risk", {"document": i}) for i in ids]
    if not ids:
        return _nothing_to_do(c, "score")
    sections = [_scored(r) for r in c.results("assess_risk")]
    sections += [f"⚠ {o.name} failed: {o.error}" for o in c.errors()]
    return "\n\n".join(sections)


def _scored(result: Mapping[str, Any]) -> str:
    breakdown = " · ".join(f"{k} {v}" for k, v in result["breakdown"].items())
    score = f"risk {result['score']}/100 ({result['level']})"
    head = f"{label(result['document'])}: {score} — {breakdown}."
    drivers = [d for d in result.get("drivers", []) if d["points"] > 0][:3]
    if not drivers:
        return head + " No finding raises it."
    lines = [f"- +{d['points']:g}: {d['detail']}" for d in drivers]
    return "\n".join([head, "Main drivers:", *lines])
