"""Remembers what the bot answered to each client message id, so a resend is not answered twice.

The widget resends a queued message with the same id after a dropped connection; the first
attempt may have reached the bot. A record is ``pending`` while a turn is in flight, ``done`` with
the bot's messages, or ``uncertain`` when Rasa timed out mid-turn (then the conversation itself
is checked before sending again). Redis keeps the records across workers; one process keeps them
in a dictionary.
"""

from __future__ import annotations

import abc
import json
import time
from typing import Any

from redis.asyncio import Redis

Record = dict[str, Any]
PENDING: Record = {"state": "pending"}
UNCERTAIN: Record = {"state": "uncertain"}


def done(messages: list[dict[str, Any]]) -> Record:
    return {"state": "done", "messages": messages}


class ReplyCache(abc.ABC):
    @abc.abstractmethod
    async def claim(self, key: str, ttl: int) -> Record | None:
        """Mark ``key`` pending and return None if nobody holds it, else return its record."""

    @abc.abstractmethod
    async def peek(self, key: str) -> Record | None:
        """The record of ``key``, or None."""

    @abc.abstractmethod
    async def put(self, key: str, record: Record, ttl: int) -> None:
        """Store ``record`` (``done`` or ``uncertain``, or ``pending`` again on a takeover)."""

    @abc.abstractmethod
    async def release(self, key: str) -> None:
        """Forget ``key``: the message did not reach the bot and may be sent again."""


class LocalReplyCache(ReplyCache):
    """One process's memory; bounded, the oldest records go first."""

    def __init__(self, max_records: int = 50_000) -> None:
        self._records: dict[str, tuple[float, Record]] = {}
        self._max = max_records

    def _live(self, key: str) -> Record | None:
        entry = self._records.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del self._records[key]
            return None
        return entry[1]

    async def claim(self, key: str, ttl: int) -> Record | None:
        record = self._live(key)
        if record is not None:
            return record
        await self.put(key, PENDING, ttl)
        return None

    async def peek(self, key: str) -> Record | None:
        return self._live(key)

    async def put(self, key: str, record: Record, ttl: int) -> None:
        if len(self._records) >= self._max:
            now = time.monotonic()
            self._records = {k: v for k, v in self._records.items() if v[0] >= now}
            while len(self._records) >= self._max:
                del self._records[next(iter(self._records))]
        self._records[key] = (time.monotonic() + ttl, record)

    async def release(self, key: str) -> None:
        self._records.pop(key, None)


class RedisReplyCache(ReplyCache):
    def __init__(self, redis: Redis, prefix: str = "bvb:chat:reply:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def claim(self, key: str, ttl: int) -> Record | None:
        name = self._prefix + key
        for _ in range(2):  # the record may expire between SET NX and GET
            if await self._redis.set(name, json.dumps(PENDING), nx=True, ex=ttl):
                return None
            record = await self.peek(key)
            if record is not None:
                return record
        return None

    async def peek(self, key: str) -> Record | None:
        raw = await self._redis.get(self._prefix + key)
        if raw is None:
            return None
        value = json.loads(raw)
        return value if isinstance(value, dict) else None

    async def put(self, key: str, record: Record, ttl: int) -> None:
        await self._redis.set(self._prefix + key, json.dumps(record, ensure_ascii=False), ex=ttl)

    async def release(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)
