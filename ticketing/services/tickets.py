"""Use cases of tickets: register a request, look it up, list a queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.lifecycle import Actor, leave_without_answer
from ticketing.domain.repeats import Earlier, likely_repeats
from ticketing.domain.screening import OK, Verdict
from ticketing.domain.sla import due_at
from ticketing.domain.tickets import NewTicket, Ticket, TicketEvent
from ticketing.services.unit_of_work import AbstractUnitOfWork, DuplicateIdempotencyKey, TicketFilter

# Lists count matches only up to this many (plus one, to tell "more"): an exact count of a
# queue of 800,000 costs more than the page itself (docs/performance.md).
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Opened:
    """The result of :func:`open_ticket`; ``created`` is False for a replayed Idempotency-Key."""

    ticket: Ticket
    created: bool


async def open_ticket(
    uow: AbstractUnitOfWork,
    new: NewTicket,
    *,
    now: datetime,
    calendar: WorkCalendar,
    actor: str,
    verdict: Verdict | None = None,
    allow: Callable[[NewTicket], Awaitable[bool]] | None = None,
) -> Opened:
    """Register a request on line 1 with its answer deadline (§4.3, §4.4, §4.1.4).

    Retries by the bot or a mail worker carry the same idempotency key; they get the
    ticket created the first time instead of a twin.

    ``verdict`` is what screening said of the text: a request in a foreign language (§4.7),
    with obscene or insulting words or with threats (§4.8) is registered — nothing a person
    wrote is dropped, and line 1 sees it — and left without an answer with that reason at once.

    ``allow`` is asked only for a request that is really new (not a replay).

    Raises:
        TooManyRequests: ``allow`` said no.
    """
    try:
        async with uow:  # one transaction: the replay check, the insert and the history
            if new.idempotency_key:
                existing = await uow.tickets.get_by_idempotency_key(new.idempotency_key)
                if existing is not None:
                    return Opened(existing, created=False)
            if allow is not None and not await allow(new):
                raise TooManyRequests()
            ticket = Ticket.register(new, now=now, due_at=due_at(new.channel.value, now, calendar), actor=actor)
            if verdict is not None:
                apply_screening(ticket, verdict, now)
            await _mark_likely_repeats(uow, ticket, now)
            await uow.tickets.add(ticket)
            await uow.commit()
    except DuplicateIdempotencyKey:
        assert new.idempotency_key is not None
        async with uow:
            existing = await uow.tickets.get_by_idempotency_key(new.idempotency_key)
        if existing is None:  # pragma: no cover - the constraint fired, so the row exists
            raise
        return Opened(existing, created=False)
    return Opened(ticket, created=True)


class TooManyRequests(Exception):
    """The requester registered too many requests recently."""


SCREENING_ACTOR = Actor(name="screening", role=ApiRole.SERVICE)


def apply_screening(ticket: Ticket, verdict: Verdict, now: datetime) -> None:
    """Record the verdict in the history; leave the ticket without an answer when it says so."""
    ticket.events.append(
        TicketEvent(type="screened", at=now, actor=SCREENING_ACTOR.name, line=None, data=verdict.to_dict())
    )
    if verdict.verdict != OK:
        leave_without_answer(ticket, SCREENING_ACTOR, now, reason=verdict.verdict, comment="; ".join(verdict.reasons))


async def _mark_likely_repeats(uow: AbstractUnitOfWork, ticket: Ticket, now: datetime) -> None:
    """§4.9: show line 1 the same requester's answered tickets on the same question; never auto-close."""
    earlier = await uow.tickets.earlier_resolved(email=ticket.email, login=ticket.login, exclude_id=ticket.id)
    found = likely_repeats(
        ticket.description, [Earlier(t.number, t.description) for t in earlier if t.number is not None]
    )
    if found:
        ticket.likely_repeats = found
        ticket.events.append(TicketEvent(type="likely_repeat", at=now, actor="system", line=None, data={"of": found}))


async def get_ticket(uow: AbstractUnitOfWork, number: str, scope: AccessScope) -> Ticket | None:
    """The ticket, or ``None`` when it does not exist *or* lies outside the caller's regions.

    Both cases look the same to the caller, so a line-2 user cannot learn that another
    region's ticket exists.
    """
    async with uow:
        ticket = await uow.tickets.get_by_number(number)
    if ticket is None or not scope.can_see_region(ticket.region):
        return None
    return ticket


async def list_tickets(
    uow: AbstractUnitOfWork,
    flt: TicketFilter,
    scope: AccessScope,
    *,
    limit: int,
    offset: int,
) -> tuple[list[Ticket], int]:
    """A page of the tickets the caller may see, sorted by deadline."""
    bounded = TicketFilter(**{**flt.__dict__, "regions": scope.region_filter})
    async with uow:
        return await uow.tickets.list(bounded, limit=limit, offset=offset)
