"""Jinja2 environments for the report templates that live beside this module.

HTML autoescapes everything (evidence is hostile text quoted from uploaded files);
Markdown escapes through the `md` filter, which every interpolation of document text uses.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from tools.reports import view

# Markdown punctuation, plus "_" where it could open or close emphasis (not inside a word,
# so file names like branch_014_ledger.csv stay readable in the raw text).
_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>&~#!]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def markdown_inline(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, every markup character escaped."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _common_globals(env: Environment) -> Environment:
    env.filters["cite"] = view.citation
    env.filters["timestamp"] = view.format_timestamp
    env.globals.update(
        severity_colours=view.SEVERITY_COLOURS,
        status_colours=view.STATUS_COLOURS,
        level_colours=view.LEVEL_COLOURS,
        level_colour=view.level_colour,
        text_bar=view.text_bar,
    )
    return env


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tools.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _common_globals(env)


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tools.reports", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_inline
    return _common_globals(env)
