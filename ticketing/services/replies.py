"""Replies to the requester through the channel the request came by (§6.3), via an outbox.

The answer is recorded on the ticket and its delivery is queued in the same transaction; the
delivery is tried at once and, if the channel is down, again by the server's background rounds
with growing pauses (``domain.deliveries``). A chat reply goes into the user's conversation
through Rasa's HTTP API; e-mail replies wait for the mail worker of another task.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope
from ticketing.domain.deliveries import Delivery, DeliveryStatus, delivered, failed
from ticketing.domain.tickets import Channel, Ticket
from ticketing.services.events import EventBus
from ticketing.services.ticket_tx import act_with
from ticketing.services.unit_of_work import AbstractUnitOfWork

log = logging.getLogger(__name__)

BATCH = 100
FIRST_RETRY_AFTER_SECONDS = 60  # the request handler tries first; the rounds keep off it meanwhile


class DeliveryFailed(Exception):
    """The channel did not take the reply; the message says why (kept on the delivery).

    ``permanent``: the channel refused for good (a mail server's 5xx), so retrying is pointless.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class ReplySender(abc.ABC):
    """Hands a reply to the requester's channel.

    ``channels``: the ticket channels this sender delivers (``None``: all); the rounds of a
    sender only pick those, so the server's chat round and the mail worker never take each
    other's deliveries.
    """

    channels: frozenset[str] | None = None

    @abc.abstractmethod
    async def send(self, delivery: Delivery) -> None:
        """Deliver or raise :class:`DeliveryFailed`."""


def new_delivery(ticket: Ticket, text: str, now: datetime) -> Delivery:
    assert ticket.number is not None
    is_chat = ticket.channel is Channel.CHAT
    return Delivery(
        ticket_number=ticket.number,
        channel=ticket.channel.value,
        text=text,
        created_at=now,
        next_attempt_at=now + timedelta(seconds=FIRST_RETRY_AFTER_SECONDS),
        status=DeliveryStatus.PENDING if is_chat and ticket.conversation_id else DeliveryStatus.MANUAL,
        conversation_id=ticket.conversation_id,
        email=ticket.email,
        last_error=None if is_chat else "почта: отправка подключается отдельной задачей",
    )


async def reply(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    actor: lc.Actor,
    *,
    text: str,
    question_ids: list[int] | None,
    now: datetime,
    bus: EventBus | None = None,
) -> tuple[Ticket, Delivery]:
    """Answer (all or some questions) and queue the delivery, in one transaction.

    Raises:
        TicketNotFound, IllegalTransition, ConcurrentUpdate: as ``transitions.act``.
    """

    async def change(tx: AbstractUnitOfWork, ticket: Ticket) -> Delivery:
        lc.answer(ticket, actor, now, text=text, question_ids=question_ids)
        return await tx.deliveries.add(new_delivery(ticket, text.strip(), now))

    return await act_with(uow, number, scope, change, bus=bus)


async def attempt(uow: AbstractUnitOfWork, sender: ReplySender, delivery: Delivery, now: datetime) -> Delivery:
    """Try one delivery and record the outcome; never raises for a channel failure."""
    if sender.channels is not None and delivery.channel not in sender.channels:
        return delivery  # another sender's channel (e-mail goes through the mail worker): leave it to it
    try:
        await sender.send(delivery)
        result = delivered(delivery, now)
    except DeliveryFailed as exc:
        result = failed(delivery, now, str(exc), permanent=exc.permanent)
        log.warning("reply to %s not delivered (attempt %d): %s", delivery.ticket_number, result.attempts, exc)
    async with uow:
        await uow.deliveries.save(result)
        await uow.commit()
    return result


async def deliver_due(
    uow_factory: Callable[[], AbstractUnitOfWork], sender: ReplySender, *, now: datetime
) -> tuple[int, int]:
    """One background round: try every due delivery; returns (delivered, still pending)."""
    async with uow_factory() as uow:
        due = await uow.deliveries.due(now, BATCH, channels=sender.channels)
    ok = 0
    for delivery in due:
        result = await attempt(uow_factory(), sender, delivery, now)
        ok += result.status is DeliveryStatus.DELIVERED
    return ok, len(due) - ok


async def deliveries_of(uow: AbstractUnitOfWork, number: str) -> list[Delivery]:
    async with uow:
        return await uow.deliveries.of_ticket(number)
