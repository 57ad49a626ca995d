"""Event buses: in-process (embedded mode) and Redis pub/sub (several workers or hosts)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from redis.asyncio import Redis

from ticketing.services.events import EventBus

CHANNEL = "bvb:ticket-events"
QUEUE_LIMIT = 1000  # a stalled subscriber loses old messages rather than eating memory


class InProcessEventBus(EventBus):
    """Fan-out to subscribers of this process; enough for one worker on a laptop."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[dict[str, Any]]] = set()

    async def publish(self, message: dict[str, Any]) -> None:
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)


class RedisEventBus(EventBus):
    """Redis pub/sub, so that every worker's subscribers see every worker's events."""

    def __init__(self, redis: Redis, channel: str = CHANNEL) -> None:
        self._redis = redis
        self._channel = channel

    async def publish(self, message: dict[str, Any]) -> None:
        await self._redis.publish(self._channel, json.dumps(message, ensure_ascii=False))

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.publish(self._channel, json.dumps(message, ensure_ascii=False))
            await pipe.execute()

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._channel)
        try:
            async for raw in pubsub.listen():
                if raw.get("type") == "message":
                    yield json.loads(raw["data"])
        finally:
            await pubsub.unsubscribe(self._channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        """The Redis client belongs to the container, which closes it."""
