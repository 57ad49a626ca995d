"""Redis adapters against the machine's Redis: pub/sub across connections, round locks, rate limits."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from ticketing.adapters.event_bus import RedisEventBus
from ticketing.adapters.locks import RedisRoundLock
from ticketing.adapters.rate_limit import RedisRateLimiter

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except OSError as exc:
        pytest.fail(f"Redis недоступен по {REDIS_URL}: {exc}. Запустите его (см. .ci/run).")
    yield client
    await client.aclose()


async def test_events_cross_connections_like_workers(redis: Redis) -> None:
    channel = f"test:{uuid.uuid4().hex}"
    publisher = Redis.from_url(REDIS_URL, decode_responses=True)
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async for message in RedisEventBus(redis, channel).subscribe():
            received.append(message)
            return

    task = asyncio.create_task(listen())
    for _ in range(50):  # wait until the subscription is registered on the server
        if (await publisher.pubsub_numsub(channel))[0][1]:
            break
        await asyncio.sleep(0.02)
    await RedisEventBus(publisher, channel).publish({"number": "БВБ-000001", "type": "created"})
    await asyncio.wait_for(task, 5)
    await publisher.aclose()
    assert received == [{"number": "БВБ-000001", "type": "created"}]


async def test_one_worker_per_round(redis: Redis) -> None:
    name = f"round-{uuid.uuid4().hex}"
    first, second = RedisRoundLock(redis), RedisRoundLock(redis)
    assert await first.acquire(name, 5)
    assert not await second.acquire(name, 5)


async def test_rate_limit_counts_across_clients(redis: Redis) -> None:
    key = f"k-{uuid.uuid4().hex}"
    a, b = RedisRateLimiter(redis), RedisRateLimiter(redis)
    results = [await (a if i % 2 else b).allow(key, limit=3, window_seconds=60) for i in range(5)]
    assert results == [True, True, True, False, False]


async def test_exceeded_reads_the_count_without_adding_to_it(redis: Redis) -> None:
    """The sign-in asks before it counts: only failures are counted per address."""
    key = f"k-{uuid.uuid4().hex}"
    limiter = RedisRateLimiter(redis)
    for _ in range(5):
        assert not await limiter.exceeded(key, limit=2, window_seconds=60)
    await limiter.allow(key, limit=2, window_seconds=60)
    assert not await limiter.exceeded(key, limit=2, window_seconds=60)
    await limiter.allow(key, limit=2, window_seconds=60)
    assert await limiter.exceeded(key, limit=2, window_seconds=60)


@pytest.fixture
def sqlite_url(tmp_path: Any, sqlite_template: Any) -> str:
    from tests.integration.conftest import sqlite_copy

    return sqlite_copy(sqlite_template, tmp_path / "t.sqlite3")


async def test_two_workers_share_events_through_redis(sqlite_url: str, parts: Any) -> None:
    """A claim on one worker reaches a live screen connected to another worker."""
    from datetime import UTC, datetime

    from tests.integration.conftest import AppClient, issue_token, stop_app
    from tests.integration.test_api_tickets import CHAT_TICKET
    from ticketing.bootstrap import build_container
    from ticketing.config import Settings
    from ticketing.domain.access import ApiRole
    from ticketing.http.app import create_app

    settings = Settings(database_url=sqlite_url, redis_url=REDIS_URL)
    token = await issue_token(settings, ApiRole.ADMIN, "admin", parts=parts)
    clock = lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # noqa: E731
    workers = [build_container(settings, clock=clock, parts=parts) for _ in range(2)]
    apps = [create_app(settings, container=c, name=f"w{i}_{uuid.uuid4().hex[:6]}") for i, c in enumerate(workers)]
    headers = {"Authorization": f"Bearer {token}"}
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async for message in workers[1].bus.subscribe():
            if message["type"] == "claimed":  # registering the ticket is announced too ("created")
                received.append(message)
                return

    task = asyncio.create_task(listen())
    try:
        await asyncio.sleep(0.2)
        client = AppClient(apps[0])
        _, response = await client.post("/api/v1/tickets", json=CHAT_TICKET, headers=headers)
        number = response.json["number"]
        _, response = await client.post(f"/api/v1/tickets/{number}/claim", headers=headers)
        assert response.status == 200
        await asyncio.wait_for(task, 5)
        assert received[0]["number"] == number and received[0]["type"] == "claimed"
    finally:
        task.cancel()
        await stop_app(apps[0])
        for container in workers:
            await container.close()
