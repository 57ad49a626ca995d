"""SQLAlchemy repositories: rows ↔ domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from procedure import statuses
from procedure.ticket_numbers import format_number
from ticketing.adapters.orm import api_tokens, ticket_events, tickets
from ticketing.adapters.ticket_conditions import scope_conditions
from ticketing.domain.access import ApiRole, ApiToken
from ticketing.domain.repeats import Earlier
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
        "handed_line2": 2 in ticket.handed_to,
        "handed_line3": 3 in ticket.handed_to,
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
        handed_to={line for line, handed in ((2, row.handed_line2), (3, row.handed_line3)) if handed},
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


_NEXT_TICKET_IDS = text("SELECT nextval('tickets_id_seq') FROM generate_series(1, :n)")
_SET_NUMBER = update(tickets).where(tickets.c.id == bindparam("ticket_id")).values(number=bindparam("number"))
_RESOLVED = statuses.ANSWERED
# §4.9 candidates of a whole batch in one round trip: each requester's newest answered tickets.
_EARLIER_RESOLVED_PG = text(
    """
    SELECT r.i, t.number, t.description
    FROM unnest(CAST(:emails AS varchar[]), CAST(:logins AS varchar[])) WITH ORDINALITY AS r(email, login, i)
    CROSS JOIN LATERAL (
        SELECT tickets.number, tickets.description FROM tickets
        WHERE (tickets.email = r.email OR tickets.login = r.login)
          AND tickets.status = ANY(CAST(:statuses AS varchar[]))
        ORDER BY tickets.created_at DESC
        LIMIT :limit
    ) AS t
    """
)


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

    async def add_many(self, new_tickets: Sequence[Ticket]) -> list[bool]:
        rows = [_ticket_row(ticket) for ticket in new_tickets]
        statement = _insert_for(self._conn.dialect.name)
        if self._conn.dialect.name == "postgresql":
            # Ids first, so that the numbers go into the INSERT itself (an UPDATE afterwards would
            # rewrite each row in every index), and all rows go in one statement (insertmanyvalues).
            ids = (await self._conn.execute(_NEXT_TICKET_IDS, {"n": len(rows)})).scalars().all()
            for row, ticket_id in zip(rows, ids, strict=True):
                row.update(id=ticket_id, number=format_number(ticket_id))
            inserted = set((await self._conn.execute(statement, rows)).scalars().all())
            stored = [row["id"] in inserted for row in rows]
        else:  # SQLite numbers a row on insert: one row at a time, then its number
            stored = []
            for row in rows:
                ticket_id = (await self._conn.execute(statement, row)).scalar_one_or_none()
                if ticket_id is not None:
                    row["id"] = ticket_id
                    row["number"] = format_number(ticket_id)
                    await self._conn.execute(_SET_NUMBER, {"ticket_id": ticket_id, "number": row["number"]})
                stored.append(ticket_id is not None)
        events: list[dict[str, Any]] = []
        for ticket, row, ok in zip(new_tickets, rows, stored, strict=True):
            if ok:  # a ticket whose key a concurrent twin stored keeps no id, number or history
                ticket.id, ticket.number = row["id"], row["number"]
                self._stored_events[row["id"]] = len(ticket.events)
                events.extend(_event_row(row["id"], event) for event in ticket.events)
        if events:
            await self._conn.execute(insert(ticket_events), events)
        return stored

    async def save(self, ticket: Ticket) -> None:
        assert ticket.id is not None, "save() is for stored tickets; use add_many()"
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
        rows = (
            await self._conn.execute(
                select(tickets)
                .where(
                    tickets.c.status.in_(statuses.OPEN),
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
        self, requesters: Sequence[tuple[str | None, str | None]], *, limit: int = 50
    ) -> list[list[Earlier]]:
        found: list[list[Earlier]] = [[] for _ in requesters]
        asked = [(i, email, login) for i, (email, login) in enumerate(requesters) if email or login]
        if not asked:
            return found
        if self._conn.dialect.name == "postgresql":
            params = {
                "emails": [email for _, email, _ in asked],
                "logins": [login for _, _, login in asked],
                "statuses": list(_RESOLVED),
                "limit": limit,
            }
            for row in await self._conn.execute(_EARLIER_RESOLVED_PG, params):
                found[asked[row.i - 1][0]].append(Earlier(row.number, row.description))
            return found
        for i, email, login in asked:  # SQLite has no LATERAL: a query per requester
            requester = [
                column == value for column, value in ((tickets.c.email, email), (tickets.c.login, login)) if value
            ]
            rows = await self._conn.execute(
                select(tickets.c.number, tickets.c.description)
                .where(or_(*requester), tickets.c.status.in_(_RESOLVED))
                .order_by(tickets.c.created_at.desc())
                .limit(limit)
            )
            found[i] = [Earlier(row.number, row.description) for row in rows]
        return found

    async def _one(self, query: Select[Any]) -> Ticket | None:
        row = (await self._conn.execute(query)).first()
        return None if row is None else await self._with_history(row)

    async def _with_history(self, row: Any) -> Ticket:
        """The ticket of a row with its history, which ``save()`` then appends to."""
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

    async def of_conversation(self, conversation_id: str) -> list[Ticket]:
        rows = (
            await self._conn.execute(
                select(tickets)
                .where(tickets.c.conversation_id == conversation_id, tickets.c.channel == Channel.CHAT.value)
                .order_by(tickets.c.id)
            )
        ).all()
        return [await self._with_history(row) for row in rows]  # a conversation has one or two tickets

    async def get_by_idempotency_keys(self, keys: Sequence[str]) -> dict[str, Ticket]:
        rows = (await self._conn.execute(select(tickets).where(tickets.c.idempotency_key.in_(keys)))).all()
        # replays are rare: their history is read one ticket at a time
        return {row.idempotency_key: await self._with_history(row) for row in rows}

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
        if flt.scope is not None:
            conditions.extend(scope_conditions(flt.scope))
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
                    expires_at=token.expires_at,
                )
                .returning(api_tokens.c.id)
            )
        ).scalar_one()
        return ApiToken(**{**token.__dict__, "id": token_id})

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        row = (await self._conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash))).first()
        return None if row is None else _token_of(row)

    async def all(self) -> list[ApiToken]:
        return [_token_of(row) for row in await self._conn.execute(select(api_tokens).order_by(api_tokens.c.id))]

    async def get(self, token_id: int) -> ApiToken | None:
        row = (await self._conn.execute(select(api_tokens).where(api_tokens.c.id == token_id))).first()
        return None if row is None else _token_of(row)

    async def revoke(self, token_id: int, now: datetime) -> None:
        await self._conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _token_of(row: Any) -> ApiToken:
    return ApiToken(
        id=row.id,
        name=row.name,
        role=ApiRole(row.role),
        token_hash=row.token_hash,
        created_at=row.created_at,
        regions=tuple(row.regions),
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
    )
