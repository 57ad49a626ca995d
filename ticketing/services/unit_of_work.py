"""Ports of the storage: repositories and the unit of work that commits them together.

Services depend on these abstractions only; ``bootstrap`` picks the SQLAlchemy adapter,
service tests pick the in-memory ``FakeUnitOfWork`` of ``tests/unit/fakes.py`` (tickets and
regional operators; services on the other repositories are tested on SQLite and PostgreSQL).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any

from ticketing.domain.access import AccessScope, ApiToken
from ticketing.domain.extra_days import ExtraDay
from ticketing.domain.operators import RegionalOperator
from ticketing.domain.repeats import Earlier
from ticketing.domain.tickets import Channel, Status, Ticket
from ticketing.services.console_ports import (
    ConsoleQueries,
    DeliveryRepository,
    KnownIssueRepository,
    StaffRepository,
)
from ticketing.services.mail_ports import MailRepository, RegistrationRepository
from ticketing.services.personal_data_ports import PersonalDataRepository
from ticketing.services.read_models import Summary


@dataclass(frozen=True)
class TicketFilter:
    """Filters of the ticket list; ``scope`` is the caller's boundary (``domain.access``), not a user filter."""

    email: str | None = None
    login: str | None = None
    line: int | None = None
    status: Status | None = None
    region: str | None = None
    channel: Channel | None = None
    conversation_id: str | None = None
    assignee: str | None = None
    scope: AccessScope | None = None


class TicketRepository(abc.ABC):
    @abc.abstractmethod
    async def add_many(self, tickets: Sequence[Ticket]) -> list[bool]:
        """Store new tickets with their events; assigns ``id`` and ``number`` to each stored one.

        Returns one flag per ticket: False when a ticket with its ``idempotency_key`` was stored
        concurrently (by another transaction); that ticket is then not stored and keeps no number.
        """

    @abc.abstractmethod
    async def save(self, ticket: Ticket) -> None:
        """Write a changed ticket and its new events.

        Raises:
            ConcurrentUpdate: somebody changed the ticket since it was read.
        """

    @abc.abstractmethod
    async def deadline_candidates(self, *, now: datetime, horizon: timedelta, limit: int) -> list[Ticket]:
        """Open tickets due within ``horizon`` and not yet flagged, or overdue and not flagged.

        They come without their history (``events`` empty): callers may append events only.
        """

    @abc.abstractmethod
    async def earlier_resolved(
        self, requesters: Sequence[tuple[str | None, str | None]], *, limit: int = 50
    ) -> list[list[Earlier]]:
        """For each ``(email, login)``, that requester's answered or closed tickets, newest first (§4.9)."""

    @abc.abstractmethod
    async def get_by_number(self, number: str) -> Ticket | None: ...

    @abc.abstractmethod
    async def get_by_idempotency_keys(self, keys: Sequence[str]) -> dict[str, Ticket]:
        """The stored tickets of these keys (with their history), by key; absent keys are left out."""

    @abc.abstractmethod
    async def of_conversation(self, conversation_id: str) -> list[Ticket]:
        """The chat tickets of one web-chat conversation, with their history, oldest first."""

    @abc.abstractmethod
    async def list(self, flt: TicketFilter, *, limit: int, offset: int) -> tuple[list[Ticket], int]:
        """A page of tickets sorted by deadline, and the total count matching ``flt``."""


class TokenRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, token: ApiToken) -> ApiToken: ...

    @abc.abstractmethod
    async def get_by_hash(self, token_hash: str) -> ApiToken | None: ...

    @abc.abstractmethod
    async def all(self) -> list[ApiToken]: ...

    @abc.abstractmethod
    async def get(self, token_id: int) -> ApiToken | None: ...

    @abc.abstractmethod
    async def revoke(self, token_id: int, now: datetime) -> None: ...


class CalendarRepository(abc.ABC):
    @abc.abstractmethod
    async def all(self) -> list[ExtraDay]: ...

    @abc.abstractmethod
    async def put(self, day: ExtraDay) -> None:
        """Insert or replace the entry for ``day.day``."""

    @abc.abstractmethod
    async def remove(self, day: date) -> bool:
        """Delete the entry; False when there was none."""


class OperatorRepository(abc.ABC):
    @abc.abstractmethod
    async def all(self) -> list[RegionalOperator]: ...

    @abc.abstractmethod
    async def get(self, region: str) -> RegionalOperator | None: ...

    @abc.abstractmethod
    async def put(self, operator: RegionalOperator) -> None:
        """Insert or replace the entry of ``operator.region``."""

    @abc.abstractmethod
    async def remove(self, region: str) -> bool: ...


@dataclass(frozen=True)
class AuditFilter:
    number: str | None = None
    actor: str | None = None
    type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    scope: AccessScope | None = None  # the caller's boundary (``domain.access``)


@dataclass(frozen=True)
class AuditEntry:
    number: str
    type: str
    at: datetime
    actor: str
    line: int | None
    data: dict[str, Any]


class Reports(abc.ABC):
    @abc.abstractmethod
    async def summary(
        self, *, now: datetime, since: datetime | None, until: datetime | None, scope: AccessScope | None
    ) -> Summary: ...

    @abc.abstractmethod
    async def audit(self, flt: AuditFilter, *, limit: int, offset: int) -> list[AuditEntry]:
        """History events of all tickets, newest first."""


class AbstractUnitOfWork(abc.ABC):
    """One transaction. ``async with uow:`` rolls back whatever was not committed."""

    tickets: TicketRepository
    tokens: TokenRepository
    calendar: CalendarRepository
    reports: Reports
    operators: OperatorRepository
    # the staff console (ports in services.console_ports)
    staff: StaffRepository
    known_issues: KnownIssueRepository
    deliveries: DeliveryRepository
    console: ConsoleQueries
    # the mail channels (ports in services.mail_ports)
    mail: MailRepository
    registration: RegistrationRepository
    personal_data: PersonalDataRepository  # 152-ФЗ (services.personal_data_ports)

    async def __aenter__(self) -> AbstractUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...


class ConcurrentUpdate(Exception):
    """The ticket changed between reading and writing (optimistic locking)."""
