"""The pupil's replies to the specialist in the web chat (issue 14, part 2; §6.3).

``thread_of`` says whether a conversation writes to a ticket now (``domain.chat_threads``);
``write`` puts a message on that ticket as the requester's, reopening an answered one, and tells
the console's live screens; ``back_to_bot`` closes the thread. All of it is the ticketing
database only: the chat service runs it before Rasa, so a reply is kept while the bot is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.chat_threads import specialist_thread
from ticketing.domain.tickets import Ticket
from ticketing.services.events import EventBus
from ticketing.services.transitions import act_with
from ticketing.services.unit_of_work import AbstractUnitOfWork

CHAT = lc.Actor(name="заявитель в чате", role=ApiRole.SERVICE)  # the chat service writes for the pupil
_EVERYWHERE = AccessScope(role=ApiRole.SERVICE)


@dataclass(frozen=True)
class Written:
    """What became of a message: the ticket, whether it reopened it, whether it was a resend."""

    number: str
    reopened: bool
    duplicate: bool = False


async def thread_of(uow: AbstractUnitOfWork, conversation_id: str) -> Ticket | None:
    """The ticket this conversation writes to now, or None (then the pupil talks to the bot)."""
    async with uow:
        return specialist_thread(await uow.tickets.of_conversation(conversation_id))


async def write(
    uow: AbstractUnitOfWork,
    number: str,
    text: str,
    *,
    message_id: str,
    now: datetime,
    bus: EventBus | None = None,
) -> Written:
    """The pupil's message on the ticket; a resend with the same ``message_id`` is kept once.

    Raises:
        ConcurrentUpdate: the ticket changed meanwhile (the caller answers 503, the widget resends).
    """

    async def change(_tx: AbstractUnitOfWork, ticket: Ticket) -> Written:
        if lc.has_message(ticket, message_id):
            return Written(number, reopened=False, duplicate=True)
        reopened = lc.requester_message(ticket, CHAT, now, text=text, message_id=message_id)
        return Written(number, reopened=reopened)

    _, written = await act_with(uow, number, _EVERYWHERE, change, bus=bus)
    return written


async def back_to_bot(
    uow: AbstractUnitOfWork, conversation_id: str, *, now: datetime, bus: EventBus | None = None
) -> str | None:
    """Close the conversation's thread; the number of the ticket it wrote to, or None if there was none."""
    ticket = await thread_of(uow, conversation_id)
    if ticket is None or ticket.number is None:
        return None

    async def change(_tx: AbstractUnitOfWork, fresh: Ticket) -> None:
        lc.back_to_bot(fresh, CHAT, now)

    await act_with(uow, ticket.number, _EVERYWHERE, change, bus=bus)
    return ticket.number
