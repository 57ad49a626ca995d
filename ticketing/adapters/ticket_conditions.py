"""Conditions on the tickets table that both the queue and the dashboard queries use."""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column

from ticketing.adapters.orm import tickets
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
