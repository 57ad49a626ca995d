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
