"""The console's background work: retrying replies the channel did not take (§6.3: nothing is lost),
and keeping the dashboard's days counted, so that no person waits for a full count."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from ticketing.bootstrap import Container
from ticketing.domain.sla import MOSCOW
from ticketing.services import queues
from ticketing.services.replies import ReplySender, deliver_due

log = logging.getLogger(__name__)


async def deliver_replies(container: Container, lock_seconds: int, sender: ReplySender) -> int:
    """Retry due deliveries; one worker per round when several share Redis. Returns how many got through."""
    if not await container.locks.acquire("reply-deliveries", lock_seconds):
        return 0
    ok, pending = await deliver_due(container.uow, sender, now=container.clock())
    if ok or pending:
        log.info("reply deliveries: %d delivered, %d still pending", ok, pending)
    return ok


# Nothing is older than the procedure itself (Order of 30.04.2020).
HISTORY_START = datetime.combine(date(2020, 4, 30), time(), tzinfo=MOSCOW)


async def count_dashboard_days(container: Container) -> None:
    """Count the days of the whole history for the dashboard of everything (line 1, admins).

    The dashboard keeps each day's numbers in this process and counts again only the days that
    changed (``adapters.dashboard_days``); a process that starts knows none, and counting 100,000
    tickets at once takes longer than a page may (docs/performance.md). The server's rounds do it
    at start and then once a minute, so people find the days counted.
    """
    now = container.clock()
    tomorrow = datetime.combine(now.astimezone(MOSCOW).date() + timedelta(days=1), time(), tzinfo=MOSCOW)
    async with container.uow() as uow:
        await uow.console.dashboard(
            now=now,
            approach_until=queues.approach_until(now, container.calendar),
            since=HISTORY_START,
            until=tomorrow,  # whole days, as the dashboard asks for them
            scope=None,  # the days of everything; a confined person's days are counted when asked
            region=None,
        )
