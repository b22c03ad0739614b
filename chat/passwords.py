"""Password hashes for login users: PBKDF2-SHA256 from the standard library, salted.

A hash looks like `pbkdf2_sha256$600000$<salt>$<digest>` (base64), so it can sit in a
`.env` file and be checked without any extra package.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
_DUMMY_HASH_SALT = b"quorum-dummy-salt"


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS) -> str:
    """A new salted hash of `password`."""
    if not password:
        raise ValueError("the password is empty")
    salt = secrets.token_bytes(16)
    digest = _derive(password, salt, iterations)
    return "$".join((SCHEME, str(iterations), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches `stored`; a missing or malformed hash never matches.

    The work is done even when the user is unknown, so timing does not tell names apart.
    """
    parsed = _parse(stored) if stored else None
    if parsed is None:
        _derive(password, _DUMMY_HASH_SALT, DEFAULT_ITERATIONS)
        return False
    iterations, salt, expected = parsed
    return hmac.compare_digest(_derive(password, salt, iterations), expected)


def _parse(stored: str) -> tuple[int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != SCHEME:
        return None
    try:
        iterations = int(parts[1])
        salt, digest = _unb64(parts[2]), _unb64(parts[3])
    except ValueError:
        return None
    if not 1 <= iterations <= 10_000_000 or not salt or not digest:
        return None
    return iterations, salt, digest


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))
