"""Extraordinary days beyond the production calendar, kept by admins (§4.3 counts working days).

A decree may declare working days non-working (as in 2020), or a region's holiday may matter;
the deadlines must follow such days from the moment an admin records them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ticketing.domain.calendar import DEFAULT_EXTRA_NON_WORKING_DAYS, WorkCalendar


@dataclass(frozen=True)
class ExtraDay:
    day: date
    working: bool
    note: str
    created_at: datetime
    created_by: str


def calendar_with(days: Iterable[ExtraDay]) -> WorkCalendar:
    """The production calendar plus the 2020 decree days plus the admins' days (theirs win)."""
    days = list(days)
    working = {d.day for d in days if d.working}
    non_working = (set(DEFAULT_EXTRA_NON_WORKING_DAYS) - working) | {d.day for d in days if not d.working}
    return WorkCalendar(extra_non_working=non_working, extra_working=working)
