"""Storage ports of the staff console: users, sessions, known issues, reply deliveries, queries.

Kept apart from ``unit_of_work`` (which only names them as attributes of the unit of work) so
that the console's storage can grow without touching the ports the API relies on.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from ticketing.domain.access import AccessScope
from ticketing.domain.deliveries import Delivery
from ticketing.domain.known_issues import KnownIssue
from ticketing.domain.staff import Attempts, StaffUser
from ticketing.services.read_models import Dashboard, QueueRow


class StaffRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, user: StaffUser) -> StaffUser:
        """Store a new user; assigns ``id``.

        Raises:
            DuplicateLogin: the login is taken.
        """

    @abc.abstractmethod
    async def save(self, user: StaffUser) -> None: ...

    @abc.abstractmethod
    async def get(self, user_id: int) -> StaffUser | None: ...

    @abc.abstractmethod
    async def by_login(self, login: str) -> StaffUser | None:
        """Logins compare case-insensitively: people type them as they like."""

    @abc.abstractmethod
    async def all(self) -> list[StaffUser]: ...

    @abc.abstractmethod
    async def attempts(self, login: str) -> Attempts:
        """The failed sign-ins of ``login`` in a row, whether a staff member has it or not."""

    @abc.abstractmethod
    async def save_attempts(self, login: str, attempts: Attempts, *, now: datetime) -> None: ...


class DuplicateLogin(Exception):
    """Another staff user already has this login."""


class KnownIssueRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, issue: KnownIssue) -> KnownIssue: ...

    @abc.abstractmethod
    async def save(self, issue: KnownIssue) -> None: ...

    @abc.abstractmethod
    async def get(self, issue_id: int) -> KnownIssue | None: ...

    @abc.abstractmethod
    async def all_issues(self, *, active_only: bool) -> list[KnownIssue]:
        """Newest first; active ones before fixed ones."""

    @abc.abstractmethod
    async def link(self, issue_id: int, number: str, *, at: datetime, by: str) -> bool:
        """Link a ticket; False when it was linked already."""

    @abc.abstractmethod
    async def linked_numbers(self, issue_id: int) -> list[str]: ...

    @abc.abstractmethod
    async def issues_of(self, number: str) -> list[KnownIssue]: ...

    @abc.abstractmethod
    async def link_counts(self) -> dict[int, int]: ...


class DeliveryRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, delivery: Delivery) -> Delivery: ...

    @abc.abstractmethod
    async def save(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    async def due(
        self, now: datetime, limit: int, *, channels: frozenset[str] | None = None, include_manual: bool = False
    ) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, oldest first.

        ``channels`` narrows them to some ticket channels; ``include_manual`` adds the e-mail
        replies still marked «ждёт отправки письмом», which the mail worker takes over.
        """

    @abc.abstractmethod
    async def of_ticket(self, number: str) -> list[Delivery]: ...


@dataclass(frozen=True)
class QueueFilter:
    """A queue (the base conditions of a tab) narrowed by the filters a person picked.

    ``scope`` is the caller's boundary (``domain.access``: lines 2 and 3), never a user filter.
    """

    line: int | None = None
    statuses: tuple[str, ...] | None = None
    assignee: str | None = None
    owner: str | None = None
    unassigned: bool = False
    channel: str | None = None
    region: str | None = None
    question_type: str | None = None
    status: str | None = None
    deadline: str | None = None  # a DeadlineState value
    search: str | None = None  # a ticket number, an e-mail or a login
    scope: AccessScope | None = None
    # Line 3's queues go by its own 24 hours (§5.5): ``line3_due_at`` orders them and the deadline filter reads it.
    by_line3_due: bool = False


class ConsoleQueries(abc.ABC):
    """Read-only queries of the console, tuned to the indexes of the tickets table."""

    @abc.abstractmethod
    async def queue(
        self, flt: QueueFilter, *, now: datetime, approach_until: datetime, limit: int, offset: int
    ) -> tuple[list[QueueRow], int]:
        """A page sorted by deadline, and the total matching ``flt``.

        ``approach_until``: open tickets due before it (and not yet overdue) have less than one
        working day left (see ``services.queues.approach_until``).
        """

    @abc.abstractmethod
    async def count(self, flt: QueueFilter, *, now: datetime, approach_until: datetime) -> int: ...

    @abc.abstractmethod
    async def dashboard(
        self,
        *,
        now: datetime,
        approach_until: datetime,
        since: datetime,
        until: datetime,
        scope: AccessScope | None,
        region: str | None,
    ) -> Dashboard: ...
