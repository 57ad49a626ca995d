"""Storage of the admins' extraordinary calendar days."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import calendar_days
from ticketing.domain.extra_days import ExtraDay
from ticketing.services.unit_of_work import CalendarRepository


class SqlCalendarRepository(CalendarRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def all(self) -> list[ExtraDay]:
        rows = await self._conn.execute(select(calendar_days).order_by(calendar_days.c.day))
        return [
            ExtraDay(day=r.day, working=r.working, note=r.note, created_at=r.created_at, created_by=r.created_by)
            for r in rows
        ]

    async def put(self, day: ExtraDay) -> None:
        values = {"working": day.working, "note": day.note, "created_at": day.created_at, "created_by": day.created_by}
        result = await self._conn.execute(update(calendar_days).where(calendar_days.c.day == day.day).values(values))
        if result.rowcount == 0:
            await self._conn.execute(insert(calendar_days).values(day=day.day, **values))

    async def remove(self, day: date) -> bool:
        result = await self._conn.execute(delete(calendar_days).where(calendar_days.c.day == day))
        return bool(result.rowcount)
