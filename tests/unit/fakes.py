"""In-memory adapters of the storage ports, for service tests that need no database (cosmicpython).

``FakeUnitOfWork`` holds the tickets and the regional operators in dictionaries; a commit makes
the changes of the transaction visible, and leaving ``async with`` without one throws them away,
as the SQL unit of work does. The other repositories of ``AbstractUnitOfWork`` (staff, mail,
reports…) are not faked: a service that needs them is tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime, timedelta

from procedure import statuses
from procedure.ticket_numbers import format_number
from ticketing.domain.operators import RegionalOperator
from ticketing.domain.repeats import Earlier
from ticketing.domain.tickets import Channel, Ticket
from ticketing.services.unit_of_work import (
    AbstractUnitOfWork,
    ConcurrentUpdate,
    OperatorRepository,
    TicketFilter,
    TicketRepository,
)


class FakeTicketRepository(TicketRepository):
    def __init__(self, store: dict[str, Ticket], committed: FakeState) -> None:
        self._store = store  # the transaction's copy, by number
        self._committed = committed  # what other transactions committed meanwhile

    async def add_many(self, tickets: Sequence[Ticket]) -> list[bool]:
        stored = []
        for ticket in tickets:
            if ticket.idempotency_key and await self.get_by_idempotency_keys([ticket.idempotency_key]):
                stored.append(False)
                continue
            ticket.id = len(self._store) + 1
            ticket.number = format_number(ticket.id)
            self._store[ticket.number] = copy.deepcopy(ticket)
            stored.append(True)
        return stored

    async def save(self, ticket: Ticket) -> None:
        assert ticket.number is not None
        # Like UPDATE … WHERE version = :read: a commit of another transaction since our read wins.
        others = self._committed.tickets.get(ticket.number)
        current = max(self._store[ticket.number].version, others.version if others else 0)
        if ticket.version != current:
            raise ConcurrentUpdate(ticket.number)
        ticket.version += 1
        self._store[ticket.number] = copy.deepcopy(ticket)

    async def deadline_candidates(self, *, now: datetime, horizon: timedelta, limit: int) -> list[Ticket]:
        due = [
            t
            for t in self._store.values()
            if statuses.is_open(t.status)
            and (
                (t.due_at <= now + horizon and t.approaching_notified_at is None)
                or (t.due_at < now and t.breached_notified_at is None)
            )
        ]
        return [copy.deepcopy(t) for t in sorted(due, key=lambda t: t.due_at)[:limit]]

    async def earlier_resolved(
        self, requesters: Sequence[tuple[str | None, str | None]], *, limit: int = 50
    ) -> list[list[Earlier]]:
        found = []
        for email, login in requesters:
            mine = [
                t
                for t in self._store.values()
                if t.status in statuses.ANSWERED and ((email and t.email == email) or (login and t.login == login))
            ]
            newest = sorted(mine, key=lambda t: t.created_at, reverse=True)[:limit]
            found.append([Earlier(str(t.number), t.description) for t in newest])
        return found

    async def get_by_number(self, number: str) -> Ticket | None:
        ticket = self._store.get(number)
        return copy.deepcopy(ticket) if ticket else None

    async def of_conversation(self, conversation_id: str) -> list[Ticket]:
        chat = [
            t for t in self._store.values() if t.conversation_id == conversation_id and t.channel == Channel.CHAT
        ]
        return [copy.deepcopy(t) for t in sorted(chat, key=lambda t: t.id or 0)]

    async def get_by_idempotency_keys(self, keys: Sequence[str]) -> dict[str, Ticket]:
        return {
            t.idempotency_key: copy.deepcopy(t)
            for t in self._store.values()
            if t.idempotency_key is not None and t.idempotency_key in keys
        }

    async def list(self, flt: TicketFilter, *, limit: int, offset: int) -> tuple[list[Ticket], int]:
        wanted = {
            "email": flt.email,
            "login": flt.login,
            "line": flt.line,
            "status": flt.status,
            "region": flt.region,
            "channel": flt.channel,
            "conversation_id": flt.conversation_id,
            "assignee": flt.assignee,
        }
        matching = [
            t
            for t in self._store.values()
            if all(value is None or getattr(t, name) == value for name, value in wanted.items())
            and (flt.scope is None or flt.scope.can_see(region=t.region, handed_to=t.handed_to))
        ]
        matching.sort(key=lambda t: (t.due_at, t.id or 0))
        return [copy.deepcopy(t) for t in matching[offset : offset + limit]], len(matching)


class FakeOperatorRepository(OperatorRepository):
    def __init__(self, store: dict[str, RegionalOperator]) -> None:
        self._store = store

    async def all(self) -> list[RegionalOperator]:
        return sorted(self._store.values(), key=lambda o: o.region)

    async def get(self, region: str) -> RegionalOperator | None:
        return self._store.get(region)

    async def put(self, operator: RegionalOperator) -> None:
        self._store[operator.region] = operator

    async def remove(self, region: str) -> bool:
        return self._store.pop(region, None) is not None


class FakeUnitOfWork(AbstractUnitOfWork):
    """One transaction over shared in-memory state: ``FakeUnitOfWork(state)`` for each ``uow()`` call."""

    def __init__(self, state: FakeState) -> None:
        self._state = state
        self.committed = False

    async def __aenter__(self) -> FakeUnitOfWork:
        self._tickets = copy.deepcopy(self._state.tickets)
        self._operators = dict(self._state.operators)
        self.tickets = FakeTicketRepository(self._tickets, self._state)
        self.operators = FakeOperatorRepository(self._operators)
        return self

    async def commit(self) -> None:
        self._state.tickets, self._state.operators = self._tickets, self._operators
        self.committed = True

    async def rollback(self) -> None:
        self._tickets, self._operators = copy.deepcopy(self._state.tickets), dict(self._state.operators)


class FakeState:
    """What a fake database holds between transactions."""

    def __init__(self) -> None:
        self.tickets: dict[str, Ticket] = {}
        self.operators: dict[str, RegionalOperator] = {}

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)
