"""The console's queues: which tabs each line sees (§5.1), their filters, and deadline states of rows.

Line 1 sees new requests and its own; line 2 the requests of its regions handed to it (§4.5, §5.7);
line 3 what was escalated to it (§4.6, §5.4); admins everything. The boundary (``domain.access``)
is added to every query from the user's scope, never taken from the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from procedure import statuses
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.deadline_state import DeadlineState, line3_state, line3_target
from ticketing.domain.sla import LINE3_WARNING, MOSCOW, ONE_WORKING_DAY
from ticketing.domain.tickets import Status
from ticketing.services.console_ports import QueueFilter
from ticketing.services.read_models import QueueRow
from ticketing.services.unit_of_work import AbstractUnitOfWork

PAGE_SIZE = 50


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    base: QueueFilter


def tabs_for(role: ApiRole, name: str) -> list[Tab]:
    """The queues of a role; the first one opens by default."""
    new = Tab("new", "Новые", QueueFilter(line=1, statuses=(Status.NEW.value,)))
    everything = Tab("all", "Все обращения", QueueFilter())
    line2 = Tab(
        "line2", "Переданы региональному оператору", QueueFilter(line=2, statuses=(Status.WAITING_LINE2.value,))
    )
    line3 = Tab(
        "line3",
        "Переданы на третью линию",
        QueueFilter(line=3, statuses=(Status.WAITING_LINE3.value,), by_line3_due=True),
    )
    if role is ApiRole.LINE1:
        return [
            new,
            Tab("mine", "Мои в работе", QueueFilter(line=1, assignee=name, statuses=statuses.OPEN)),
            Tab(
                "waiting",
                "Мои у других линий",
                QueueFilter(owner=name, statuses=(Status.WAITING_LINE2.value, Status.WAITING_LINE3.value)),
            ),
            everything,
        ]
    if role is ApiRole.LINE2:
        return [
            replace(line2, title="Ждут ответа региона"),
            Tab("mine", "Мои в работе", QueueFilter(line=2, assignee=name, statuses=statuses.OPEN)),
            replace(everything, title="Все обращения моих регионов"),
        ]
    if role is ApiRole.LINE3:
        mine = QueueFilter(line=3, assignee=name, statuses=statuses.OPEN, by_line3_due=True)
        return [line3, Tab("mine", "Мои в работе", mine)]
    return [everything, new, line2, line3]


def approach_until(now: datetime, calendar: WorkCalendar, threshold: timedelta = ONE_WORKING_DAY) -> datetime:
    """Open tickets due before this moment have less than a working day left (``sla.approaching``).

    Walks forward from ``now`` over working days until one working day of time has passed;
    a deadline whose last second falls before that point leaves less than the threshold.
    """
    start = now.astimezone(MOSCOW)
    left = timedelta()
    day = start.date()
    for _ in range(400):  # a year of holidays is more than any calendar has
        if calendar.is_working_day(day):
            day_start = datetime.combine(day, time(), tzinfo=MOSCOW)
            segment_start = max(start, day_start)
            available = datetime.combine(day + timedelta(days=1), time(), tzinfo=MOSCOW) - segment_start
            if left + available >= threshold:
                return segment_start + (threshold - left) - timedelta(seconds=1)
            left += available
        day += timedelta(days=1)
    return start + timedelta(days=400)


def row_state(row: QueueRow, now: datetime, until: datetime, *, by_line3_due: bool = False) -> DeadlineState:
    """The deadline state of a queue row; the same conditions as the SQL filter.

    In line 3's queues a row waiting on line 3 is judged by line 3's own 24 hours (§5.5).
    """
    if by_line3_due and line3_target(row.status, row.line3_due_at) is not None:
        return line3_state(row.status, row.line3_due_at, now)
    if row.status == Status.LEFT_WITHOUT_ANSWER.value:
        return DeadlineState.NOT_APPLICABLE
    if row.status in statuses.ANSWERED:
        answered = row.resolved_at or row.due_at
        return DeadlineState.MISSED if answered > row.due_at else DeadlineState.MET
    if row.due_at < now.replace(microsecond=0):
        return DeadlineState.BREACHED
    if row.due_at < until:
        return DeadlineState.APPROACHING
    return DeadlineState.ON_TRACK


def bounded(flt: QueueFilter, scope: AccessScope) -> QueueFilter:
    return replace(flt, scope=scope)


def narrowed(base: QueueFilter, picked: QueueFilter) -> QueueFilter:
    """The tab's conditions plus the person's filters (a picked status must fit the tab's)."""
    statuses = base.statuses
    status = picked.status
    if status and statuses is not None and status not in statuses:
        statuses = ()  # nothing can match; an empty page says so honestly
    return replace(
        base,
        statuses=statuses,
        channel=picked.channel,
        region=picked.region,
        question_type=picked.question_type,
        status=status,
        deadline=picked.deadline,
        search=picked.search,
    )


async def page(
    uow: AbstractUnitOfWork,
    flt: QueueFilter,
    scope: AccessScope,
    *,
    now: datetime,
    calendar: WorkCalendar,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> tuple[list[tuple[QueueRow, DeadlineState]], int]:
    until = until_for(flt, now, calendar)
    async with uow:
        rows, total = await uow.console.queue(
            bounded(flt, scope), now=now, approach_until=until, limit=limit, offset=offset
        )
    return [(r, row_state(r, now, until, by_line3_due=flt.by_line3_due)) for r in rows], total


def until_for(flt: QueueFilter, now: datetime, calendar: WorkCalendar) -> datetime:
    """Rows due before this moment are «срок истекает»: a working day, or line 3's last hours (§5.5)."""
    return now + LINE3_WARNING if flt.by_line3_due else approach_until(now, calendar)


async def counts(
    uow: AbstractUnitOfWork, tabs: list[Tab], scope: AccessScope, *, now: datetime, calendar: WorkCalendar
) -> dict[str, int]:
    """The counter of every tab: how many tickets it lists before the person's filters."""
    result: dict[str, int] = {}
    async with uow:
        for tab in tabs:
            until = until_for(tab.base, now, calendar)
            result[tab.key] = await uow.console.count(bounded(tab.base, scope), now=now, approach_until=until)
    return result
