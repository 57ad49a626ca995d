"""Storage of letters and registration cards (SQLAlchemy Core), on PostgreSQL as on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import incoming_sequences, mail_messages, registration_cards
from ticketing.domain.mail.cards import RegistrationCard
from ticketing.services.mail_ports import IN, DuplicateLetter, MailRepository, RegistrationRepository, StoredMail

_WITHOUT_RAW = [c for c in mail_messages.c if c.name != "raw"]


def _mail_row(mail: StoredMail) -> dict[str, Any]:
    return {
        "mailbox": mail.mailbox,
        "direction": mail.direction,
        "kind": mail.kind,
        "uid_key": mail.uid_key,
        "message_id": (mail.message_id or None) and mail.message_id[:500],
        "in_reply_to": mail.in_reply_to[0][:500] if mail.in_reply_to else None,
        "reference_ids": [r[:500] for r in mail.references],
        "ticket_number": mail.ticket_number,
        "delivery_id": mail.delivery_id,
        "sender": mail.sender,
        "sender_name": mail.sender_name[:300],
        "recipients": list(mail.recipients),
        "subject": mail.subject[:500],
        "sent_at": mail.sent_at,
        "received_at": mail.received_at,
        "attachments": list(mail.attachments),
        "note": mail.note[:500] if mail.note else None,
        "raw": mail.raw,
        "raw_size": mail.raw_size,
        "raw_trimmed": mail.raw_trimmed,
    }


def _mail_from(row: Any) -> StoredMail:
    return StoredMail(
        id=row.id,
        mailbox=row.mailbox,
        direction=row.direction,
        kind=row.kind,
        uid_key=row.uid_key,
        message_id=row.message_id,
        in_reply_to=(row.in_reply_to,) if row.in_reply_to else (),
        references=tuple(row.reference_ids),
        ticket_number=row.ticket_number,
        delivery_id=row.delivery_id,
        sender=row.sender,
        sender_name=row.sender_name,
        recipients=tuple(row.recipients),
        subject=row.subject,
        sent_at=row.sent_at,
        received_at=row.received_at,
        attachments=tuple(row.attachments),
        note=row.note,
        raw_size=row.raw_size,
        raw_trimmed=row.raw_trimmed,
    )


class SqlMailRepository(MailRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, mail: StoredMail) -> StoredMail:
        try:
            async with self._conn.begin_nested():
                mail_id = (
                    await self._conn.execute(
                        insert(mail_messages).values(_mail_row(mail)).returning(mail_messages.c.id)
                    )
                ).scalar_one()
        except IntegrityError as exc:
            if "uid_key" in str(exc.orig) or "delivery_id" in str(exc.orig):
                raise DuplicateLetter(mail.uid_key or str(mail.delivery_id)) from exc
            raise
        return StoredMail(**{**mail.__dict__, "id": mail_id})

    async def _first(self, *conditions: Any) -> StoredMail | None:
        row = (await self._conn.execute(select(*_WITHOUT_RAW).where(*conditions).limit(1))).first()
        return _mail_from(row) if row is not None else None

    async def by_key(self, uid_key: str) -> StoredMail | None:
        return await self._first(mail_messages.c.uid_key == uid_key)

    async def by_delivery(self, delivery_id: int) -> StoredMail | None:
        return await self._first(mail_messages.c.delivery_id == delivery_id)

    async def first_received(self, message_id: str) -> StoredMail | None:
        row = (
            await self._conn.execute(
                select(*_WITHOUT_RAW)
                .where(mail_messages.c.message_id == message_id[:500], mail_messages.c.direction == IN)
                .order_by(mail_messages.c.id)
                .limit(1)
            )
        ).first()
        return _mail_from(row) if row is not None else None

    async def tickets_of(self, message_ids: Sequence[str]) -> dict[str, str]:
        ids = [i[:500] for i in message_ids if i]
        if not ids:
            return {}
        rows = await self._conn.execute(
            select(mail_messages.c.message_id, mail_messages.c.ticket_number)
            .where(mail_messages.c.message_id.in_(ids), mail_messages.c.ticket_number.is_not(None))
            .order_by(mail_messages.c.id)
        )
        return {r.message_id: r.ticket_number for r in rows}

    async def thread(self, ticket_number: str) -> list[StoredMail]:
        rows = await self._conn.execute(
            select(*_WITHOUT_RAW).where(mail_messages.c.ticket_number == ticket_number).order_by(mail_messages.c.id)
        )
        return [_mail_from(r) for r in rows]

    async def get(self, mail_id: int) -> StoredMail | None:
        return await self._first(mail_messages.c.id == mail_id)

    async def raw(self, mail_id: int) -> bytes | None:
        value = (
            await self._conn.execute(select(mail_messages.c.raw).where(mail_messages.c.id == mail_id))
        ).scalar_one_or_none()
        return bytes(value) if value is not None else None


def _card_row(card: RegistrationCard) -> dict[str, Any]:
    return {
        "ticket_number": card.ticket_number,
        "incoming_number": card.incoming_number,
        "year": card.year,
        "seq": card.seq,
        "registered_at": card.registered_at,
        "registration_date": card.registration_date,
        "correspondent": card.correspondent[:300],
        "surname": card.surname,
        "name": card.name,
        "patronymic": card.patronymic,
        "email": card.email,
        "subject": card.subject[:500],
        "summary": card.summary,
        "due_at": card.due_at,
        "missing": list(card.missing),
    }


def _card_from(row: Any) -> RegistrationCard:
    return RegistrationCard(
        id=row.id,
        ticket_number=row.ticket_number,
        incoming_number=row.incoming_number,
        year=row.year,
        seq=row.seq,
        registered_at=row.registered_at,
        registration_date=row.registration_date,
        correspondent=row.correspondent,
        surname=row.surname,
        name=row.name,
        patronymic=row.patronymic,
        email=row.email,
        subject=row.subject,
        summary=row.summary,
        due_at=row.due_at,
        missing=tuple(row.missing),
    )


class SqlRegistrationRepository(RegistrationRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def next_seq(self, year: int) -> int:
        """``INSERT … ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last``.

        On PostgreSQL the row stays locked until the registering transaction ends, so two
        workers never get one number, and a rollback returns it; SQLite writes one at a time.
        """
        dialect = self._conn.dialect.name
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        upsert = (
            make(incoming_sequences)
            .values(year=year, last=1)
            .on_conflict_do_update(
                index_elements=[incoming_sequences.c.year], set_={"last": incoming_sequences.c.last + 1}
            )
            .returning(incoming_sequences.c.last)
        )
        return int((await self._conn.execute(upsert)).scalar_one())

    async def add(self, card: RegistrationCard) -> RegistrationCard:
        card_id = (
            await self._conn.execute(
                insert(registration_cards).values(_card_row(card)).returning(registration_cards.c.id)
            )
        ).scalar_one()
        return RegistrationCard(**{**card.__dict__, "id": card_id})

    async def of_ticket(self, number: str) -> RegistrationCard | None:
        row = (
            await self._conn.execute(select(registration_cards).where(registration_cards.c.ticket_number == number))
        ).first()
        return _card_from(row) if row is not None else None

    async def between(self, since: datetime | None, until: datetime | None, *, limit: int) -> list[RegistrationCard]:
        conditions = []
        if since is not None:
            conditions.append(registration_cards.c.registered_at >= since)
        if until is not None:
            conditions.append(registration_cards.c.registered_at < until)
        rows = await self._conn.execute(
            select(registration_cards)
            .where(*conditions)
            .order_by(registration_cards.c.year, registration_cards.c.seq)
            .limit(limit)
        )
        return [_card_from(r) for r in rows]
