"""bot/lock_store.py against the machine's real Redis: tickets of one conversation are issued once each,
even when two stores (two replicas) take them at the same moment, and a waiting message gets its turn."""

from __future__ import annotations

import asyncio
import threading

from bot.lock_store import AtomicRedisLockStore
from tests.bot.redis_db import REDIS


def test_two_replicas_taking_tickets_at_once_never_get_the_same_one(prefix: str) -> None:
    replicas = [AtomicRedisLockStore(key_prefix=prefix, **REDIS) for _ in range(2)]
    issued: list[int] = []
    start = threading.Barrier(8)

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(25):
            issued.append(store.issue_ticket("pupil-1"))

    threads = [threading.Thread(target=take, args=(replicas[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(200))  # 8 × 25 tickets, each number once


def test_endpoint_config_as_rasa_passes_it() -> None:
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url="127.0.0.1", type="bot.lock_store.AtomicRedisLockStore", port=6379, db=15)
    store = AtomicRedisLockStore(endpoint_config=config)
    assert store.red.connection_pool.connection_kwargs["db"] == 15


def two_messages_at_once(first: AtomicRedisLockStore, second: AtomicRedisLockStore, conversation: str) -> list[str]:
    """Message «a» through ``first``, and 50 ms later «b» of the same conversation through ``second``."""
    order: list[str] = []

    async def message(store: AtomicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock(conversation):
            order.append(f"{name} start")
            await asyncio.sleep(0.2)
            order.append(f"{name} end")

    async def both() -> None:
        await asyncio.gather(message(first, "a", 0), message(second, "b", 0.05))

    asyncio.run(both())
    return order


def test_a_second_message_waits_for_the_first_and_the_lock_is_gone_after(prefix: str) -> None:
    first, second = (AtomicRedisLockStore(key_prefix=prefix, **REDIS) for _ in range(2))
    assert two_messages_at_once(first, second, "pupil-2") == ["a start", "a end", "b start", "b end"]
    assert first.get_lock("pupil-2") is None


def _dead_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_while_redis_is_down_messages_still_wait_for_each_other_and_then_redis_is_used_again(prefix: str) -> None:
    import redis

    store = AtomicRedisLockStore(key_prefix=prefix, **REDIS)
    reachable = store.red
    store.red = redis.Redis(host="127.0.0.1", port=_dead_port(), db=15)  # Redis killed
    # No ConnectionError: both messages are answered, one after the other.
    assert two_messages_at_once(store, store, "pupil-3") == ["a start", "a end", "b start", "b end"]

    store.red = reachable  # Redis is back: the next message's lock is in Redis, shared with other replicas
    seen: list[object] = []

    async def third() -> None:
        async with store.lock("pupil-3"):
            seen.append(AtomicRedisLockStore(key_prefix=prefix, **REDIS).get_lock("pupil-3"))

    asyncio.run(third())
    assert seen[0] is not None
    assert store.get_lock("pupil-3") is None
