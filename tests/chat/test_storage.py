"""The local storage client keeps files under its root and refuses keys that leave it."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.storage import LocalStorageClient, StorageKeyError, owner_of_key


async def test_upload_read_url_and_delete(tmp_path: Path) -> None:
    storage = LocalStorageClient(tmp_path / "files")
    stored = await storage.upload_file("user-1/el-1/report.html", b"<h1>r</h1>", mime="text/html")
    assert stored == {
        "object_key": "user-1/el-1/report.html",
        "url": "/quorum/files/user-1/el-1/report.html",
    }
    path = storage.path_for("user-1/el-1/report.html")
    assert path.read_bytes() == b"<h1>r</h1>"
    assert storage.mime_of("user-1/el-1/report.html") == "text/html"
    assert await storage.delete_file("user-1/el-1/report.html")
    assert not path.exists()
    assert not (tmp_path / "files" / "user-1").exists()  # empty folders pruned


async def test_names_with_spaces_are_quoted_in_urls(tmp_path: Path) -> None:
    storage = LocalStorageClient(tmp_path)
    url = await storage.get_read_url("u/e/annual report 2023.pdf")
    assert url == "/quorum/files/u/e/annual%20report%202023.pdf"


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "u/../../etc/passwd", "u/./x", "u/e/..", "u\\e", "u/e/x.mime"]
)
async def test_unsafe_keys_are_refused(tmp_path: Path, key: str) -> None:
    storage = LocalStorageClient(tmp_path / "files")
    with pytest.raises(StorageKeyError):
        await storage.upload_file(key, b"x")
    assert not await storage.delete_file(key)


async def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    storage = LocalStorageClient(tmp_path / "files")
    (tmp_path / "files" / "u").symlink_to(tmp_path)
    with pytest.raises(StorageKeyError):
        storage.path_for("u/secret.txt")


def test_the_owner_is_the_first_segment() -> None:
    assert owner_of_key("abc/el/name.pdf") == "abc"
    assert owner_of_key("") == ""
