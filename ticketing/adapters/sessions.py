"""Console session stores: Redis (several workers, expiry by TTL) or the database's table."""

from __future__ import annotations

import json
from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketing.adapters.orm import console_sessions
from ticketing.services.sessions import Session, SessionStore

PREFIX = "bvb:console:session:"
USER_PREFIX = "bvb:console:user-sessions:"


class SqlSessionStore(SessionStore):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def put(self, key: str, session: Session, *, now: datetime) -> None:
        async with self._engine.begin() as conn:
            # Expired sessions of anybody go on every sign-in; the table stays small without a cron.
            await conn.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))
            await conn.execute(
                insert(console_sessions).values(
                    id_hash=key,
                    user_id=session.user_id,
                    csrf=session.csrf,
                    created_at=now,
                    expires_at=session.expires_at,
                )
            )

    async def load(self, key: str) -> Session | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(console_sessions).where(console_sessions.c.id_hash == key))).first()
        if row is None:
            return None
        return Session(user_id=row.user_id, csrf=row.csrf, expires_at=row.expires_at)

    async def delete(self, key: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(delete(console_sessions).where(console_sessions.c.id_hash == key))

    async def end_all_of(self, user_id: int) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(delete(console_sessions).where(console_sessions.c.user_id == user_id))


class RedisSessionStore(SessionStore):
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def put(self, key: str, session: Session, *, now: datetime) -> None:
        ttl = max(1, int((session.expires_at - now).total_seconds()))
        body = json.dumps(
            {"user_id": session.user_id, "csrf": session.csrf, "expires_at": session.expires_at.isoformat()}
        )
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(PREFIX + key, body, ex=ttl)
            pipe.sadd(f"{USER_PREFIX}{session.user_id}", key)
            pipe.expire(f"{USER_PREFIX}{session.user_id}", ttl)
            await pipe.execute()

    async def load(self, key: str) -> Session | None:
        raw = await self._redis.get(PREFIX + key)
        if raw is None:
            return None
        data = json.loads(raw)
        return Session(
            user_id=int(data["user_id"]), csrf=data["csrf"], expires_at=datetime.fromisoformat(data["expires_at"])
        )

    async def delete(self, key: str) -> None:
        await self._redis.delete(PREFIX + key)

    async def end_all_of(self, user_id: int) -> None:
        keys = await self._redis.smembers(f"{USER_PREFIX}{user_id}")
        if keys:
            await self._redis.delete(*(PREFIX + (k.decode() if isinstance(k, bytes) else k) for k in keys))
        await self._redis.delete(f"{USER_PREFIX}{user_id}")
