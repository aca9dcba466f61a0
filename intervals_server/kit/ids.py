"""Public IDs: a type prefix plus 14 random ``[a-z0-9]`` characters, as in the reference."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits
_RANDOM_LENGTH = 14

ORGANIZATION = "k"
EVENT = "e"
RUN = "r"
REGISTRATION = "p"
GROUP = "g"
COURSE = "c"
RECURRENCE = "rc"
API_KEY = "ak"


def new_id(prefix: str) -> str:
    # One read of the system's randomness, not one per character.
    return new_ids(prefix, 1)[0]


# The largest multiple of the alphabet's size below 256: bytes from it on are dropped so
# every character stays equally likely.
_UNBIASED = 256 - 256 % len(_ALPHABET)


def new_ids(prefix: str, count: int) -> list[str]:
    """``count`` IDs like ``new_id``'s, from one read of the system's randomness (a
    publisher makes thousands at a time)."""
    needed = count * _RANDOM_LENGTH
    characters: list[str] = []
    while len(characters) < needed:
        characters.extend(
            _ALPHABET[byte % len(_ALPHABET)]
            for byte in secrets.token_bytes(needed - len(characters) + needed // 32 + 16)
            if byte < _UNBIASED
        )
    return [
        prefix + "".join(characters[start : start + _RANDOM_LENGTH])
        for start in range(0, needed, _RANDOM_LENGTH)
    ]
