"""The deadline watcher: flags tickets about to miss or missing their deadline and tells live screens.

It runs every minute in the server. With several workers or hosts, a Redis lock lets one of
them do each round (see ``adapters.locks``); on a laptop it simply runs in the one process.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.deadline_state import flag_deadline
from ticketing.domain.sla import MOSCOW, moscow_date
from ticketing.services.events import EventBus
from ticketing.services.unit_of_work import AbstractUnitOfWork, ConcurrentUpdate

BATCH = 500


def approach_horizon(now: datetime, calendar: WorkCalendar) -> timedelta:
    """How far ahead a deadline can be and still have less than one working day left.

    A deadline after the end of the next working day leaves at least that whole day, so it is
    not approaching; the bound is tight, and it stretches over long holidays by itself.
    """
    today = moscow_date(now)
    next_working = calendar.add_working_days(today, 1)
    end = datetime.combine(next_working + timedelta(days=1), time(), tzinfo=MOSCOW)
    return end - now


async def watch_deadlines(
    uow: AbstractUnitOfWork, *, now: datetime, calendar: WorkCalendar, bus: EventBus | None = None
) -> int:
    """One round; returns how many tickets were flagged."""
    async with uow:
        horizon = approach_horizon(now, calendar)
        candidates = await uow.tickets.deadline_candidates(now=now, horizon=horizon, limit=BATCH)
        changed = []
        for ticket in candidates:
            event = flag_deadline(ticket, now, calendar)
            if event is not None:
                try:
                    await uow.tickets.save(ticket)
                except ConcurrentUpdate:
                    continue  # an operator touched it meanwhile; the next round sees it again
                changed.append((ticket, event))
        await uow.commit()
    if bus is not None:
        for ticket, event in changed:
            await bus.publish_ticket_event(ticket, event)
    return len(changed)
