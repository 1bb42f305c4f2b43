"""Password hashing with argon2id (RFC 9106 low-memory profile by default)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# Tests sign in thousands of times; they set VINHDANH_PASSWORD_PROFILE=cheapest.
_hasher = PasswordHasher.from_parameters(
    profiles.CHEAPEST
    if os.environ.get("VINHDANH_PASSWORD_PROFILE") == "cheapest"
    else profiles.RFC_9106_LOW_MEMORY
)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; constant time, never raises on a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)
