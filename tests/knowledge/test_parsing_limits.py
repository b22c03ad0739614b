"""Limits every upload goes through before any parser sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from file_factories import write_file

from knowledge.errors import EmptyFileError, FileTooLargeError, IngestError
from knowledge.parsing import parse_file


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_file(tmp_path, "huge ledger.csv", b"a,b\n" + b"1,2\n" * 1000)
    with pytest.raises(FileTooLargeError) as caught:
        parse_file(path, max_bytes=1000)
    message = str(caught.value)
    assert "huge ledger.csv" in message
    assert "limit" in message
    assert "over the 1000 bytes limit" in message
    assert "\n" not in message


def test_file_at_the_limit_is_accepted(tmp_path: Path) -> None:
    data = b"a,b\n1,2\n"
    path = write_file(tmp_path, "exact.csv", data)
    assert parse_file(path, max_bytes=len(data)).rows


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.csv", "empty.txt"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = write_file(tmp_path, name, b"")
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=1000)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_says_it_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "gone.pdf"
    with pytest.raises(IngestError) as caught:
        parse_file(path, max_bytes=1000)
    assert str(caught.value).startswith("gone.pdf does not exist")


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(IngestError) as caught:
        parse_file(folder, max_bytes=1000)
    assert "reports" in str(caught.value)


def test_line_breaks_in_a_file_name_cannot_break_the_message(tmp_path: Path) -> None:
    path = write_file(tmp_path, "evil\nname\r.txt", b"")
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=1000)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith("evil?name?.txt")


def test_only_the_base_name_is_shown(tmp_path: Path) -> None:
    path = write_file(tmp_path, "secret-dir-free.txt", b"")
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=1000)
    assert str(path.parent) not in str(caught.value)
