""" "Only one of us does this round": a Redis lock across workers, or nothing to lock in one process."""

from __future__ import annotations

import abc
import secrets

from redis.asyncio import Redis


class RoundLock(abc.ABC):
    @abc.abstractmethod
    async def acquire(self, name: str, ttl_seconds: int) -> bool:
        """Whether this process should do the round called ``name`` (held until it expires)."""


class LocalRoundLock(RoundLock):
    async def acquire(self, name: str, ttl_seconds: int) -> bool:
        return True


class RedisRoundLock(RoundLock):
    """``SET NX EX``: the first worker of each interval wins; the lock simply expires."""

    def __init__(self, redis: Redis, prefix: str = "bvb:lock:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._me = secrets.token_hex(8)

    async def acquire(self, name: str, ttl_seconds: int) -> bool:
        return bool(await self._redis.set(self._prefix + name, self._me, nx=True, ex=ttl_seconds))
