"""Use cases that move a ticket: claim, transfer, return, answer, close, leave, reopen, reply.

Each one reads the ticket inside the caller's region boundary, applies a domain transition
and writes it back under optimistic locking, so two operators cannot silently overwrite
each other; then it announces the change to live screens.
"""

from __future__ import annotations

from collections.abc import Callable

from ticketing.domain.access import AccessScope
from ticketing.domain.lifecycle import IllegalTransition
from ticketing.domain.tickets import Ticket
from ticketing.services.events import EventBus
from ticketing.services.unit_of_work import AbstractUnitOfWork


class TicketNotFound(Exception):
    """No such ticket, or it lies outside the caller's regions (the caller cannot tell which)."""


async def load_visible(uow: AbstractUnitOfWork, number: str, scope: AccessScope) -> Ticket:
    ticket = await uow.tickets.get_by_number(number)
    if ticket is None or not scope.can_see_region(ticket.region):
        raise TicketNotFound(number)
    return ticket


async def act(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    change: Callable[[Ticket], object],
    *,
    bus: EventBus | None = None,
    related: str | None = None,
    with_related: Callable[[Ticket, Ticket], object] | None = None,
) -> Ticket:
    """Apply ``change`` (or ``with_related`` given the ``related`` ticket) and store the result.

    Raises:
        TicketNotFound: unknown or outside the caller's regions (also for ``related``).
        IllegalTransition: the move is not allowed now.
        ConcurrentUpdate: somebody else changed the ticket meanwhile.
    """
    async with uow:
        ticket = await load_visible(uow, number, scope)
        before = len(ticket.events)
        if related is not None and with_related is not None:
            other = await load_visible(uow, related, scope)
            with_related(ticket, other)
        else:
            change(ticket)
        await uow.tickets.save(ticket)
        await uow.commit()
    if bus is not None:
        for event in ticket.events[before:]:
            await bus.publish_ticket_event(ticket, event)
    return ticket


__all__ = ["IllegalTransition", "TicketNotFound", "act", "load_visible"]
