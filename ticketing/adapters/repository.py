"""SQLAlchemy repositories: rows ↔ domain objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import api_tokens, ticket_events, tickets
from ticketing.domain.access import ApiRole, ApiToken
from ticketing.domain.numbering import format_number
from ticketing.domain.tickets import (
    Channel,
    Kind,
    QuestionType,
    RequesterRole,
    Status,
    Ticket,
    TicketEvent,
    TranscriptLine,
)
from ticketing.services.unit_of_work import (
    DuplicateIdempotencyKey,
    TicketFilter,
    TicketRepository,
    TokenRepository,
)


def _ticket_row(ticket: Ticket) -> dict[str, Any]:
    return {
        "channel": ticket.channel.value,
        "kind": ticket.kind.value,
        "question_type": ticket.question_type.value if ticket.question_type else None,
        "region": ticket.region,
        "role": ticket.role.value if ticket.role else None,
        "login": ticket.login,
        "email": ticket.email,
        "subject": ticket.subject,
        "description": ticket.description,
        "transcript": [line.to_dict() for line in ticket.transcript],
        "conversation_id": ticket.conversation_id,
        "instructions_tried": list(ticket.instructions_tried),
        "status": ticket.status.value,
        "line": ticket.line,
        "created_at": ticket.created_at,
        "due_at": ticket.due_at,
        "updated_at": ticket.updated_at,
        "idempotency_key": ticket.idempotency_key,
    }


def _ticket_from_row(row: Any, events: list[TicketEvent]) -> Ticket:
    return Ticket(
        id=row.id,
        number=row.number,
        channel=Channel(row.channel),
        kind=Kind(row.kind),
        question_type=QuestionType(row.question_type) if row.question_type else None,
        region=row.region,
        role=RequesterRole(row.role) if row.role else None,
        login=row.login,
        email=row.email,
        subject=row.subject,
        description=row.description,
        transcript=[TranscriptLine(**line) for line in row.transcript],
        conversation_id=row.conversation_id,
        instructions_tried=list(row.instructions_tried),
        status=Status(row.status),
        line=row.line,
        created_at=row.created_at,
        due_at=row.due_at,
        updated_at=row.updated_at,
        idempotency_key=row.idempotency_key,
        events=events,
    )


def _event_row(ticket_id: int, event: TicketEvent) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "type": event.type,
        "at": event.at,
        "actor": event.actor,
        "line": event.line,
        "data": event.data,
    }


class SqlTicketRepository(TicketRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, ticket: Ticket) -> Ticket:
        try:
            async with self._conn.begin_nested():
                ticket_id = (
                    await self._conn.execute(insert(tickets).values(_ticket_row(ticket)).returning(tickets.c.id))
                ).scalar_one()
        except IntegrityError as exc:
            if ticket.idempotency_key and "idempotency_key" in str(exc.orig):
                raise DuplicateIdempotencyKey(ticket.idempotency_key) from exc
            raise
        number = format_number(ticket_id)
        await self._conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(number=number))
        if ticket.events:
            await self._conn.execute(insert(ticket_events), [_event_row(ticket_id, e) for e in ticket.events])
        ticket.id, ticket.number = ticket_id, number
        return ticket

    async def _one(self, query: Select[Any]) -> Ticket | None:
        row = (await self._conn.execute(query)).first()
        if row is None:
            return None
        return _ticket_from_row(row, await self._events(row.id))

    async def _events(self, ticket_id: int) -> list[TicketEvent]:
        rows = await self._conn.execute(
            select(ticket_events).where(ticket_events.c.ticket_id == ticket_id).order_by(ticket_events.c.id)
        )
        return [TicketEvent(type=r.type, at=r.at, actor=r.actor, line=r.line, data=r.data) for r in rows]

    async def get_by_number(self, number: str) -> Ticket | None:
        return await self._one(select(tickets).where(tickets.c.number == number))

    async def get_by_idempotency_key(self, key: str) -> Ticket | None:
        return await self._one(select(tickets).where(tickets.c.idempotency_key == key))

    async def list(self, flt: TicketFilter, *, limit: int, offset: int) -> tuple[list[Ticket], int]:
        conditions = []
        if flt.email is not None:
            # Addresses are stored lower-cased (see http.schemas), so the index serves this.
            conditions.append(tickets.c.email == flt.email.lower())
        for column, value in (
            (tickets.c.login, flt.login),
            (tickets.c.line, flt.line),
            (tickets.c.status, flt.status.value if flt.status else None),
            (tickets.c.region, flt.region),
            (tickets.c.channel, flt.channel.value if flt.channel else None),
            (tickets.c.conversation_id, flt.conversation_id),
        ):
            if value is not None:
                conditions.append(column == value)
        if flt.regions is not None:
            conditions.append(tickets.c.region.in_(flt.regions))
        total = (await self._conn.execute(select(func.count()).select_from(tickets).where(*conditions))).scalar_one()
        rows = (
            await self._conn.execute(
                select(tickets).where(*conditions).order_by(tickets.c.due_at, tickets.c.id).limit(limit).offset(offset)
            )
        ).all()
        return [_ticket_from_row(row, []) for row in rows], total


class SqlTokenRepository(TokenRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, token: ApiToken) -> ApiToken:
        token_id = (
            await self._conn.execute(
                insert(api_tokens)
                .values(
                    name=token.name,
                    role=token.role.value,
                    regions=list(token.regions),
                    token_hash=token.token_hash,
                    created_at=token.created_at,
                    revoked_at=token.revoked_at,
                )
                .returning(api_tokens.c.id)
            )
        ).scalar_one()
        return ApiToken(**{**token.__dict__, "id": token_id})

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        row = (await self._conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash))).first()
        if row is None:
            return None
        return ApiToken(
            id=row.id,
            name=row.name,
            role=ApiRole(row.role),
            token_hash=row.token_hash,
            created_at=row.created_at,
            regions=tuple(row.regions),
            revoked_at=row.revoked_at,
        )
