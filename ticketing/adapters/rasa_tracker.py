"""Rasa's SQL tracker store, as the ticketing service erases personal data from it (152-ФЗ).

The conversations (``var/rasa-tracker.sqlite3`` under ``make run``; PostgreSQL in production,
``RASA_TRACKER_URL``) keep every message, the slots ``email`` and ``login``, and the form's answers:
the same person's data as the ticket. Rasa's HTTP API has no way to delete a conversation (replacing
its events only appends to an SQL store), so the rows of Rasa's ``events`` table (rasa/core/tracker_store.py,
``SQLTrackerStore.SQLEvent``: ``sender_id``, ``timestamp``…) are deleted here. Rasa reads a tracker
from the table on each message, so a forgotten conversation simply starts afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, inspect, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketing.adapters.uow import make_engine
from ticketing.services.personal_data_ports import ConversationStore

TABLE = "events"


class SqlConversationStore(ConversationStore):
    def __init__(self, url: str) -> None:
        self._engine: AsyncEngine = make_engine(url)
        database = make_url(url).database
        # No conversations yet: an SQLite file that does not exist is not created by asking it.
        self._absent = url.startswith("sqlite") and database is not None and not Path(database).exists()

    async def _has_table(self) -> bool:
        if self._absent:
            return False
        async with self._engine.connect() as conn:
            return bool(await conn.run_sync(lambda sync: inspect(sync).has_table(TABLE)))

    async def forget(self, conversation_ids: Iterable[str]) -> int:
        ids = sorted(set(conversation_ids))
        if not ids or not await self._has_table():
            return 0
        statement = text(f"DELETE FROM {TABLE} WHERE sender_id IN :ids").bindparams(bindparam("ids", expanding=True))
        async with self._engine.begin() as conn:
            result = await conn.execute(statement, {"ids": ids})
        return int(result.rowcount or 0)

    async def idle(self, before: datetime) -> list[str]:
        if not await self._has_table():
            return []
        statement = text(f"SELECT sender_id FROM {TABLE} GROUP BY sender_id HAVING MAX(timestamp) < :before")
        async with self._engine.connect() as conn:
            rows = await conn.execute(statement, {"before": before.timestamp()})
        return [str(sender) for (sender,) in rows]

    async def close(self) -> None:
        await self._engine.dispose()


class RedisConversationStore(ConversationStore):
    """Rasa's ``RedisTrackerStore`` (``tracker_store: type: redis``), as the service erases from it (152-ФЗ).

    Rasa 3.6 (rasa/core/tracker_store.py) keeps one string per conversation: the key is
    ``tracker:{sender_id}`` — ``{key_prefix}:tracker:{sender_id}`` when endpoints.yml gives an
    alphanumeric ``key_prefix`` — and the value is the JSON of ``Dialogue.as_dict()``:
    ``{"name": sender_id, "events": [{"event": …, "timestamp": …}, …]}``. Deleting the key is
    deleting the conversation; Rasa starts a new one at the next message.

    ``RASA_TRACKER_URL=redis://host:6379/0?key_prefix=bvb`` (the same ``db`` and ``key_prefix`` as
    endpoints.yml; ``rediss://`` for TLS).
    """

    DEFAULT_PREFIX = "tracker:"  # rasa.core.tracker_store.DEFAULT_REDIS_TRACKER_STORE_KEY_PREFIX

    def __init__(self, url: str) -> None:
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        from redis.asyncio import Redis

        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        key_prefix = query.pop("key_prefix", "")
        if key_prefix and not key_prefix.isalnum():
            raise ValueError(
                f"RASA_TRACKER_URL: key_prefix «{key_prefix}» — Rasa принимает только буквы и цифры "
                "(иначе берёт tracker:); укажите тот же key_prefix, что в endpoints.yml."
            )
        self.prefix = f"{key_prefix}:{self.DEFAULT_PREFIX}" if key_prefix else self.DEFAULT_PREFIX
        plain = urlunsplit(parts._replace(query=urlencode(query)))
        self._redis = Redis.from_url(plain, decode_responses=True)

    @staticmethod
    def _events(stored: str | bytes | None) -> list[dict[str, object]]:
        import json

        if stored is None:
            return []
        try:
            events = json.loads(stored).get("events")
        except (ValueError, AttributeError):
            return []
        return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []

    async def forget(self, conversation_ids: Iterable[str]) -> int:
        keys = [self.prefix + sender for sender in sorted(set(conversation_ids))]
        if not keys:
            return 0
        stored = await self._redis.mget(keys)
        await self._redis.delete(*keys)
        return sum([len(self._events(value)) for value in stored])

    async def idle(self, before: datetime) -> list[str]:
        cutoff = before.timestamp()
        found: list[str] = []
        async for key in self._redis.scan_iter(match=_glob_escape(self.prefix) + "*", count=500):
            events = self._events(await self._redis.get(key))
            moments = [float(t) for e in events if isinstance(t := e.get("timestamp"), int | float)]
            if moments and max(moments) < cutoff:
                found.append(str(key)[len(self.prefix) :])
        return sorted(found)

    async def close(self) -> None:
        await self._redis.aclose()


def _glob_escape(text: str) -> str:
    """``text`` literally in a Redis ``MATCH`` pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
