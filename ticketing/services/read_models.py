"""Read models: what the queue, the dashboard and the §5.3 summary hand to the screens and reports.

Plain frozen data, no behaviour beyond arithmetic; the ports (console_ports, unit_of_work) and the
adapters that fill them both import them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Summary:
    """Counts for §5.3 control; tickets left without an answer are counted apart, never as breaches."""

    total: int
    by_status: dict[str, int]
    by_line: dict[str, int]  # open tickets only: where the work waits
    by_channel: dict[str, int]
    by_region: dict[str, int]
    by_question_type: dict[str, int]
    left_without_answer: dict[str, int]  # by reason code
    open_breached: int
    answered_in_time: int
    answered_late: int


@dataclass(frozen=True)
class QueueRow:
    """What a queue row, an export line or a dashboard list shows; no transcript, no history."""

    number: str
    channel: str
    question_type: str | None
    region: str | None
    role: str | None
    login: str | None
    email: str | None
    subject: str
    status: str
    line: int
    created_at: datetime
    due_at: datetime
    assignee: str | None
    owner: str | None
    resolution_reason: str | None
    first_answered_at: datetime | None
    resolved_at: datetime | None
    line3_due_at: datetime | None


@dataclass(frozen=True)
class Share:
    """Answered in time out of answered; ``share`` is None when nothing was answered."""

    in_time: int
    total: int

    @property
    def share(self) -> float | None:
        return self.in_time / self.total if self.total else None


@dataclass(frozen=True)
class DayCount:
    day: str  # ISO date, Moscow
    created: int
    resolved: int


@dataclass(frozen=True)
class Dashboard:
    """§5.3 control of speed and quality: the counts of ``Summary`` and what they do not show."""

    summary: Summary
    median_first_answer: timedelta | None
    median_resolution: timedelta | None
    in_time_by_line: dict[int, Share]
    in_time_by_region: dict[str, Share]
    days: list[DayCount]
    at_risk: list[QueueRow]
    extra: dict[str, Any] = field(default_factory=dict)
