"""Line 1's answers to letters, sent by letter (§4.3, §6.3), through the console's reply outbox.

The console records an answer and queues its delivery in one transaction
(``services.replies.reply``); for a mail ticket the delivery waits as «ждёт отправки письмом».
The mail worker takes those over: it builds the answer letter (ticket number in the subject,
In-Reply-To and References of the thread), stores it with its Message-ID *before* sending — so
the requester's reply finds the ticket even if it arrives first — and hands it to SMTP. A
failure is retried with the outbox's growing pauses and written into the ticket's history; a
permanent refusal (5xx) stops the retries and says so. Every retry sends the very same bytes
with the same Message-ID, so a letter sent twice after a crash is one letter to mail clients.

No reply goes to a no-reply or system address, and replies to one address are rate-limited:
with auto-replies and bounces never reaching a person (``domain.mail.auto``), no loop can form.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from ticketing.domain import actors
from ticketing.domain.deliveries import Delivery, DeliveryStatus
from ticketing.domain.mail.auto import is_no_reply
from ticketing.domain.mail.compose import FOOTER_RU, UNION_FOOTER_RU, domain_of, reply_message
from ticketing.domain.mail.threads import outgoing_message_id, references_for
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import Channel, EventType, TicketEvent
from ticketing.services import replies
from ticketing.services.mail_ports import IN, OUT, DuplicateLetter, MailSendError, MailTransport, StoredMail
from ticketing.services.replies import DeliveryFailed, ReplySender
from ticketing.services.unit_of_work import AbstractUnitOfWork, ConcurrentUpdate

log = logging.getLogger(__name__)

MAIL_CHANNELS = frozenset({Channel.PROJECT_EMAIL.value, Channel.UNION_EMAIL.value, replies.EMAIL_COPY})
ACTOR = actors.MAIL_SENDER
BATCH = 50
PERSON_WROTE = ("letter", "follow_up", "reply")


class MailReplySender(ReplySender):
    """Delivers the outbox's e-mail replies over SMTP."""

    channels = MAIL_CHANNELS

    def __init__(
        self,
        uow: Callable[[], AbstractUnitOfWork],
        transport: MailTransport,
        *,
        from_address: str,
        union_from_address: str,
        from_name: str,
        union_from_name: str,
        allow: Callable[[str], Awaitable[bool]],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self._transport = transport
        self._from = from_address
        self._union_from = union_from_address
        self._from_name = from_name
        self._union_from_name = union_from_name
        self._allow = allow
        self._clock = clock

    async def send(self, delivery: Delivery) -> None:
        address = (delivery.email or "").strip().lower()
        if not address:
            raise DeliveryFailed("у обращения нет адреса электронной почты — ответить письмом некому", permanent=True)
        if is_no_reply(address):
            raise DeliveryFailed(f"адрес {address} не принимает писем (no-reply или системный)", permanent=True)
        assert delivery.id is not None
        async with self._uow() as uow:
            ticket = await uow.tickets.get_by_number(delivery.ticket_number)
            if ticket is None:
                raise DeliveryFailed("обращение удалено", permanent=True)
            stored = await uow.mail.by_delivery(delivery.id)
            raw = await uow.mail.raw(stored.id) if stored is not None and stored.id is not None else None
            thread = await uow.mail.thread(delivery.ticket_number)
        union = ticket.channel is Channel.UNION_EMAIL
        sender = self._union_from if union else self._from
        if raw is None:
            if not await self._allow(address):
                raise DeliveryFailed(f"на {address} за час отправлено много писем — отправка отложена")
            raw = await self._prepare(delivery, ticket.subject, address, sender, thread, union=union)
        try:
            await self._transport.send(raw, sender=sender, recipients=[address])
        except MailSendError as exc:
            raise DeliveryFailed(str(exc), permanent=exc.permanent) from exc

    async def _prepare(
        self, delivery: Delivery, subject: str, address: str, sender: str, thread: list[StoredMail], *, union: bool
    ) -> bytes:
        """Build the letter and store it with its Message-ID before it leaves (threading must never miss it)."""
        assert delivery.id is not None
        now = self._clock()
        personal = [m for m in thread if m.kind in PERSON_WROTE and m.message_id]
        latest_in = next((m.message_id for m in reversed(personal) if m.direction == IN), None)
        message_id = outgoing_message_id(delivery.id, delivery.ticket_number, delivery.created_at, domain_of(sender))
        references = references_for([m.message_id for m in personal if m.message_id])
        name = self._union_from_name if union else self._from_name
        message = reply_message(
            text=delivery.text,
            number=delivery.ticket_number,
            subject=subject,
            to=address,
            from_address=sender,
            from_name=name,
            message_id=message_id,
            in_reply_to=latest_in,
            references=references,
            now=now,
            footer=UNION_FOOTER_RU if union else FOOTER_RU,
        )
        raw = message.as_bytes()
        try:
            async with self._uow() as uow:
                await uow.mail.add(
                    StoredMail(
                        mailbox="smtp",
                        direction=OUT,
                        kind="reply",
                        received_at=now,
                        message_id=message_id,
                        in_reply_to=(latest_in,) if latest_in else (),
                        references=references,
                        ticket_number=delivery.ticket_number,
                        delivery_id=delivery.id,
                        sender=sender.lower(),
                        sender_name=name,
                        recipients=(address,),
                        subject=str(message["Subject"]),
                        sent_at=now,
                        raw=raw,
                        raw_size=len(raw),
                    )
                )
                await uow.commit()
        except DuplicateLetter:  # another round stored it a moment ago: send what it stored
            async with self._uow() as uow:
                stored = await uow.mail.by_delivery(delivery.id)
                stored_raw = await uow.mail.raw(stored.id) if stored and stored.id else None
            raw = stored_raw or raw
        return raw


async def send_mail_replies(
    uow: Callable[[], AbstractUnitOfWork], sender: MailReplySender, *, now: datetime, batch: int = BATCH
) -> tuple[int, int]:
    """One round of the worker: send every due e-mail reply; returns (sent, still waiting)."""
    async with uow() as tx:
        due = await tx.deliveries.due(now, batch, channels=sender.channels, include_manual=True)
    sent = 0
    for delivery in due:
        if delivery.status is DeliveryStatus.MANUAL:  # written before a mail worker ran: now it is ours
            delivery = replace(delivery, status=DeliveryStatus.PENDING, last_error=None)
        result = await replies.attempt(uow(), sender, delivery, now)
        await _note_on_ticket(uow, result, now)
        sent += result.status is DeliveryStatus.DELIVERED
    if due:
        log.info("ответы письмом: отправлено %d, ждут %d", sent, len(due) - sent)
    return sent, len(due) - sent


def _worth_noting(result: Delivery) -> bool:
    """Every outcome but repeated failures: the 1st, 2nd, 4th, 8th… failure, so an outage is not a flood."""
    if result.status is not DeliveryStatus.PENDING:
        return True
    return result.attempts & (result.attempts - 1) == 0


async def _note_on_ticket(uow: Callable[[], AbstractUnitOfWork], result: Delivery, now: datetime) -> None:
    """The ticket's history says whether the answer left, and if not, why and when it is tried again."""
    if not _worth_noting(result):
        return
    if result.status is DeliveryStatus.DELIVERED:
        event = TicketEvent(
            type=EventType.REPLY_SENT,
            at=now,
            actor=ACTOR,
            data={
                "delivery_id": result.id,
                "to": result.email,
                "comment": f"Ответ отправлен письмом на {result.email}.",
            },
        )
    else:
        permanent = result.status is DeliveryStatus.FAILED
        retry = result.next_attempt_at
        then = (
            "повторов не будет: ответьте заявителю другим способом"
            if permanent
            else f"следующая попытка — {retry.astimezone(MOSCOW):%d.%m.%Y %H:%M} МСК"  # the console's time (§1.4)
        )
        event = TicketEvent(
            type=EventType.REPLY_SEND_FAILED,
            at=now,
            actor=ACTOR,
            data={
                "delivery_id": result.id,
                "attempt": result.attempts,
                "permanent": permanent,
                "next_attempt_at": None if permanent else retry.isoformat(),
                "comment": f"Ответ письмом не отправлен (попытка {result.attempts}): {result.last_error}; {then}.",
            },
        )
    for _ in range(3):
        try:
            async with uow() as tx:
                ticket = await tx.tickets.get_by_number(result.ticket_number)
                if ticket is None:
                    return
                ticket.events.append(event)
                await tx.tickets.save(ticket)
                await tx.commit()
            return
        except ConcurrentUpdate:
            continue
    log.warning("история обращения %s не дополнена: его всё время меняют", result.ticket_number)
