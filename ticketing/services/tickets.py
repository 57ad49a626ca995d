"""Use cases of tickets: register a request, look it up, list a queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from procedure.screening import OK, Verdict
from procedure.screening.reasons import describe_all
from ticketing.domain import actors
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.lifecycle import Actor, leave_without_answer
from ticketing.domain.repeats import likely_repeats
from ticketing.domain.sla import due_at
from ticketing.domain.tickets import EventType, NewTicket, Ticket, TicketEvent
from ticketing.services.unit_of_work import AbstractUnitOfWork, TicketFilter

# Lists count matches only up to this many (plus one, to tell "more"): an exact count of a
# queue of 800,000 costs more than the page itself (docs/performance.md).
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Opened:
    """The result of :func:`open_ticket`; ``created`` is False for a replayed Idempotency-Key."""

    ticket: Ticket
    created: bool


@dataclass(frozen=True)
class Registration:
    """One request to register: what the channel handed over, who registers it, what screening said."""

    new: NewTicket
    actor: str
    verdict: Verdict | None = None


class TooManyRequests(Exception):
    """The requester registered too many requests recently."""


# Asked once per batch with the requests that are really new (not replays); one answer each.
Allow = Callable[[Sequence[NewTicket]], Awaitable[Sequence[bool]]]


async def open_ticket(
    uow: AbstractUnitOfWork,
    new: NewTicket,
    *,
    now: datetime,
    calendar: WorkCalendar,
    actor: str,
    verdict: Verdict | None = None,
    allow: Allow | None = None,
) -> Opened:
    """Register one request; see :func:`open_tickets`.

    Raises:
        TooManyRequests: ``allow`` said no.
    """
    (result,) = await open_tickets(uow, [Registration(new, actor, verdict)], now=now, calendar=calendar, allow=allow)
    if isinstance(result, TooManyRequests):
        raise result
    return result


async def open_tickets(
    uow: AbstractUnitOfWork,
    registrations: Sequence[Registration],
    *,
    now: datetime,
    calendar: WorkCalendar,
    allow: Allow | None = None,
) -> list[Opened | TooManyRequests]:
    """Register requests on line 1 with their answer deadlines (§4.3, §4.4, §4.1.4), in one transaction.

    Retries by the bot or a mail worker carry the same idempotency key; they get the
    ticket created the first time instead of a twin — also when both arrive in one batch.

    A registration's ``verdict`` is what screening said of the text: a request in a foreign
    language (§4.7), with obscene or insulting words or with threats (§4.8) is registered —
    nothing a person wrote is dropped, and line 1 sees it — and left without an answer with
    that reason at once.

    ``allow`` is asked only about requests that are really new (not replays); those it refuses
    get :class:`TooManyRequests` in their place of the result, the others are registered.
    """
    results: list[Opened | TooManyRequests | None] = [None] * len(registrations)
    created: dict[int, Ticket] = {}  # index → ticket this call creates
    twin_of: dict[int, int] = {}  # index → the earlier index in this batch with the same key
    async with uow:  # one transaction: the replay check, the limit, the inserts and their history
        keys = [r.new.idempotency_key for r in registrations if r.new.idempotency_key]
        stored = await uow.tickets.get_by_idempotency_keys(keys) if keys else {}
        first_with_key: dict[str, int] = {}
        fresh: list[int] = []
        for i, registration in enumerate(registrations):
            key = registration.new.idempotency_key
            if key in stored:
                results[i] = Opened(stored[key], created=False)
            elif key in first_with_key:
                twin_of[i] = first_with_key[key]
            else:
                if key:
                    first_with_key[key] = i
                fresh.append(i)
        if allow is not None and fresh:
            verdicts = await allow([registrations[i].new for i in fresh])
            for i, allowed in zip(fresh, verdicts, strict=True):
                if not allowed:
                    results[i] = TooManyRequests()
            fresh = [i for i, allowed in zip(fresh, verdicts, strict=True) if allowed]
        for i in fresh:
            registration = registrations[i]
            new = registration.new
            ticket = Ticket.register(
                new, now=now, due_at=due_at(new.channel.value, now, calendar), actor=registration.actor
            )
            if registration.verdict is not None:
                apply_screening(ticket, registration.verdict, now)
            created[i] = ticket
        if created:
            await _mark_likely_repeats(uow, list(created.values()), now)
            stored_flags = await uow.tickets.add_many(list(created.values()))
            await uow.commit()
            lost = [i for i, ok in zip(created, stored_flags, strict=True) if not ok]
        else:
            lost = []
    for i in created:
        if i not in lost:
            results[i] = Opened(created[i], created=True)
    if lost:  # a concurrent twin (another worker) stored the same Idempotency-Key first
        async with uow:
            winners = await uow.tickets.get_by_idempotency_keys(
                [registrations[i].new.idempotency_key or "" for i in lost]
            )
        for i in lost:
            results[i] = Opened(winners[registrations[i].new.idempotency_key or ""], created=False)
    for i, first in twin_of.items():
        first_result = results[first]
        results[i] = first_result if not isinstance(first_result, Opened) else Opened(first_result.ticket, False)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


SCREENING_ACTOR = Actor(name=actors.SCREENING, role=ApiRole.SERVICE)


def apply_screening(ticket: Ticket, verdict: Verdict, now: datetime) -> None:
    """Record the verdict in the history; leave the ticket without an answer when it says so."""
    ticket.events.append(
        TicketEvent(type=EventType.SCREENED, at=now, actor=SCREENING_ACTOR.name, line=None, data=verdict.to_dict())
    )
    if verdict.verdict != OK:
        comment = describe_all(verdict.reasons)
        leave_without_answer(ticket, SCREENING_ACTOR, now, reason=verdict.verdict, comment=comment)


async def _mark_likely_repeats(uow: AbstractUnitOfWork, new_tickets: list[Ticket], now: datetime) -> None:
    """§4.9: show line 1 the same requester's answered tickets on the same question; never auto-close."""
    earlier = await uow.tickets.earlier_resolved([(t.email, t.login) for t in new_tickets])
    for ticket, candidates in zip(new_tickets, earlier, strict=True):
        found = likely_repeats(ticket.description, candidates)
        if found:
            ticket.likely_repeats = found
            ticket.events.append(
                TicketEvent(type=EventType.LIKELY_REPEAT, at=now, actor=actors.SYSTEM, line=None, data={"of": found})
            )


async def get_ticket(uow: AbstractUnitOfWork, number: str, scope: AccessScope) -> Ticket | None:
    """The ticket, or ``None`` when it does not exist *or* lies outside the caller's scope (``domain.access``).

    Both cases look the same to the caller, so a line-2 user cannot learn that another
    region's ticket exists, nor line 3 that a ticket it was never handed exists.
    """
    async with uow:
        ticket = await uow.tickets.get_by_number(number)
    if ticket is None or not scope.can_see(region=ticket.region, handed_to=ticket.handed_to):
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
    bounded = TicketFilter(**{**flt.__dict__, "scope": scope})
    async with uow:
        return await uow.tickets.list(bounded, limit=limit, offset=offset)
