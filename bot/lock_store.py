"""Rasa's ``RedisLockStore`` with its read-modify-write steps made atomic, for several replicas.

Rasa 3.6 serialises the messages of one conversation with a ticket lock kept in Redis: a message
takes a ticket, waits until its number is served, and gives the ticket back at the end. The stock
store does each step as GET, change in Python, SET (``LockStore.issue_ticket``, ``finish_serving``,
``cleanup``). Two replicas that take a ticket for the same conversation at the same moment can both
read the same lock and both get the first ticket; both then process at once (rasa issue 9213, and
the reverted ``ConcurrentRedisLockStore`` of rasa pull request 11256). A ``cleanup`` can likewise
delete a lock in which the other replica has just put its ticket.

Here every change of a lock is one Redis transaction (WATCH the key, read, change, MULTI/SET or
DEL, EXEC, retried when another replica changed the key meanwhile), so a ticket is issued once and
never lost. Everything else — the lock format, the keys, the waiting — is Rasa's own, so replicas
with this store and with the stock one read each other's locks. A waiting message looks again every
50 ms rather than every second (Rasa's default), which a pupil would feel as a pause.

While Redis is down (a restart, a failover), a message does not fail: its conversation is serialised by a
lock kept in this replica's memory instead (Rasa's ``InMemoryLockStore``), and the store goes back to Redis
with the next message once Redis answers. That is safe because the load balancer sends one conversation's
messages to one replica (deploy/haproxy.cfg hashes the REST channel's ``sender``) and the conversations
themselves are in PostgreSQL; without it the chat stopped for every pupil for as long as Redis was away
(docs/reliability.md, the Redis row of ``make chaos``).

``endpoints.yml``: ``lock_store: {type: bot.lock_store.AtomicRedisLockStore, url: …, port: …, db: …}``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
logger = logging.getLogger(__name__)

# How often a message waiting for its conversation's lock looks again, in seconds.
WAIT_SECONDS = 0.05


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are Redis transactions (see the module's docstring)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        kwargs.pop("type", None)
        super().__init__(**kwargs)
        # Conversations' locks while Redis is unreachable (see the module's docstring).
        self._local = InMemoryLockStore()
        self._redis_down = False

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock atomically; ``None`` from it deletes the lock."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed this lock between our read and write: read again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def give_back(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, give_back)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        import redis

        wait = min(wait_time_in_seconds, WAIT_SECONDS)
        acquired: TicketLock | None = None
        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
            acquired = await self._acquire_lock(conversation_id, ticket, wait)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            # Redis is away, or went away while this message waited for its turn (a ticket it took stays in
            # Redis until its lifetime ends, LOCK_LIFETIME): the conversation waits inside this replica.
            self._note_redis_down(error)
        if acquired is None:
            async with self._local.lock(conversation_id, lock_lifetime, wait) as local_lock:
                yield local_lock
            return
        if self._redis_down:
            self._redis_down = False
            logger.warning("Redis блокировок разговоров снова доступен: блокировки снова общие для всех реплик.")
        try:
            yield acquired
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except (redis.ConnectionError, redis.TimeoutError) as error:
                # The ticket stays in Redis until its lifetime ends (LOCK_LIFETIME); nothing waits longer.
                self._note_redis_down(error)

    def _note_redis_down(self, error: Exception) -> None:
        if not self._redis_down:
            self._redis_down = True
            logger.warning(
                "Redis блокировок разговоров недоступен (%s): разговоры ждут друг друга внутри этой реплики, "
                "пока Redis не вернётся.",
                error,
            )
