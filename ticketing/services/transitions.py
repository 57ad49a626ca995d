"""Use cases that move a ticket: claim, transfer, return, answer, close, leave, reopen, reply.

Each one reads the ticket inside the caller's region boundary, applies a domain transition
and writes it back under optimistic locking, so two operators cannot silently overwrite
each other; then it announces the change to live screens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ticketing.domain.access import AccessScope
from ticketing.domain.lifecycle import IllegalTransition
from ticketing.domain.tickets import Ticket
from ticketing.services.events import EventBus
from ticketing.services.unit_of_work import AbstractUnitOfWork

T = TypeVar("T")


class TicketNotFound(Exception):
    """No such ticket, or it lies outside the caller's scope (the caller cannot tell which)."""


async def load_visible(uow: AbstractUnitOfWork, number: str, scope: AccessScope) -> Ticket:
    ticket = await uow.tickets.get_by_number(number)
    if ticket is None or not scope.can_see(region=ticket.region, handed_to=ticket.handed_to):
        raise TicketNotFound(number)
    return ticket


async def act_with(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    change: Callable[[AbstractUnitOfWork, Ticket], Awaitable[T]],
    *,
    bus: EventBus | None = None,
) -> tuple[Ticket, T]:
    """The one transaction helper: apply ``change`` inside the ticket's transaction and store both.

    ``change`` gets the open unit of work, so rows of its own (a delivery, a link, the related ticket it
    reads) commit together with the ticket's new event: an answer recorded without its delivery, or a
    link without its history entry, would lose what the Procedure asks to keep.

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


async def act(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    change: Callable[[Ticket], object],
    *,
    bus: EventBus | None = None,
) -> Ticket:
    """A change of the ticket alone (see :func:`act_with`)."""

    async def apply(_uow: AbstractUnitOfWork, ticket: Ticket) -> None:
        change(ticket)

    ticket, _ = await act_with(uow, number, scope, apply, bus=bus)
    return ticket


async def act_with_related(
    uow: AbstractUnitOfWork,
    number: str,
    related: str,
    scope: AccessScope,
    change: Callable[[Ticket, Ticket], object],
    *,
    bus: EventBus | None = None,
) -> Ticket:
    """A change that needs another ticket too (a repeat names the earlier one); both inside the scope."""

    async def apply(uow: AbstractUnitOfWork, ticket: Ticket) -> None:
        change(ticket, await load_visible(uow, related, scope))

    ticket, _ = await act_with(uow, number, scope, apply, bus=bus)
    return ticket


__all__ = ["IllegalTransition", "TicketNotFound", "act", "act_with", "act_with_related", "load_visible"]
