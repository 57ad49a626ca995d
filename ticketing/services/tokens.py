"""API tokens: issued once in clear text, stored as a hash, looked up by hash; listed, revoked, and expiring."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from ticketing.domain.access import ApiRole, ApiToken
from ticketing.services.unit_of_work import AbstractUnitOfWork

TOKEN_PREFIX = "bvb_"
# A token lives this long unless asked otherwise (``token create --days``); ``make run`` renews its own
# service token by itself (``token ensure``). Never more than MAX_LIFETIME.
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=3650)


def hash_token(secret: str) -> str:
    """SHA-256 of the token.

    Tokens are 256 random bits, so a fast hash is safe here (unlike passwords, which
    need argon2); it lets every request be authenticated by one indexed lookup.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


async def create_token(
    uow: AbstractUnitOfWork,
    *,
    role: ApiRole,
    name: str,
    now: datetime,
    regions: tuple[str, ...] = (),
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> tuple[str, ApiToken]:
    """Issue a token valid for ``lifetime``; the clear text is returned once and never stored."""
    if not timedelta() < lifetime <= MAX_LIFETIME:
        raise ValueError(f"срок действия токена — от 1 дня до {MAX_LIFETIME.days} дней")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role,
        token_hash=hash_token(secret),
        created_at=now,
        regions=regions,
        expires_at=now + lifetime,
    )
    async with uow:
        token = await uow.tokens.add(token)
        await uow.commit()
    return secret, token


class TokenCache:
    """Recently seen tokens, so that each API call does not cost a database round trip.

    A revoked token keeps working for at most ``ttl`` seconds in a process that saw it.
    """

    def __init__(self, ttl: float = 30.0, size: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._entries: dict[str, tuple[float, ApiToken]] = {}

    def get(self, token_hash: str) -> ApiToken | None:
        entry = self._entries.get(token_hash)
        if entry is None or entry[0] < self._clock():
            return None
        return entry[1]

    def put(self, token: ApiToken) -> None:
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[token.token_hash] = (self._clock() + self._ttl, token)

    def clear(self) -> None:
        self._entries.clear()


async def authenticate(
    uow: AbstractUnitOfWork, secret: str, cache: TokenCache | None = None, *, now: datetime
) -> ApiToken | None:
    """The live token for ``secret`` (not revoked, not expired at ``now``, checked on cached ones too), or ``None``."""
    if not secret:
        return None
    token_hash = hash_token(secret)
    token = cache.get(token_hash) if cache is not None else None
    if token is None:
        async with uow:
            token = await uow.tokens.get_by_hash(token_hash)
        if token is not None and cache is not None:
            cache.put(token)
    if token is None or not token.live(now):
        return None
    return token


async def list_tokens(uow: AbstractUnitOfWork) -> list[ApiToken]:
    async with uow:
        return await uow.tokens.all()


async def revoke_token(uow: AbstractUnitOfWork, token_id: int, *, now: datetime) -> ApiToken | None:
    """Revoke a live token; ``None`` when there is no such token or it was already revoked.

    Processes that saw it recently may accept it for up to :class:`TokenCache`'s ``ttl`` (30 s) more.
    """
    async with uow:
        token = await uow.tokens.get(token_id)
        if token is None or token.revoked_at is not None:
            return None
        await uow.tokens.revoke(token_id, now)
        await uow.commit()
    return replace(token, revoked_at=now)
