"""The starters shown on an empty thread: the main things to do with the team."""

from __future__ import annotations

import chainlit as cl

STARTERS: tuple[tuple[str, str, str], ...] = (
    (
        "Analyse my documents",
        "Check every document in my library against the rulebook, score the risk and "
        "write the report.",
        "/public/icons/analyse.svg",
    ),
    (
        "What is in my library?",
        "Which documents do we have, and what kind is each?",
        "/public/icons/library.svg",
    ),
    (
        "Find where it says…",
        "Where do our documents mention related-party transactions? Quote the pages.",
        "/public/icons/search.svg",
    ),
    (
        "Debate a decision",
        "Debate: should we onboard this counterparty given the findings?",
        "/public/icons/debate.svg",
    ),
    (
        "Show the rules",
        "List the compliance rules that are enabled.",
        "/public/icons/rules.svg",
    ),
)


def starters() -> list[cl.Starter]:
    return [
        cl.Starter(label=label, message=message, icon=icon) for label, message, icon in STARTERS
    ]
