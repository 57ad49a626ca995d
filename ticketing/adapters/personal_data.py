"""Personal data in the database (152-ФЗ): which tickets are due, one person's tickets, the rewrite
of an anonymised ticket with its letters, registration card and reply deliveries, and the access log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, null, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from procedure.statuses import FINISHED
from ticketing.adapters.orm import (
    mail_messages,
    pd_access,
    registration_cards,
    reply_deliveries,
    ticket_events,
    tickets,
)
from ticketing.domain.personal_data import REDACTED
from ticketing.domain.tickets import Ticket
from ticketing.services.personal_data_ports import AccessEntry, PersonalDataRepository
from ticketing.services.unit_of_work import ConcurrentUpdate

_LETTER_FIELDS = (
    mail_messages.c.mailbox,
    mail_messages.c.direction,
    mail_messages.c.kind,
    mail_messages.c.sender,
    mail_messages.c.sender_name,
    mail_messages.c.recipients,
    mail_messages.c.subject,
    mail_messages.c.sent_at,
    mail_messages.c.received_at,
    mail_messages.c.attachments,
    mail_messages.c.note,
)
_CARD_FIELDS = (
    registration_cards.c.incoming_number,
    registration_cards.c.registration_date,
    registration_cards.c.correspondent,
    registration_cards.c.surname,
    registration_cards.c.name,
    registration_cards.c.patronymic,
    registration_cards.c.email,
    registration_cards.c.subject,
    registration_cards.c.summary,
    registration_cards.c.missing,
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class SqlPersonalData(PersonalDataRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def expired(self, closed_before: datetime, *, limit: int) -> list[str]:
        closed_at = func.coalesce(tickets.c.resolved_at, tickets.c.updated_at)
        rows = await self._conn.execute(
            select(tickets.c.number)
            .where(tickets.c.status.in_(FINISHED), tickets.c.anonymised_at.is_(None), closed_at < closed_before)
            .order_by(tickets.c.id)
            .limit(limit)
        )
        return [str(number) for (number,) in rows]

    async def of_email(self, email: str) -> list[str]:
        rows = await self._conn.execute(
            select(tickets.c.number)
            .where(tickets.c.email == email.strip().lower(), tickets.c.anonymised_at.is_(None))
            .order_by(tickets.c.id)
        )
        return [str(number) for (number,) in rows]

    async def linked_conversations(self, conversation_ids: Iterable[str]) -> set[str]:
        ids = list(conversation_ids)
        linked: set[str] = set()
        for start in range(0, len(ids), 500):
            rows = await self._conn.execute(
                select(tickets.c.conversation_id).where(
                    tickets.c.conversation_id.in_(ids[start : start + 500]), tickets.c.anonymised_at.is_(None)
                )
            )
            linked.update(str(c) for (c,) in rows)
        return linked

    async def letters(self, number: str) -> list[dict[str, Any]]:
        rows = await self._conn.execute(
            select(*_LETTER_FIELDS).where(mail_messages.c.ticket_number == number).order_by(mail_messages.c.id)
        )
        return [{key: _plain(value) for key, value in row._mapping.items()} for row in rows]

    async def card(self, number: str) -> dict[str, Any] | None:
        row = (
            await self._conn.execute(select(*_CARD_FIELDS).where(registration_cards.c.ticket_number == number))
        ).first()
        return None if row is None else {key: _plain(value) for key, value in row._mapping.items()}

    async def rewrite(self, ticket: Ticket, *, now: datetime) -> None:
        assert ticket.id is not None and ticket.number is not None
        result = await self._conn.execute(
            update(tickets)
            .where(tickets.c.id == ticket.id, tickets.c.version == ticket.version)
            .values(
                login=None,
                email=None,
                subject=ticket.subject,
                description=ticket.description,
                transcript=[line.to_dict() for line in ticket.transcript],
                conversation_id=None,
                idempotency_key=None,
                questions=[q.to_dict() for q in ticket.questions],
                updated_at=now,
                anonymised_at=now,
                version=ticket.version + 1,
            )
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(ticket.number)
        ticket.version += 1
        ids = (
            await self._conn.execute(
                select(ticket_events.c.id).where(ticket_events.c.ticket_id == ticket.id).order_by(ticket_events.c.id)
            )
        ).scalars()
        stored = list(ids)
        for event_id, event in zip(stored, ticket.events, strict=False):
            await self._conn.execute(
                update(ticket_events).where(ticket_events.c.id == event_id).values(data=event.data)
            )
        fresh = ticket.events[len(stored) :]
        if fresh:
            await self._conn.execute(
                insert(ticket_events),
                [
                    {
                        "ticket_id": ticket.id,
                        "type": e.type,
                        "at": e.at,
                        "actor": e.actor,
                        "line": e.line,
                        "data": e.data,
                    }
                    for e in fresh
                ],
            )
        number = ticket.number
        # The letters as received (raw, with the attachments), their senders, recipients, subjects, names.
        await self._conn.execute(
            update(mail_messages)
            .where(mail_messages.c.ticket_number == number)
            .values(
                sender=None,
                sender_name="",
                recipients=[],
                subject="",
                attachments=[],
                note=None,
                raw=null(),
                raw_size=0,
                raw_trimmed=True,
            )
        )
        await self._conn.execute(
            update(registration_cards)
            .where(registration_cards.c.ticket_number == number)
            .values(
                correspondent=REDACTED, surname=None, name=None, patronymic=None, email=None, subject="", summary=""
            )
        )
        await self._conn.execute(
            update(reply_deliveries)
            .where(reply_deliveries.c.ticket_number == number)
            .values(email=None, conversation_id=None, text=REDACTED, last_error=None)
        )

    async def record_access(self, entry: AccessEntry) -> None:
        await self._conn.execute(
            insert(pd_access).values(
                at=entry.at,
                actor=entry.actor[:200],
                role=entry.role,
                address=entry.address[:64] if entry.address else None,
                action=entry.action,
                subject=entry.subject[:500],
                tickets=list(entry.tickets),
            )
        )

    async def access_log(
        self, *, since: datetime | None, until: datetime | None, limit: int, offset: int
    ) -> list[AccessEntry]:
        conditions = []
        if since is not None:
            conditions.append(pd_access.c.at >= since)
        if until is not None:
            conditions.append(pd_access.c.at < until)
        rows = await self._conn.execute(
            select(pd_access).where(*conditions).order_by(pd_access.c.id.desc()).limit(limit).offset(offset)
        )
        return [
            AccessEntry(
                at=r.at,
                actor=r.actor,
                role=r.role,
                address=r.address,
                action=r.action,
                subject=r.subject,
                tickets=tuple(r.tickets),
            )
            for r in rows
        ]
