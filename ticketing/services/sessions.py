"""The port of console sessions: server-side, so signing out or disabling a user ends them at once."""

from __future__ import annotations

import abc
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SESSION_TTL = timedelta(hours=12)  # one working day; the cookie dies with it


@dataclass(frozen=True)
class Session:
    user_id: int
    csrf: str
    expires_at: datetime


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def key_of(secret: str) -> str:
    """Only the hash of the cookie is stored: a leaked store does not let anybody in."""
    return hashlib.sha256(secret.encode()).hexdigest()


class SessionStore(abc.ABC):
    """Redis when configured (shared by workers, expiring by itself), the database otherwise."""

    async def create(self, user_id: int, *, now: datetime, ttl: timedelta = SESSION_TTL) -> tuple[str, Session]:
        """Start a session; returns the cookie secret (shown once) and the session."""
        secret = new_secret()
        session = Session(user_id=user_id, csrf=secrets.token_urlsafe(32), expires_at=now + ttl)
        await self.put(key_of(secret), session, now=now)
        return secret, session

    async def get(self, secret: str, *, now: datetime) -> Session | None:
        session = await self.load(key_of(secret))
        if session is None or session.expires_at <= now:
            return None
        return session

    async def end(self, secret: str) -> None:
        await self.delete(key_of(secret))

    @abc.abstractmethod
    async def put(self, key: str, session: Session, *, now: datetime) -> None:
        """Store ``session``; ``now`` is the service's clock (expired sessions may be swept)."""

    @abc.abstractmethod
    async def load(self, key: str) -> Session | None: ...

    @abc.abstractmethod
    async def delete(self, key: str) -> None: ...

    @abc.abstractmethod
    async def end_all_of(self, user_id: int) -> None:
        """End every session of a user (disabled, password changed)."""
