"""One transaction that changes a ticket *and* writes rows of its own (a delivery, a link).

``transitions.act`` covers a change of the ticket alone. Replies and known-issue links must
commit together with the ticket's new event — an answer recorded without its delivery, or a
link without its history entry, would lose what the procedure asks to keep — so this variant
hands the open unit of work to the change. Same region boundary, same optimistic locking,
same announcement to live screens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ticketing.domain.access import AccessScope
from ticketing.domain.tickets import Ticket
from ticketing.services.events import EventBus
from ticketing.services.transitions import load_visible
from ticketing.services.unit_of_work import AbstractUnitOfWork

T = TypeVar("T")


async def act_with(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    change: Callable[[AbstractUnitOfWork, Ticket], Awaitable[T]],
    *,
    bus: EventBus | None = None,
) -> tuple[Ticket, T]:
    """Apply ``change`` inside the ticket's transaction and store both.

    Raises:
        TicketNotFound: unknown or outside the caller's regions.
        IllegalTransition: the move is not allowed now.
        ConcurrentUpdate: somebody else changed the ticket meanwhile.
    """
    async with uow:
        ticket = await load_visible(uow, number, scope)
        before = len(ticket.events)
        result = await change(uow, ticket)
        await uow.tickets.save(ticket)
        await uow.commit()
    if bus is not None:
        for event in ticket.events[before:]:
            await bus.publish_ticket_event(ticket, event)
    return ticket, result
