"""Issue, list, revoke and verify API keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.auth import repository
from intervals_server.auth.cache import KeyCache, RefusedKeys
from intervals_server.auth.plans import windows_for
from intervals_server.auth.scopes import Scope
from intervals_server.auth.tokens import display_prefix, generate_secret, hash_secret, hashes_match
from intervals_server.db import Store
from intervals_server.kit import ids
from intervals_server.kit.errors import Conflict, Forbidden, NotFound, Unauthorized
from intervals_server.kit.rate_limit import Window
from intervals_server.models import ApiKey
from intervals_server.models.base import utcnow


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: one key of one organization."""

    organization_id: str
    key_id: str
    scopes: frozenset[str]
    rate_limits: tuple[Window, ...] = field(default=())

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"This API key lacks the {scope} scope")


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key: ApiKey
    secret: str


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("Missing API key: send Authorization: Bearer <key>")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Malformed Authorization header: expected Bearer <key>")
    return token


# Per process; see intervals_server/auth/cache.py for how long a revocation elsewhere takes.
verified_keys: KeyCache[Principal] = KeyCache()
refused_keys = RefusedKeys()
REFUSED_MESSAGE = "Invalid or revoked API key"


async def authenticate(
    store: Store, authorization: str | None, *, before_lookup: Callable[[], None] | None = None
) -> Principal:
    """The caller of a request with this ``Authorization``, or ``Unauthorized``.

    ``before_lookup`` runs only when the key must be looked up in the database (neither
    verified nor refused moments ago): it may refuse the request first.
    """
    token = bearer_token(authorization)
    secret_hash = hash_secret(token)
    principal = verified_keys.get(secret_hash)
    if principal is not None:
        return principal
    if secret_hash in refused_keys:
        raise Unauthorized(REFUSED_MESSAGE)
    if before_lookup is not None:
        before_lookup()
    key = await repository.KeyLookup(store).find_row_by_hash(secret_hash)
    if key is None or not hashes_match(key.secret_hash, secret_hash) or key.revoked_at:
        refused_keys.add(secret_hash)
        raise Unauthorized(REFUSED_MESSAGE)
    override = Window(key.rate_limit, key.rate_limit_period or 60) if key.rate_limit else None
    principal = Principal(
        key.organization_id, key.id, frozenset(key.scopes), windows_for(key.plan, override)
    )
    verified_keys.put(secret_hash, key.id, principal)
    return principal


async def issue_key(
    session: AsyncSession,
    organization_id: str,
    *,
    name: str,
    scopes: Iterable[Scope],
    rate_limit: Window | None = None,
) -> IssuedKey:
    secret = generate_secret()
    key = ApiKey(
        id=ids.new_id(ids.API_KEY),
        organization_id=organization_id,
        name=name,
        prefix=display_prefix(secret),
        secret_hash=hash_secret(secret),
        scopes=sorted({str(scope) for scope in scopes}),
        rate_limit=rate_limit.limit if rate_limit else None,
        rate_limit_period=rate_limit.seconds if rate_limit else None,
    )
    session.add(key)
    await session.flush()
    refused_keys.discard(key.secret_hash)
    return IssuedKey(key, secret)


async def list_keys(session: AsyncSession, organization_id: str) -> Sequence[ApiKey]:
    return await repository.list_for_organization(session, organization_id)


async def set_rate_limit(session: AsyncSession, key_id: str, limit: Window | None) -> bool:
    """Override the plan's rate for one key; ``None`` restores the plan's."""
    verified_keys.forget(key_id)
    return await repository.set_rate_limit(session, key_id, limit)


async def revoke_key(session: AsyncSession, key_id: str) -> bool:
    verified_keys.forget(key_id)
    return await repository.revoke(session, key_id, utcnow())


async def find_key(session: AsyncSession, reference: str) -> ApiKey:
    """The key whose ID or display prefix (as ``keys list`` shows it) is ``reference``."""
    reference = reference.strip().removesuffix("…")
    found = await repository.find_by_id_or_prefix(session, reference)
    if not found:
        raise NotFound(f"No key with ID or prefix {reference!r}")
    if len(found) > 1:
        raise Conflict(
            f"{len(found)} keys have the prefix {reference!r}: name the key by its ID",
            reason="ambiguous_key",
        )
    return found[0]
