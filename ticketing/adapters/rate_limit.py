"""Fixed-window rate limits: Redis across workers, a dictionary in one process."""

from __future__ import annotations

import abc
import time
from collections.abc import Sequence

from redis.asyncio import Redis


class RateLimiter(abc.ABC):
    @abc.abstractmethod
    async def allow(self, key: str, *, limit: int, window_seconds: int) -> bool:
        """Count one hit on ``key``; False once more than ``limit`` fall in the current window."""

    async def allow_many(self, keys: Sequence[str], *, limit: int, window_seconds: int) -> list[bool]:
        """:meth:`allow` for each key in order (a key may repeat); adapters may do it in one round trip."""
        return [await self.allow(key, limit=limit, window_seconds=window_seconds) for key in keys]

    @abc.abstractmethod
    async def exceeded(self, key: str, *, limit: int, window_seconds: int) -> bool:
        """Whether ``limit`` hits already fell in the current window, without counting one."""

    @staticmethod
    def seconds_left(window_seconds: int) -> int:
        """Until the current window ends: what a 429 tells in ``Retry-After``."""
        return window_seconds - int(time.time()) % window_seconds


class LocalRateLimiter(RateLimiter):
    def __init__(self) -> None:
        self._hits: dict[tuple[str, int], int] = {}

    async def allow(self, key: str, *, limit: int, window_seconds: int) -> bool:
        window = int(time.time()) // window_seconds
        if len(self._hits) > 100_000:  # forget old windows rather than grow without end
            self._hits = {k: v for k, v in self._hits.items() if k[1] == window}
        count = self._hits.get((key, window), 0) + 1
        self._hits[(key, window)] = count
        return count <= limit

    async def exceeded(self, key: str, *, limit: int, window_seconds: int) -> bool:
        return self._hits.get((key, int(time.time()) // window_seconds), 0) >= limit


class RedisRateLimiter(RateLimiter):
    def __init__(self, redis: Redis, prefix: str = "bvb:rate:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def allow(self, key: str, *, limit: int, window_seconds: int) -> bool:
        (allowed,) = await self.allow_many([key], limit=limit, window_seconds=window_seconds)
        return allowed

    async def exceeded(self, key: str, *, limit: int, window_seconds: int) -> bool:
        count = await self._redis.get(f"{self._prefix}{key}:{int(time.time()) // window_seconds}")
        return count is not None and int(count) >= limit

    async def allow_many(self, keys: Sequence[str], *, limit: int, window_seconds: int) -> list[bool]:
        window = int(time.time()) // window_seconds
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                name = f"{self._prefix}{key}:{window}"
                pipe.incr(name)
                pipe.expire(name, window_seconds + 1)
            replies = await pipe.execute()
        return [int(count) <= limit for count in replies[::2]]
