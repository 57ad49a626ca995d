"""The chat's reply memory in the machine's Redis: what several workers share to answer a resend once."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from ticketing.adapters.reply_cache import PENDING, UNCERTAIN, LocalReplyCache, RedisReplyCache, ReplyCache, done

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["redis", "local"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[ReplyCache]:
    if request.param == "local":
        yield LocalReplyCache()
        return
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except OSError as exc:
        pytest.fail(f"Redis недоступен по {REDIS_URL}: {exc}. Запустите его (см. .ci/run).")
    yield RedisReplyCache(client, prefix=f"test:chat:{uuid.uuid4().hex}:")
    await client.aclose()


async def test_the_first_claim_wins_and_the_rest_see_its_record(cache: ReplyCache) -> None:
    assert await cache.claim("m1", ttl=30) is None
    assert await cache.claim("m1", ttl=30) == PENDING
    answer = done([{"sender": "bot", "text": "Здравствуйте!"}])
    await cache.put("m1", answer, ttl=30)
    assert await cache.claim("m1", ttl=30) == answer
    assert await cache.peek("m1") == answer


async def test_a_released_message_may_be_sent_again(cache: ReplyCache) -> None:
    assert await cache.claim("m2", ttl=30) is None
    await cache.release("m2")
    assert await cache.peek("m2") is None
    assert await cache.claim("m2", ttl=30) is None


async def test_an_uncertain_turn_is_remembered(cache: ReplyCache) -> None:
    await cache.claim("m3", ttl=30)
    await cache.put("m3", UNCERTAIN, ttl=30)
    assert await cache.claim("m3", ttl=30) == UNCERTAIN


async def test_records_expire(cache: ReplyCache) -> None:
    assert await cache.claim("m4", ttl=1) is None
    await asyncio.sleep(1.2)
    assert await cache.claim("m4", ttl=1) is None
