"""SQLAlchemy repositories: rows ↔ domain objects."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import api_tokens, ticket_events, tickets
from ticketing.domain.access import ApiRole, ApiToken
from ticketing.domain.numbering import format_number
from ticketing.domain.tickets import (
    Channel,
    Kind,
    Question,
    QuestionType,
    RequesterRole,
    Status,
    Ticket,
    TicketEvent,
    TranscriptLine,
)
from ticketing.services.tickets import COUNT_CAP
from ticketing.services.unit_of_work import (
    ConcurrentUpdate,
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
        "assignee": ticket.assignee,
        "owner": ticket.owner,
        "line3_due_at": ticket.line3_due_at,
        "resolution_reason": ticket.resolution_reason,
        "repeat_of": ticket.repeat_of,
        "questions": [q.to_dict() for q in ticket.questions],
        "first_answered_at": ticket.first_answered_at,
        "resolved_at": ticket.resolved_at,
        "likely_repeats": list(ticket.likely_repeats),
        "approaching_notified_at": ticket.approaching_notified_at,
        "breached_notified_at": ticket.breached_notified_at,
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
        assignee=row.assignee,
        owner=row.owner,
        line3_due_at=row.line3_due_at,
        resolution_reason=row.resolution_reason,
        repeat_of=row.repeat_of,
        questions=[Question.from_dict(q) for q in row.questions],
        first_answered_at=row.first_answered_at,
        resolved_at=row.resolved_at,
        likely_repeats=list(row.likely_repeats),
        approaching_notified_at=row.approaching_notified_at,
        breached_notified_at=row.breached_notified_at,
        version=row.version,
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


_NEXT_TICKET_ID = select(func.nextval("tickets_id_seq"))
_SET_NUMBER = update(tickets).where(tickets.c.id == bindparam("ticket_id")).values(number=bindparam("number"))


def _insert_for(dialect: str) -> Any:
    """INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, built once per dialect.

    A conflict returns no row instead of aborting the transaction, so no SAVEPOINT is needed.
    """
    if dialect not in _INSERTS:
        module = postgresql if dialect == "postgresql" else sqlite
        _INSERTS[dialect] = (
            module.insert(tickets).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(tickets.c.id)
        )
    return _INSERTS[dialect]


_INSERTS: dict[str, Any] = {}


class SqlTicketRepository(TicketRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._stored_events: dict[int, int] = {}  # ticket id → events already in the table

    async def add(self, ticket: Ticket) -> Ticket:
        row = _ticket_row(ticket)
        if self._conn.dialect.name == "postgresql":
            # Take the id first, so the number goes into the one INSERT instead of an UPDATE
            # that would rewrite the row in every index (measured: the costliest step).
            ticket_id = (await self._conn.execute(_NEXT_TICKET_ID)).scalar_one()
            row.update(id=ticket_id, number=format_number(ticket_id))
        statement = _insert_for(self._conn.dialect.name)
        inserted = (await self._conn.execute(statement, row)).scalar_one_or_none()
        if inserted is None:  # ON CONFLICT DO NOTHING: a concurrent twin with this Idempotency-Key won
            assert ticket.idempotency_key is not None
            raise DuplicateIdempotencyKey(ticket.idempotency_key)
        ticket_id = int(inserted)
        number = format_number(ticket_id)
        if "number" not in row:
            await self._conn.execute(_SET_NUMBER, {"ticket_id": ticket_id, "number": number})
        if ticket.events:
            await self._conn.execute(insert(ticket_events), [_event_row(ticket_id, e) for e in ticket.events])
        ticket.id, ticket.number = ticket_id, number
        self._stored_events[ticket_id] = len(ticket.events)
        return ticket

    async def save(self, ticket: Ticket) -> None:
        assert ticket.id is not None, "save() is for stored tickets; use add()"
        result = await self._conn.execute(
            update(tickets)
            .where(tickets.c.id == ticket.id, tickets.c.version == ticket.version)
            .values(**_ticket_row(ticket), version=ticket.version + 1)
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(ticket.number or str(ticket.id))
        ticket.version += 1
        stored = self._stored_events.get(ticket.id, 0)
        fresh = ticket.events[stored:]
        if fresh:
            await self._conn.execute(insert(ticket_events), [_event_row(ticket.id, e) for e in fresh])
        self._stored_events[ticket.id] = len(ticket.events)

    async def deadline_candidates(self, *, now: datetime, horizon: timedelta, limit: int) -> list[Ticket]:
        open_states = [s.value for s in (Status.NEW, Status.IN_PROGRESS, Status.WAITING_LINE2, Status.WAITING_LINE3)]
        rows = (
            await self._conn.execute(
                select(tickets)
                .where(
                    tickets.c.status.in_(open_states),
                    or_(
                        and_(tickets.c.due_at <= now + horizon, tickets.c.approaching_notified_at.is_(None)),
                        and_(tickets.c.due_at < now, tickets.c.breached_notified_at.is_(None)),
                    ),
                )
                .order_by(tickets.c.due_at)
                .limit(limit)
            )
        ).all()
        # Loaded without their history: the watcher only appends, and save() writes what was appended.
        for row in rows:
            self._stored_events[row.id] = 0
        return [_ticket_from_row(row, []) for row in rows]

    async def earlier_resolved(
        self, *, email: str | None, login: str | None, exclude_id: int | None, limit: int = 50
    ) -> list[Ticket]:
        requester = []
        if email:
            requester.append(tickets.c.email == email)
        if login:
            requester.append(tickets.c.login == login)
        if not requester:
            return []
        rows = (
            await self._conn.execute(
                select(tickets)
                .where(
                    or_(*requester),
                    tickets.c.status.in_([Status.ANSWERED.value, Status.CLOSED.value]),
                    tickets.c.id != (exclude_id or 0),
                )
                .order_by(tickets.c.created_at.desc())
                .limit(limit)
            )
        ).all()
        return [_ticket_from_row(row, []) for row in rows]

    async def _one(self, query: Select[Any]) -> Ticket | None:
        row = (await self._conn.execute(query)).first()
        if row is None:
            return None
        events = await self._events(row.id)
        self._stored_events[row.id] = len(events)
        return _ticket_from_row(row, events)

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
            (tickets.c.assignee, flt.assignee),
        ):
            if value is not None:
                conditions.append(column == value)
        if flt.regions is not None:
            conditions.append(tickets.c.region.in_(flt.regions))
        # Counting stops past COUNT_CAP: an exact count of 800,000 rows costs more than the page itself.
        capped = select(tickets.c.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
        total = (await self._conn.execute(select(func.count()).select_from(capped))).scalar_one()
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
