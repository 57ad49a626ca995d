"""Use cases of the admins' calendar: list, set and remove extraordinary days."""

from __future__ import annotations

from datetime import date, datetime

from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.extra_days import ExtraDay, calendar_with
from ticketing.services.unit_of_work import AbstractUnitOfWork


async def load_calendar(uow: AbstractUnitOfWork) -> WorkCalendar:
    async with uow:
        return calendar_with(await uow.calendar.all())


async def list_days(uow: AbstractUnitOfWork) -> list[ExtraDay]:
    async with uow:
        return await uow.calendar.all()


async def set_day(
    uow: AbstractUnitOfWork, *, day: date, working: bool, note: str, now: datetime, actor: str
) -> WorkCalendar:
    """Record the day and return the calendar to count with from now on."""
    async with uow:
        await uow.calendar.put(ExtraDay(day=day, working=working, note=note, created_at=now, created_by=actor))
        await uow.commit()
        return calendar_with(await uow.calendar.all())


async def remove_day(uow: AbstractUnitOfWork, day: date) -> WorkCalendar | None:
    """Forget the day; ``None`` when it was not recorded."""
    async with uow:
        removed = await uow.calendar.remove(day)
        await uow.commit()
        return calendar_with(await uow.calendar.all()) if removed else None
