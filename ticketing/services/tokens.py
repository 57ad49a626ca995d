"""API tokens: issued once in clear text, stored as a hash, looked up by hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from ticketing.domain.access import ApiRole, ApiToken
from ticketing.services.unit_of_work import AbstractUnitOfWork

TOKEN_PREFIX = "bvb_"


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
) -> tuple[str, ApiToken]:
    """Issue a token; the clear text is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, role=role, token_hash=hash_token(secret), created_at=now, regions=regions)
    async with uow:
        token = await uow.tokens.add(token)
        await uow.commit()
    return secret, token


async def authenticate(uow: AbstractUnitOfWork, secret: str) -> ApiToken | None:
    """The live token for ``secret``, or ``None``."""
    if not secret:
        return None
    async with uow:
        token = await uow.tokens.get_by_hash(hash_token(secret))
    if token is None or token.revoked_at is not None:
        return None
    return token
