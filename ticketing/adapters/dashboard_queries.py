"""Control of speed and quality (§5.3): counts, medians, shares answered in time, days, tickets at risk.

PostgreSQL computes medians itself (``percentile_cont``); SQLite, used on laptops with small
data, hands over the durations and Python takes the middle one.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Date, and_, case, cast, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.console_queries import ANSWERED, OPEN, status_in
from ticketing.adapters.orm import ticket_events, tickets
from ticketing.domain.tickets import Status
from ticketing.services.console_ports import Dashboard, DayCount, QueueRow, Share
from ticketing.services.unit_of_work import Summary

T = TypeVar("T")
AT_RISK_LIMIT = 50
MOSCOW_OFFSET = "+3 hours"  # Moscow has kept UTC+3 all year since 2014; SQLite has no time zones


def _scope(
    since: datetime, until: datetime, regions: tuple[str, ...] | None, region: str | None
) -> list[ColumnElement[bool]]:
    where = [tickets.c.created_at >= since, tickets.c.created_at < until]
    if regions is not None:
        where.append(tickets.c.region.in_(regions))
    if region is not None:
        where.append(tickets.c.region == region)
    return where


async def _medians(
    conn: AsyncConnection, where: list[ColumnElement[bool]]
) -> tuple[timedelta | None, timedelta | None]:
    """Median time to the first answer and to resolution (answered or closed), in one pass on PostgreSQL."""
    created, first, resolved = tickets.c.created_at, tickets.c.first_answered_at, tickets.c.resolved_at
    answered = status_in(ANSWERED)
    if conn.dialect.name == "postgresql":
        to_first = func.percentile_cont(0.5).within_group(func.extract("epoch", first - created))
        to_resolution = func.percentile_cont(0.5).within_group(func.extract("epoch", resolved - created))
        row = (
            await conn.execute(
                select(
                    to_first.filter(first.is_not(None)),
                    to_resolution.filter(and_(answered, resolved.is_not(None))),
                ).where(*where)
            )
        ).one()
        return _seconds(row[0]), _seconds(row[1])
    julian: Any = lambda end: (func.julianday(end) - func.julianday(created)) * 86400.0  # noqa: E731
    firsts = [float(v) for (v,) in await conn.execute(select(julian(first)).where(*where, first.is_not(None)))]
    resolutions = [
        float(v) for (v,) in await conn.execute(select(julian(resolved)).where(*where, answered, resolved.is_not(None)))
    ]
    return (
        _seconds(statistics.median(firsts)) if firsts else None,
        _seconds(statistics.median(resolutions)) if resolutions else None,
    )


def _seconds(value: Any) -> timedelta | None:
    """Whole seconds: SQLite's julianday is a float and would show 1:59:59.99 for two hours."""
    return timedelta(seconds=round(float(value))) if value is not None else None


def _moscow_day(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return cast(func.timezone("Europe/Moscow", column), Date)
    return func.date(column, MOSCOW_OFFSET)


async def _per_day(conn: AsyncConnection, where: list[ColumnElement[bool]], column: Any) -> dict[str, int]:
    """How many of the period's tickets were created (or resolved) on each Moscow day."""
    day = _moscow_day(column, conn.dialect.name)
    rows = await conn.execute(select(day, func.count()).where(*where, column.is_not(None)).group_by(day))
    return {str(d): int(n) for d, n in rows}


def _days(created: dict[str, int], resolved: dict[str, int]) -> list[DayCount]:
    return [DayCount(day=d, created=created.get(d, 0), resolved=resolved.get(d, 0)) for d in sorted(created | resolved)]


async def _breakdown(
    conn: AsyncConnection, where: list[ColumnElement[bool]], now: datetime
) -> tuple[Summary, dict[str, Share]]:
    """Every count of ``Summary`` and the shares by region from one pass over the period's tickets.

    ``Reports.summary`` asks nine questions of the table; on 100,000 tickets that alone took
    most of the 300 ms a page may have, so the console groups once by everything and adds up here.
    """
    answered = status_in(ANSWERED)
    in_time = func.sum(case((and_(answered, tickets.c.resolved_at <= tickets.c.due_at), 1), else_=0))
    late = func.sum(case((and_(answered, tickets.c.resolved_at > tickets.c.due_at), 1), else_=0))
    breached = func.sum(case((and_(status_in(OPEN), tickets.c.due_at < now), 1), else_=0))
    keys = [tickets.c[name] for name in ("status", "line", "channel", "region", "question_type", "resolution_reason")]
    rows = await conn.execute(select(*keys, func.count(), in_time, late, breached).where(*where).group_by(*keys))
    total = ok_total = late_total = breached_total = 0
    by: dict[str, Counter[str]] = {name: Counter() for name in ("status", "line", "channel", "region", "qtype", "left")}
    regions: dict[str, list[int]] = {}
    for status, line, channel, region, qtype, reason, n, ok, lt, br in rows:
        n, ok, lt, br = int(n), int(ok or 0), int(lt or 0), int(br or 0)
        total, ok_total, late_total, breached_total = total + n, ok_total + ok, late_total + lt, breached_total + br
        by["status"][status] += n
        if status in OPEN:
            by["line"][str(line)] += n
        by["channel"][channel] += n
        by["region"][region or "—"] += n
        by["qtype"][qtype or "—"] += n
        if status == Status.LEFT_WITHOUT_ANSWER.value:
            by["left"][reason or "—"] += n
        if ok or lt:
            share = regions.setdefault(region or "—", [0, 0])
            share[0] += ok
            share[1] += ok + lt
    summary = Summary(
        total=total,
        by_status=dict(by["status"].most_common()),
        by_line=dict(sorted(by["line"].items())),
        by_channel=dict(by["channel"].most_common()),
        by_region=dict(by["region"].most_common()),
        by_question_type=dict(by["qtype"].most_common()),
        left_without_answer=dict(by["left"].most_common()),
        open_breached=breached_total,
        answered_in_time=ok_total,
        answered_late=late_total,
    )
    shares = {region: Share(in_time=ok, total=n) for region, (ok, n) in regions.items()}
    return summary, dict(sorted(shares.items(), key=lambda kv: (kv[1].share or 0, kv[0])))


async def _returns_in_time(conn: AsyncConnection, where: list[ColumnElement[bool]]) -> dict[int, Share]:
    """Lines 2 and 3 return their part in time: line 2 before the requester's deadline, line 3 within 24 h (§5.5).

    Counted from the ``returned`` events written by line-2 and line-3 staff (an admin returning
    for them is not their speed); a partial index holds just those events, with their line and time.
    """
    line = ticket_events.c.line
    target = case((line == 3, tickets.c.line3_due_at), else_=tickets.c.due_at)
    returned_ok = func.sum(case((ticket_events.c.at <= target, 1), else_=0))
    rows = await conn.execute(
        select(line, returned_ok, func.count())
        .select_from(ticket_events.join(tickets, tickets.c.id == ticket_events.c.ticket_id))
        .where(*where, ticket_events.c.type == literal_column("'returned'"), line.in_([2, 3]))
        .group_by(line)
    )
    shares = {2: Share(0, 0), 3: Share(0, 0)}
    for number, in_time, n in rows:
        shares[int(number)] = Share(in_time=int(in_time or 0), total=int(n))
    return shares


async def _at_risk(conn: AsyncConnection, where: list[ColumnElement[bool]], approach_until: datetime) -> list[QueueRow]:
    """Open tickets overdue or with less than a working day left, soonest first (any creation date)."""
    columns = [tickets.c[name] for name in QueueRow.__dataclass_fields__]
    rows = await conn.execute(
        select(*columns)
        .where(*where, status_in(OPEN), tickets.c.due_at < approach_until)
        .order_by(tickets.c.due_at)
        .limit(AT_RISK_LIMIT)
    )
    return [QueueRow(**r._mapping) for r in rows]


async def dashboard(
    conn: AsyncConnection,
    *,
    now: datetime,
    approach_until: datetime,
    since: datetime,
    until: datetime,
    regions: tuple[str, ...] | None,
    region: str | None,
) -> Dashboard:
    """The page's six read-only questions, asked at once on connections of their own.

    Each is a pass over the period; one after another they took twice the 300 ms a page may
    have on a long period, side by side the slowest of them decides.
    """
    where = _scope(since, until, regions, region)
    boundary = _scope(datetime.min.replace(tzinfo=now.tzinfo), until, regions, region)[2:]

    async def own(question: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        async with conn.engine.connect() as other:
            return await question(other)

    (summary, by_region), (to_first, to_resolution), returns, created, resolved, at_risk = await asyncio.gather(
        own(lambda c: _breakdown(c, where, now)),
        own(lambda c: _medians(c, where)),
        own(lambda c: _returns_in_time(c, where)),
        own(lambda c: _per_day(c, where, tickets.c.created_at)),
        own(lambda c: _per_day(c, where, tickets.c.resolved_at)),
        _at_risk(conn, boundary, approach_until),
    )
    first_line = Share(in_time=summary.answered_in_time, total=summary.answered_in_time + summary.answered_late)
    return Dashboard(
        summary=summary,
        median_first_answer=to_first,
        median_resolution=to_resolution,
        in_time_by_line={1: first_line, **returns},
        in_time_by_region=by_region,
        days=_days(created, resolved),
        at_risk=at_risk,
    )
