"""Background rounds of the server, once a minute: calendar, deadline watcher, reply retries, dashboard days;
and the daily anonymisation of what ran out of ``PD_RETENTION_DAYS`` (152-ФЗ ст. 5 ч. 7)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from procedure.moscow import MOSCOW
from ticketing.bootstrap import Container, conversation_store
from ticketing.http.console.rounds import count_dashboard_days, deliver_replies
from ticketing.services import personal_data as pd
from ticketing.services.calendar_days import load_calendar
from ticketing.services.personal_data_ports import ConversationStore
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


ANONYMISE_JOB = "pd-anonymise"
SCHEDULE = pd.Accessor(actor="schedule:ежедневное обезличивание", role="system")
RETRY_AFTER_FAILURE = timedelta(minutes=15)


def anonymise_day(now: datetime, hour: int) -> date | None:
    """The Moscow day whose anonymisation is due at ``now``: today, from ``hour`` o'clock МСК on; else none.

    A service that was down at that hour catches up at its first round after it (the same day).
    """
    local = now.astimezone(MOSCOW)
    return local.date() if local.hour >= hour else None


class DailyAnonymisation:
    """Closed tickets past ``PD_RETENTION_DAYS`` anonymised by the service itself, once a Moscow day.

    Every worker of every replica has one and asks each minute; ``daily_runs`` lets only one of them run
    at a time (a PostgreSQL advisory lock) and only once a day (the finished day is recorded). The same
    use case as ``python -m ticketing pd anonymise``, which stays for a run by hand.
    """

    def __init__(self, container: Container, conversations: Callable[[], ConversationStore] | None = None) -> None:
        self._container = container
        self._conversations = conversations or (lambda: conversation_store(container.settings))
        self._done: date | None = None  # the day this process knows is done: no query until tomorrow
        self._not_before: datetime | None = None  # after a failure

    async def round(self) -> pd.AnonymiseReport | None:
        """Run today's anonymisation if it is due, not done and nobody else runs it; the report if it ran."""
        container, settings = self._container, self._container.settings
        now = container.clock()
        day = anonymise_day(now, settings.pd_anonymise_hour)
        if day is None or day == self._done or (self._not_before is not None and now < self._not_before):
            return None
        last = await container.daily_runs.last_day(ANONYMISE_JOB)
        if last is not None and last >= day:
            self._done = day
            return None
        async with container.daily_runs.turn(ANONYMISE_JOB, day) as turn:
            if turn is None:
                return None  # another replica runs it now (or has just finished): the next round sees
            conversations = self._conversations()
            try:
                report = await pd.anonymise_expired(
                    container.uow,
                    conversations,
                    now=now,
                    retention=timedelta(days=settings.pd_retention_days),
                    accessor=SCHEDULE,
                )
            except Exception:
                self._not_before = now + RETRY_AFTER_FAILURE  # the day stays undone: tried again then
                raise
            finally:
                await conversations.close()
            turn.summary = f"обращений — {len(report.tickets)}, диалогов бота — {report.conversations}"
            turn.finished_at = container.clock()
        self._done, self._not_before = day, None
        log.info(
            "обезличивание по сроку хранения (PD_RETENTION_DAYS=%d дн.) за %s: %s",
            settings.pd_retention_days,
            day.isoformat(),
            turn.summary,
        )
        return report


async def run_daily(container: Container, interval: float = INTERVAL_SECONDS) -> None:
    """The daily jobs' loop: asks each minute whether one is due (its own task, not to delay the rounds)."""
    anonymisation = DailyAnonymisation(container)
    while True:
        try:
            await anonymisation.round()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("обезличивание по сроку хранения не удалось; повтор позже")
        await asyncio.sleep(interval)
