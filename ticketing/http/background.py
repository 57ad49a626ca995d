"""Background rounds of the server, once a minute: calendar, deadline watcher, reply retries, dashboard days."""

from __future__ import annotations

import asyncio
import logging

from ticketing.bootstrap import Container
from ticketing.http.console.rounds import count_dashboard_days, deliver_replies
from ticketing.services.calendar_days import load_calendar
from ticketing.services.replies import ReplySender
from ticketing.services.watcher import watch_deadlines

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 60


async def run_rounds(container: Container, sender: ReplySender, interval: float = INTERVAL_SECONDS) -> None:
    """Refresh the admins' calendar (other workers may have changed it), flag deadlines, retry replies."""
    while True:
        try:
            container.calendar = await load_calendar(container.uow())
            if await container.locks.acquire("deadline-watcher", max(1, int(interval) - 1)):
                flagged = await watch_deadlines(
                    container.uow(), now=container.clock(), calendar=container.calendar, bus=container.bus
                )
                if flagged:
                    log.info("deadline watcher flagged %d tickets", flagged)
            await deliver_replies(container, max(1, int(interval) - 1), sender)
            await count_dashboard_days(container)  # every worker: each keeps its own days
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background round failed; retrying in %s s", interval)
        await asyncio.sleep(interval)
