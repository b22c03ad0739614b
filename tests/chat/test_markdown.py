"""Document text cannot inject HTML, images or links into a message."""

from __future__ import annotations

from chat.markdown import escape_text, markdown_table, quote_block, sanitize_agent_markdown


def test_escaped_text_keeps_no_markup() -> None:
    hostile = "<img src=x onerror=alert(1)> ![t](http://evil/x.png) [click](javascript:alert(1))"
    escaped = escape_text(hostile)
    assert "<" not in escaped
    assert "![" not in escaped and "](" not in escaped
    assert "&lt;img" in escaped


def test_quote_block_is_one_quoted_line_per_line_and_shortened() -> None:
    block = quote_block("# heading\n\n* item\n" + "x" * 1000, limit=50)
    lines = block.splitlines()
    assert all(line.startswith("> ") for line in lines)
    assert lines[0] == "> \\# heading"
    assert block.endswith("…")


def test_agent_markdown_keeps_emphasis_but_loses_html_and_images() -> None:
    text = "**Score 40** <script>x</script> ![pixel](http://evil/p.png)"
    cleaned = sanitize_agent_markdown(text)
    assert cleaned.startswith("**Score 40**")
    assert "<script>" not in cleaned
    assert "![" not in cleaned


def test_table_cells_cannot_break_the_table() -> None:
    table = markdown_table(["a", "b"], [["x | y", "line\nbreak"]])
    rows = table.splitlines()
    assert len(rows) == 3
    assert rows[2] == "| x \\| y | line break |"
