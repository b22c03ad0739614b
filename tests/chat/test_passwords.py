"""Password hashes: salted, verified in constant work, malformed hashes never match."""

from __future__ import annotations

import pytest

from chat.passwords import hash_password, verify_password


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("correct horse", iterations=1_000)
    assert stored.startswith("pbkdf2_sha256$1000$")
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horse!", stored)


def test_two_hashes_of_one_password_differ() -> None:
    assert hash_password("pw", iterations=1_000) != hash_password("pw", iterations=1_000)


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "plain-text-password",
        "md5$1$abc$def",
        "pbkdf2_sha256$x$abc$def",
        "pbkdf2_sha256$0$YWJj$ZGVm",
        "pbkdf2_sha256$1000$!!$??",
    ],
)
def test_missing_or_malformed_hashes_never_match(stored: str | None) -> None:
    assert not verify_password("anything", stored)


def test_an_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError, match="empty"):
        hash_password("")
