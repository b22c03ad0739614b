"""The audit trail as one readable, self-contained HTML page (everything escaped)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment

__all__ = ["render_audit_html"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font: 13px/1.45 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #1d2733;
       margin: 24px; }
h1 { font-family: Georgia, serif; font-weight: normal; color: #1f3a5f; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d5dbe1; padding: 5px 8px; text-align: left;
         vertical-align: top; }
th { background: #f4f6f8; font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
td.kind { white-space: nowrap; font-weight: 600; }
tr.decision td, tr.approval td, tr.action_answer td { background: #f1f7f3; }
code { font: 11px "DejaVu Sans Mono", Menlo, monospace; color: #5b6775; }
.detail { white-space: pre-wrap; word-break: break-word; max-width: 640px; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ entries | length }} entries, oldest first. Each entry carries the hash of the previous
one; <code>quorum audit verify FILE.jsonl</code> checks the chain of the JSON Lines export.
{% if entries %}Last hash: <code>{{ entries[-1].hash }}</code>{% endif %}</p>
<table>
<thead><tr><th>#</th><th>Time (UTC)</th><th>What</th><th>User</th><th>By</th>
<th>Detail</th><th>Hash</th></tr></thead>
<tbody>
{% for e in entries %}
<tr class="{{ e.kind }}">
<td>{{ e.seq }}</td><td>{{ e.at }}</td><td class="kind">{{ e.kind }}</td><td>{{ e.user }}</td>
<td>{{ e.actor }}</td><td class="detail">{{ summary(e) }}</td>
<td><code>{{ e.hash[:12] }}</code></td>
</tr>
{% endfor %}
</tbody></table></body></html>
"""

MAX_DETAIL = 600


def _summary(entry: dict[str, Any]) -> str:
    data = entry.get("data") or {}
    kind = entry.get("kind")
    if kind == "decision":
        reason = f": {data.get('reason')}" if data.get("reason") else ""
        finding = f"finding {data.get('finding_id')} ({data.get('rule_id')})"
        return f"{finding} {data.get('decision')}{reason}"
    if kind == "approval":
        return f"report “{data.get('title')}” approved, content sha256 {data.get('content_hash')}"
    if kind == "finding":
        return f"{data.get('severity')} {data.get('rule_id')}: “{data.get('evidence')}”"
    if kind == "tool_call":
        text = f"{data.get('tool_name')}({json.dumps(data.get('arguments'), default=str)}) → "
        text += str(data.get("outcome") or "")
    elif kind in ("action_request", "action_answer"):
        text = (
            f"{data.get('summary')} [{data.get('status', 'pending')}] {data.get('outcome') or ''}"
        )
    else:
        text = str(data.get("content") or json.dumps(data, default=str))
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def render_audit_html(entries: Sequence[dict[str, Any]], *, title: str) -> str:
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(_TEMPLATE)
    return template.render(entries=entries, title=title, summary=_summary)
