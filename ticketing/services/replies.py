"""Replies to the requester through the channel the request came by (§6.3), via an outbox.

The answer is recorded on the ticket and its delivery is queued in the same transaction; the
delivery is tried at once and, if the channel is down, again by the server's background rounds
with growing pauses (``domain.deliveries``). A chat reply goes into the user's conversation
through Rasa's HTTP API *and* by letter to the address the pupil gave (§5.6.1), because a pupil
who closed the tab never reads the chat; e-mail deliveries are sent by the mail worker
(``services.mail_replies``).
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
from ticketing.services.transitions import act_with
from ticketing.services.unit_of_work import AbstractUnitOfWork

log = logging.getLogger(__name__)

BATCH = 100
FIRST_RETRY_AFTER_SECONDS = 60  # the request handler tries first; the rounds keep off it meanwhile
EMAIL_COPY = "email"  # channel of the letter that repeats a chat answer (the mail worker sends it)


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
    """The delivery through the ticket's own channel: the chat, or a letter for a letter."""
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
    )


def mail_copy(ticket: Ticket, text: str, now: datetime) -> Delivery | None:
    """The letter that carries a chat answer to the pupil's e-mail, or None without an address.

    The bot promises «Ответим … на почту …» (``actions/texts.py``), so the answer must reach the
    mailbox as well as the chat; the mail worker sends it like any answer to a letter.
    """
    assert ticket.number is not None
    if ticket.channel is not Channel.CHAT or not (ticket.email or "").strip():
        return None
    return Delivery(
        ticket_number=ticket.number,
        channel=EMAIL_COPY,
        text=text,
        created_at=now,
        next_attempt_at=now,
        status=DeliveryStatus.MANUAL,
        email=ticket.email,
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
    return await reply_by(
        uow,
        number,
        scope,
        lambda ticket: lc.answer(ticket, actor, now, text=text, question_ids=question_ids),
        text=text,
        now=now,
        bus=bus,
    )


async def reply_by(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    record: Callable[[Ticket], object],
    *,
    text: str,
    now: datetime,
    bus: EventBus | None = None,
) -> tuple[Ticket, Delivery]:
    """:func:`reply` with the answer recorded by ``record`` (a domain transition that may refuse)."""

    async def change(tx: AbstractUnitOfWork, ticket: Ticket) -> Delivery:
        record(ticket)
        delivery = await tx.deliveries.add(new_delivery(ticket, text.strip(), now))
        copy = mail_copy(ticket, text.strip(), now)
        if copy is not None:
            await tx.deliveries.add(copy)
        return delivery

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
