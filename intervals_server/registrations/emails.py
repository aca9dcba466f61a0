"""An email's uniqueness key: one live registration per run for each key.

The address is stored and shown as given; the key is what two spellings of one inbox have
in common as far as the server can tell without asking its mail server: Unicode's
compatibility forms folded (NFKC: fullwidth letters are the ASCII ones, a decomposed
accent is the composed one), case folded (``ß`` is ``ss``), and the domain's trailing dots (the DNS
root) dropped. Characters no one can see or type into an address (zero-width space, soft
hyphen, joiners, controls) are refused outright.
"""

from __future__ import annotations

import unicodedata

from intervals_server.kit.errors import invalid
from intervals_server.registrations.schemas import EMAIL_MAX_LENGTH


def _fold(text: str) -> str:
    # NFKC, case fold, NFKC again: folding can leave a string that is no longer normalized.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def email_key(email: str) -> str:
    """The uniqueness key of ``email``; invisible and control characters count for nothing
    (the check refuses them in new input; rows stored before it may hold them)."""
    if not email.isprintable():
        email = "".join(char for char in email if char.isprintable())
    return _fold(email).rstrip(".")


def invisible_character(email: str) -> str | None:
    """The first character of ``email`` that is a control, format (invisible), private-use,
    unassigned or separator character other than a space, as ``U+200B``; None if none is."""
    if email.isprintable():
        return None
    char = next(char for char in email if not char.isprintable())
    return f"U+{ord(char):04X}"


def checked_email_key(email: str, *, body: bool = True) -> str:
    """The key of ``email``, after refusing what no address may hold; a 422 names ``email``."""
    found = invisible_character(email)
    if found is not None:
        message = f"Must not contain invisible or control characters (found {found})"
        raise invalid("email", message, body=body)
    key = email_key(email)
    # Folding can lengthen a string ("İ" becomes two characters); the key has a column.
    if len(key) > EMAIL_MAX_LENGTH:
        message = f"Must be at most {EMAIL_MAX_LENGTH} characters once normalized"
        raise invalid("email", message, body=body)
    return key
