"""Daily jobs of the service, run by one replica at a time and once a Moscow day (``daily_runs``, migration 0013).

Every replica of the service (``make run-prod`` runs two, each may have several workers) has the same
background rounds, so each would start the day's job. Two things keep it to one run:

- while a job runs, its process holds a PostgreSQL *session* advisory lock on a connection of its own
  (``pg_try_advisory_lock``): another replica that tries meanwhile is told «busy» at once and does not
  wait; if the holder dies, PostgreSQL drops its connection and the lock with it, so nothing stays stuck;
- when a job finishes, the row ``daily_runs(name)`` records the Moscow day; a replica that gets the lock
  later the same day finds the day done and does nothing. A job that fails records nothing and is
  tried again at a later round.

On SQLite (``make run``: one process) the lock is an in-process one.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketing.adapters.orm import daily_runs

# One lock per (database, job) in this process, for SQLite; PostgreSQL's locks are the server's.
_LOCAL: dict[tuple[str, str], asyncio.Lock] = {}
_NAMESPACE = "bvb-daily:"


def advisory_key(name: str) -> int:
    """The advisory lock's number of a job: stable across processes and releases (CRC-32 of its name)."""
    return zlib.crc32((_NAMESPACE + name).encode())


class DailyRuns:
    """``turn(name, day)``: whether this process should run the job ``name`` for the Moscow ``day`` now."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def _exclusive(self, name: str) -> AsyncIterator[bool]:
        if not self._postgres:
            lock = _LOCAL.setdefault((str(self._engine.url), name), asyncio.Lock())
            if lock.locked():
                yield False
                return
            async with lock:
                yield True
            return
        key = advisory_key(name)
        async with self._engine.connect() as conn:
            held = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})).scalar())
            await conn.commit()  # the lock is the session's; no transaction stays open while the job runs
            try:
                yield held
            finally:
                if held:
                    await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    await conn.commit()

    async def last_day(self, name: str) -> date | None:
        """The Moscow day the job last finished, if ever."""
        async with self._engine.connect() as conn:
            day = (await conn.execute(select(daily_runs.c.day).where(daily_runs.c.name == name))).scalar()
        return day if isinstance(day, date) else None

    async def _finish(self, name: str, day: date, now: datetime, summary: str) -> None:
        values = {"day": day, "finished_at": now, "summary": summary[:500]}
        async with self._engine.begin() as conn:
            updated = await conn.execute(daily_runs.update().where(daily_runs.c.name == name).values(**values))
            if not updated.rowcount:
                await conn.execute(daily_runs.insert().values(name=name, **values))

    @asynccontextmanager
    async def turn(self, name: str, day: date) -> AsyncIterator[DailyTurn | None]:
        """A :class:`DailyTurn` when this process holds the job and ``day`` is not done yet, else None.

        Leaving the block normally marks the day done (with the summary the job set); an exception
        leaves it undone, so that a later round tries again.
        """
        async with self._exclusive(name) as held:
            if not held:
                yield None
                return
            last = await self.last_day(name)
            if last is not None and last >= day:
                yield None
                return
            current = DailyTurn(name=name, day=day)
            yield current
            await self._finish(name, day, current.finished_at or datetime.now().astimezone(), current.summary)


class DailyTurn:
    """What the job tells the record of its run: when it finished and what it did (a line for people)."""

    def __init__(self, *, name: str, day: date) -> None:
        self.name = name
        self.day = day
        self.summary = ""
        self.finished_at: datetime | None = None
