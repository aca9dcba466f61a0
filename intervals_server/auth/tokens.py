"""Key secrets: generated with enough entropy that a fast hash is the right way to store them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "ik_live_"
_DISPLAY_LENGTH = len(SECRET_PREFIX) + 4


def generate_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(30)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    """The first characters of a secret: enough to recognise a key, useless to an attacker."""
    return secret[:_DISPLAY_LENGTH]


def hashes_match(expected: str, actual: str) -> bool:
    return hmac.compare_digest(expected.encode(), actual.encode())
