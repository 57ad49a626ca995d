"""Conditions on the tickets table that the ticket list, the queues, the dashboard and the reports use."""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column

from ticketing.adapters.orm import tickets
from ticketing.domain.access import AccessScope
from ticketing.domain.tickets import Status


def status_in(statuses: tuple[str, ...]) -> ColumnElement[bool]:
    """``status IN ('new', …)`` with the values written into the SQL, not bound.

    PostgreSQL may run a prepared statement with a generic plan, which cannot use the partial
    index of open tickets (migration 0005) unless the status list is visible in the statement.
    The values are members of ``Status``, so writing them in is safe.
    """
    valid = {s.value for s in Status}
    assert all(s in valid for s in statuses), statuses
    if not statuses:
        return tickets.c.status.in_([])
    return tickets.c.status.in_([literal_column(f"'{s}'") for s in statuses])


HANDED_COLUMNS = {2: tickets.c.handed_line2, 3: tickets.c.handed_line3}


def scope_conditions(scope: AccessScope | None) -> list[ColumnElement[bool]]:
    """The SQL form of ``AccessScope.can_see``: the tickets a caller may see (§4.5, §4.6, §5.7).

    Every query that lists or counts tickets adds these; ``None`` (a server-side job) sees everything.
    """
    if scope is None:
        return []
    where: list[ColumnElement[bool]] = []
    if scope.region_filter is not None:
        where.append(tickets.c.region.in_(scope.region_filter))
    if scope.handed_line is not None:
        where.append(HANDED_COLUMNS[scope.handed_line])  # bare, so a partial index «WHERE handed_line3» serves it
    return where
