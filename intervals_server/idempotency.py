"""``Idempotency-Key``: a retried POST gets the first response instead of doing it twice.

Design. A key (scoped to the API key) lives in ``idempotency_keys`` in two states:

1. **Reserve** — before the handler runs, a short transaction of its own inserts the row
   as ``in_progress`` with a random ``owner`` and a lease (``INSERT … ON CONFLICT DO
   NOTHING``), and commits. Committing first is what lets a concurrent retry see the
   reservation at once instead of blocking on an uncommitted unique insert (PostgreSQL
   would make it wait on the first transaction): it reads the committed row and answers
   409 ``idempotency_key_in_use`` with ``Retry-After: 1``, or 409 ``idempotency_key_reused``
   when its request differs (method, path and canonical JSON body, hashed).
2. **Complete** — the handler's own write transaction ends by turning the row into
   ``completed`` with the response's status and bytes, on condition that it still owns
   it. The resource and the replayable response commit together: a crash before the
   commit leaves neither, only the reservation, whose lease then runs out.

A reservation whose lease ran out (its process died, or its request outlived the lease)
is taken over by the next request with the key, by a conditional update on the old
owner; if the old request then tries to complete, the condition fails, its transaction
rolls back, and it answers ``in_use`` — so two resources are never created.

Not stored, so a corrected retry runs: validation failures (they fail before the
reservation, or release it), 429s (refused before it), and 5xx (the reservation is
released). Other 4xx answers (404, 409 …) are stored, as Stripe does. Keys are kept 24
hours from their first request; expired rows count as absent and each process purges
them opportunistically, at most once an hour, in the reservation's transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Database
from intervals_server.kit.errors import BadRequest, Conflict
from intervals_server.models import IdempotencyKey
from intervals_server.models.base import utcnow

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
# Longer than any request should take; a reservation older than this is abandoned.
LEASE = timedelta(seconds=60)
PURGE_EVERY_S = 3600.0

REUSED_MESSAGE = "Idempotency key already used with different request body"
IN_USE_MESSAGE = "A request with this Idempotency-Key is still in progress; retry shortly"
# Printable ASCII; no space at either end, where HTTP would trim it away.
KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$"
_VALID_KEY = re.compile(KEY_PATTERN)
_IN_PROGRESS, _COMPLETED = "in_progress", "completed"
_next_purge = 0.0


def parse_key(value: str | None) -> str | None:
    """The header's key, if sent; a 400 if it is not 1 to 255 printable ASCII characters."""
    if value is None:
        return None
    if not _VALID_KEY.fullmatch(value):
        raise BadRequest("Idempotency-Key must be 1 to 255 printable ASCII characters")
    return value


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same: method, path, and the body with keys sorted."""
    canonical = msgspec.json.encode(msgspec.json.decode(body or b"{}"), order="sorted")
    digest = hashlib.sha256(f"{method.upper()} {path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def key_in_use() -> Conflict:
    return Conflict(IN_USE_MESSAGE, reason="idempotency_key_in_use", headers={"Retry-After": "1"})


@dataclass(frozen=True, slots=True)
class Reservation:
    api_key_id: str
    key: str
    owner: str


@dataclass(frozen=True, slots=True)
class Stored:
    """A response to replay."""

    status: int
    body: bytes


def _pk(api_key_id: str, key: str) -> ColumnElement[bool]:
    return and_(IdempotencyKey.api_key_id == api_key_id, IdempotencyKey.key == key)


async def _insert(session: AsyncSession, row: dict[str, object]) -> bool:
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(IdempotencyKey).values(row).on_conflict_do_nothing()
    result = await session.execute(statement.returning(IdempotencyKey.key))
    return result.first() is not None


async def reserve(
    database: Database, api_key_id: str, key: str, request_fingerprint: str
) -> Reservation | Stored:
    """Own the key for this request, or the stored response to replay; else a 409."""
    now = utcnow()
    owner = secrets.token_hex(16)
    fresh: dict[str, object] = {
        "fingerprint": request_fingerprint,
        "state": _IN_PROGRESS,
        "owner": owner,
        "lease_until": now + LEASE,
        "status_code": None,
        "response_body": None,
        "created_at": now,
        "expires_at": now + TTL,
    }
    reservation = Reservation(api_key_id, key, owner)
    async with database.write() as session:
        if await _insert(session, {"api_key_id": api_key_id, "key": key, **fresh}):
            await _purge_now_and_then(session, now)
            return reservation
        row = (
            await session.execute(select(IdempotencyKey).where(_pk(api_key_id, key)))
        ).scalar_one_or_none()
        if row is None:  # purged between the two statements: as busy as can be, briefly
            raise key_in_use()
        if _abandoned(row, now):
            taken = await session.execute(
                update(IdempotencyKey)
                .where(_pk(api_key_id, key), IdempotencyKey.owner == row.owner)
                .where(IdempotencyKey.state == row.state)
                .values(fresh)
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                return reservation
            raise key_in_use()
        if row.fingerprint != request_fingerprint:
            raise Conflict(REUSED_MESSAGE, reason="idempotency_key_reused")
        if row.state != _COMPLETED or row.status_code is None or row.response_body is None:
            raise key_in_use()
        return Stored(row.status_code, row.response_body)


def _abandoned(row: IdempotencyKey, now: datetime) -> bool:
    return row.expires_at <= now or (row.state == _IN_PROGRESS and row.lease_until <= now)


async def complete(
    session: AsyncSession, reservation: Reservation, status: int, body: bytes
) -> None:
    """Store the response in the handler's transaction; refuse (rolling it back) if the
    reservation was taken over meanwhile."""
    if not await _finish(session, reservation, status, body):
        raise key_in_use()


async def record(database: Database, reservation: Reservation, status: int, body: bytes) -> None:
    """Store an error the handler answered after its transaction rolled back."""
    async with database.write() as session:
        await _finish(session, reservation, status, body)


async def release(database: Database, reservation: Reservation) -> None:
    """Give the key up, so that a retry runs again."""
    async with database.write() as session:
        await session.execute(
            delete(IdempotencyKey).where(
                _pk(reservation.api_key_id, reservation.key),
                IdempotencyKey.owner == reservation.owner,
                IdempotencyKey.state == _IN_PROGRESS,
            )
        )


async def _finish(
    session: AsyncSession, reservation: Reservation, status: int, body: bytes
) -> bool:
    result = await session.execute(
        update(IdempotencyKey)
        .where(
            _pk(reservation.api_key_id, reservation.key),
            IdempotencyKey.owner == reservation.owner,
            IdempotencyKey.state == _IN_PROGRESS,
        )
        .values(state=_COMPLETED, status_code=status, response_body=body)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def purge_expired(session: AsyncSession, now: datetime | None = None) -> int:
    """Delete the keys kept past their 24 hours; how many."""
    result = await session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.expires_at <= (now or utcnow()))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _purge_now_and_then(session: AsyncSession, now: datetime) -> None:
    global _next_purge
    if time.monotonic() >= _next_purge:
        _next_purge = time.monotonic() + PURGE_EVERY_S
        await purge_expired(session, now)
