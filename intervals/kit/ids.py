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
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
