"""Console sessions in Redis (several workers) and in the database (a laptop): the same behaviour."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from ticketing.adapters.sessions import RedisSessionStore, SqlSessionStore
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.domain.access import ApiRole
from ticketing.services.sessions import SessionStore, key_of
from ticketing.services.staff import create_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


async def exercise(store: SessionStore, user_id: int) -> None:
    secret, session = await store.create(user_id, now=NOW)
    again = await store.get(secret, now=NOW + timedelta(hours=1))
    assert again is not None and again.user_id == user_id and again.csrf == session.csrf
    assert await store.get(secret, now=NOW + timedelta(hours=13)) is None  # twelve hours at most
    assert await store.get("forged", now=NOW) is None
    other, _ = await store.create(user_id, now=NOW)
    await store.end(secret)
    assert await store.get(secret, now=NOW) is None
    assert await store.get(other, now=NOW) is not None
    await store.end_all_of(user_id)
    assert await store.get(other, now=NOW) is None


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except OSError as exc:
        pytest.fail(f"Redis недоступен по {REDIS_URL}: {exc}. Запустите его (см. .ci/run).")
    yield client
    await client.aclose()


@pytest.mark.redis
async def test_redis_sessions(redis: Redis) -> None:
    await exercise(RedisSessionStore(redis), 4242)
    secret, _ = await RedisSessionStore(redis).create(7, now=datetime.now(UTC))
    ttl = await redis.ttl("bvb:console:session:" + key_of(secret))
    assert 12 * 3600 - 60 < ttl <= 12 * 3600  # Redis forgets the session by itself
    await RedisSessionStore(redis).end(secret)


async def test_database_sessions(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        user = await create_user(
            SqlAlchemyUnitOfWork(engine), login="s", name="С", role=ApiRole.LINE1, password="длинный-пароль", now=NOW
        )
        assert user.id is not None
        await exercise(SqlSessionStore(engine), user.id)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM staff_users"))
        await engine.dispose()
