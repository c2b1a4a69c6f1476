"""Password hashing, opaque tokens and signed cookie values."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, TimestampSigner

_hasher = PasswordHasher()
# Verifying against a real hash when the email is unknown keeps login timing uniform.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """An unguessable bearer token or link token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores: a leaked table does not leak working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def csrf_signature(secret_key: str, seed: str) -> str:
    """The CSRF token for a browser's random seed (double submit, see app.pages.csrf)."""
    return hmac.new(secret_key.encode(), f"csrf:{seed}".encode(), hashlib.sha256).hexdigest()


def sign_cookie(secret_key: str, value: str, salt: str = "dojo-session") -> str:
    """A signed cookie value; `salt` keeps one kind of cookie from passing for another."""
    return TimestampSigner(secret_key, salt=salt).sign(value).decode()


def unsign_cookie(secret_key: str, signed: str, max_age_s: int, salt: str = "dojo-session") -> str | None:
    try:
        value = TimestampSigner(secret_key, salt=salt).unsign(signed, max_age=max_age_s)
    except BadSignature:
        return None
    return value.decode()
