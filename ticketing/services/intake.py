"""Registering concurrent requests together: one transaction for all that arrive at once.

A request's own work (validation, screening, region, deadline) is done by its handler; what
costs per transaction — taking a connection, BEGIN and COMMIT, a round trip for each step of
:func:`~ticketing.services.tickets.open_tickets`, the rate limit and the live-screen
notification — is shared by every request that waits while the previous batch is written.
Nobody waits for a batch to fill: a request that finds the desk idle is written at once, alone,
so a quiet day sees no added delay, and a busy one sees batches grow with the load
(docs/performance.md, «Регистрация обращений через API»).

When a batch fails as a whole (a row the database refuses, a dropped connection), each of its
requests is retried on its own, so one bad request fails alone and the others are registered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from ticketing.domain.calendar import WorkCalendar
from ticketing.services.events import EventBus, event_message
from ticketing.services.tickets import Allow, Opened, Registration, TooManyRequests, open_tickets
from ticketing.services.unit_of_work import AbstractUnitOfWork

log = logging.getLogger(__name__)

MAX_BATCH = 64  # bounds one statement's size and the wait of the last request in a batch

_Pending = tuple[Registration, "asyncio.Future[Opened | TooManyRequests]"]


class TicketIntake:
    """Registers requests in batches; one per process, used from the server's event loop.

    Args:
        uow: a new unit of work per batch.
        calendar: the production calendar as of now (admins' extraordinary days change it).
        clock: the moment of receipt of a batch.
        allow: the per-requester rate limit, asked once per batch.
        bus: live staff screens; told of the new tickets once the batch is committed.
    """

    def __init__(
        self,
        uow: Callable[[], AbstractUnitOfWork],
        *,
        calendar: Callable[[], WorkCalendar],
        clock: Callable[[], datetime],
        allow: Allow | None = None,
        bus: EventBus | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._uow = uow
        self._calendar = calendar
        self._clock = clock
        self._allow = allow
        self._bus = bus
        self._max_batch = max_batch
        self._pending: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0  # batches written so far and the requests in them (tests read them)
        self.requests = 0

    async def open(self, registration: Registration) -> Opened:
        """Register one request (with whatever else arrives meanwhile) and return its ticket.

        Raises:
            TooManyRequests: the requester has registered too many requests this hour.
        """
        future: asyncio.Future[Opened | TooManyRequests] = asyncio.get_running_loop().create_future()
        self._pending.append((registration, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending(), name="ticket-intake")
        # A client that hangs up does not cancel the registration: what a person wrote is kept.
        try:
            result = await asyncio.shield(future)
        except asyncio.CancelledError:  # nobody will read the outcome: don't log it as unread
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise
        if isinstance(result, TooManyRequests):
            raise result
        return result

    async def _write_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
            try:
                await self._write(batch)
            except Exception as exc:  # every waiting request must learn the outcome
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            except asyncio.CancelledError:  # the server stops: its handlers are being cancelled too
                for _, future in batch + self._pending:
                    future.cancel()
                raise

    async def _write(self, batch: list[_Pending]) -> None:
        registrations = [registration for registration, _ in batch]
        try:
            results = await self._register(registrations)
        except Exception:
            if len(batch) == 1:
                raise
            log.warning("a batch of %d requests failed; registering them one by one", len(batch), exc_info=True)
            for one in batch:
                try:
                    await self._write([one])
                except Exception as exc:  # this request alone is bad: it alone fails
                    if not one[1].done():
                        one[1].set_exception(exc)
            return
        self.batches += 1
        self.requests += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
        await self._announce(results)

    async def _register(self, registrations: list[Registration]) -> list[Opened | TooManyRequests]:
        return await open_tickets(
            self._uow(), registrations, now=self._clock(), calendar=self._calendar(), allow=self._allow
        )

    async def _announce(self, results: list[Opened | TooManyRequests]) -> None:
        """Tell live screens (the console's queues) of the new tickets; a silent screen is no error."""
        if self._bus is None:
            return
        messages = [
            event_message(result.ticket, event)
            for result in results
            if isinstance(result, Opened) and result.created
            for event in result.ticket.events
        ]
        if not messages:
            return
        try:
            await self._bus.publish_many(messages)
        except Exception:
            log.warning("%d tickets registered, but live screens were not told", len(messages), exc_info=True)
