"""Control of speed and quality (§5.3): counts, medians, shares answered in time, days, tickets at risk.

The period is counted day by day (``dashboard_days``): a visit asks for each day's fingerprint,
one short index-only probe per day, and counts again only the days whose tickets changed since
they were last counted; the others come from memory. On 100,000 tickets counting everything
took 300 ms a visit, the fingerprints take 10-30 (docs/performance.md, «Страницы консоли»).

PostgreSQL hands over each day's durations as arrays and adds the counts up along each key
itself (``GROUPING SETS``); SQLite, used on laptops with small data, hands over rows.
"""

from __future__ import annotations

import asyncio
from array import array
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from procedure.statuses import ANSWERED, OPEN
from ticketing.adapters.dashboard_days import NO_VALUE, DayPart, Fingerprint, cache_of, combine
from ticketing.adapters.orm import ticket_events, tickets
from ticketing.adapters.ticket_conditions import scope_conditions, status_in
from ticketing.domain.access import AccessScope
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import EventType, Status
from ticketing.services.read_models import Dashboard, QueueRow, Share

T = TypeVar("T")
AT_RISK_LIMIT = 50
MOSCOW_OFFSET = "+3 hours"  # Moscow has kept UTC+3 all year since 2014; SQLite has no time zones
# Counting days reads the columns that ``ix_tickets_created_report`` carries. When the days are
# most of the table, PostgreSQL's estimate makes the two paths a tie and it picks the table: 80 MB
# of wide rows (conversations, questions) instead of the 15 MB index, twice the time. Only for
# these read-only transactions, it is told to keep to the index.
_COVERING_INDEX_ONLY = text("SET LOCAL enable_seqscan = off")

Day = tuple[str, datetime, datetime]  # Moscow date, and the part of the period that falls on it
Range = tuple[datetime, datetime]
MAX_RANGES = 8  # more scattered days than that are counted again with everything between them
# The caller's boundary (``AccessScope.boundary``: line 2's regions, the line that sees only what was
# handed to it), the region picked
Scope = tuple[tuple[tuple[str, ...] | None, int | None], str | None]


def _scope(scope: AccessScope | None, region: str | None) -> list[ColumnElement[bool]]:
    where = scope_conditions(scope)
    if region is not None:
        where.append(tickets.c.region == region)
    return where


def _ranges(days: Iterable[Day]) -> list[Range]:
    """The days as ranges of creation time, neighbouring days joined.

    Each range is asked for in a statement of its own: ``created_at`` between two bounds is an
    index-only scan, while ``OR`` of several ranges makes PostgreSQL read the wide rows.
    """
    ranges: list[Range] = []
    for _, start, end in sorted(days, key=lambda day: day[1]):
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _created(within: Range) -> list[ColumnElement[bool]]:
    return [tickets.c.created_at >= within[0], tickets.c.created_at < within[1]]


def _moscow_day(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return cast(func.timezone(literal_column(f"'{MOSCOW.key}'"), column), Date)
    return func.date(column, MOSCOW_OFFSET)


def _calendar(since: datetime, until: datetime) -> list[Day]:
    """The Moscow days of ``[since, until)``; the first and the last may be parts of a day."""
    days: list[Day] = []
    day = since.astimezone(MOSCOW).date()
    while (start := max(since, datetime.combine(day, time(), tzinfo=MOSCOW))) < until:
        end = min(until, datetime.combine(day + timedelta(days=1), time(), tzinfo=MOSCOW))
        days.append((day.isoformat(), start, end))
        day += timedelta(days=1)
    return days


async def _fingerprints(
    conn: AsyncConnection, since: datetime, until: datetime, scope: list[ColumnElement[bool]]
) -> dict[Day, Fingerprint]:
    """Each day of the period that has tickets, with how many, the sum of their ids and of their versions.

    PostgreSQL answers for each day with a probe of ``ix_tickets_created_report`` (index-only:
    ``id`` and ``version`` are in it), about 10 ms for 100,000 tickets; SQLite groups the rows.
    """
    created = tickets.c.created_at
    first, last = (await conn.execute(select(func.min(created), func.max(created)).where(*scope))).one()
    if first is None:
        return {}
    # Only the days between the first and the last ticket: a period from 1900 is not 46,000 probes.
    first_day = datetime.combine(first.astimezone(MOSCOW).date(), time(), tzinfo=MOSCOW)
    after_last = datetime.combine(last.astimezone(MOSCOW).date() + timedelta(days=1), time(), tzinfo=MOSCOW)
    days = _calendar(max(since, first_day), min(until, after_last))
    if not days:
        return {}
    by_name = {name: (name, start, end) for name, start, end in days}
    totals = (func.count(), func.coalesce(func.sum(tickets.c.id), 0), func.coalesce(func.sum(tickets.c.version), 0))
    if conn.dialect.name == "postgresql":
        stamp = ARRAY(DateTime(timezone=True))
        calendar = (
            func.unnest(
                literal([name for name, _, _ in days], ARRAY(String)),
                literal([start for _, start, _ in days], stamp),
                literal([end for _, _, end in days], stamp),
            )
            .table_valued("name", "start", "finish")
            .render_derived()
        )
        per_day = (
            select(*(t.label(label) for t, label in zip(totals, ("n", "ids", "versions"), strict=True)))
            .where(created >= calendar.c.start, created < calendar.c.finish, *scope)
            .lateral("per_day")
        )
        rows = await conn.execute(
            select(calendar.c.name, per_day.c.n, per_day.c.ids, per_day.c.versions)
            .select_from(calendar)
            .join(per_day, true())
        )
    else:
        day = _moscow_day(created, conn.dialect.name)
        whole = (days[0][1], days[-1][2])
        rows = await conn.execute(select(day, *totals).where(*scope, *_created(whole)).group_by(day))
    return {by_name[str(name)]: (int(n), int(ids), int(versions)) for name, n, ids, versions in rows if n}


# GROUPING(status, line, channel, region, question_type, resolution_reason, resolved day): a bit
# is set when its key is not part of the row's grouping set; the last key is the lowest bit.
_KEYS = ("status", "line", "channel", "region", "question_type", "resolution_reason")
_STATUS, _, _CHANNEL, _REGION, _, _, _RESOLVED = (1 << i for i in reversed(range(7)))
_OPEN = frozenset(OPEN)


async def _counts(
    conn: AsyncConnection, scope: list[ColumnElement[bool]], ranges: list[Range]
) -> dict[str, dict[str, Any]]:
    """Each day's counts along every key the page breaks tickets down by, and by the day of resolution.

    PostgreSQL groups the days' tickets four ways at once (``GROUPING SETS``): about a hundred
    rows a day instead of a row for every combination of keys. SQLite has no grouping sets; it
    hands over the combinations (few, on a laptop) and they are added up here.
    """
    answered = status_in(ANSWERED)
    day = _moscow_day(tickets.c.created_at, conn.dialect.name)
    resolved_on = _moscow_day(tickets.c.resolved_at, conn.dialect.name)
    named_days = (day.label("day"), resolved_on.label("resolved_on"))
    status, line, channel, region, question_type, reason = keys = [tickets.c[name] for name in _KEYS]
    measures = (  # rows are read by these names below
        func.count().label("n"),
        func.count().filter(and_(answered, tickets.c.resolved_at <= tickets.c.due_at)).label("in_time"),
        func.count().filter(and_(answered, tickets.c.resolved_at > tickets.c.due_at)).label("late"),
    )
    if conn.dialect.name == "postgresql":
        sets = func.grouping_sets(
            tuple_(day, status, line, reason),
            tuple_(day, channel, question_type),
            tuple_(day, region),
            tuple_(day, resolved_on),
        )
        absent = func.grouping(*keys, resolved_on).label("absent")
        query = select(*named_days, *keys, absent, *measures).group_by(sets)
    else:
        query = select(*named_days, *keys, literal(0).label("absent"), *measures).group_by(day, *keys, resolved_on)
    days: dict[str, dict[str, Any]] = defaultdict(lambda: {"counts": defaultdict(int), "answered": {}, "resolved": {}})
    rows = [row for within in ranges for row in await conn.execute(query.where(*scope, *_created(within)))]
    for row in rows:
        part = days[str(row.day)]
        counts = part["counts"]
        n = row.n
        if not row.absent & _STATUS:  # with the line and the reason
            counts[("status", row.status)] += n
            if row.status in _OPEN:  # where the open work waits
                counts[("line", str(row.line))] += n
            elif row.status == Status.LEFT_WITHOUT_ANSWER.value:
                why = row.resolution_reason
                counts[("left", why if why is not None else NO_VALUE)] += n
        if not row.absent & _CHANNEL:  # with the type of question
            counts[("channel", row.channel)] += n
            counts[("question_type", row.question_type if row.question_type is not None else NO_VALUE)] += n
        if not row.absent & _REGION:
            place = row.region if row.region is not None else NO_VALUE
            counts[("region", place)] += n
            if row.in_time or row.late:
                was = part["answered"].get(place, (0, 0))
                part["answered"][place] = (was[0] + row.in_time, was[1] + row.late)
        if not row.absent & _RESOLVED and row.resolved_on is not None:
            resolved = str(row.resolved_on)
            part["resolved"][resolved] = part["resolved"].get(resolved, 0) + n
    return days


async def _durations(
    conn: AsyncConnection, scope: list[ColumnElement[bool]], ranges: list[Range]
) -> dict[str, dict[str, Any]]:
    """Each day's times to the first answer and to resolution and its open tickets' deadlines, sorted.

    Sorted here: the lists are short, and PostgreSQL would have to sort the whole period by day to
    hand them over in order.
    """
    created, first, resolved = tickets.c.created_at, tickets.c.first_answered_at, tickets.c.resolved_at
    answered, is_open = status_in(ANSWERED), status_in(OPEN)
    day = _moscow_day(created, conn.dialect.name)
    days: dict[str, dict[str, Any]] = defaultdict(lambda: {"to_first_answer": [], "to_resolution": [], "open_due": []})
    if conn.dialect.name == "postgresql":
        query = select(
            day,
            func.array_agg(func.date_part("epoch", first - created)).filter(first.is_not(None)),
            func.array_agg(func.date_part("epoch", resolved - created)).filter(and_(answered, resolved.is_not(None))),
            func.array_agg(tickets.c.due_at).filter(is_open),
        ).group_by(day)
        rows = [row for within in ranges for row in await conn.execute(query.where(*scope, *_created(within)))]
        for name, firsts, resolutions, due in rows:
            days[str(name)] = {
                "to_first_answer": firsts or [],
                "to_resolution": resolutions or [],
                "open_due": due or [],
            }
    else:
        julian: Any = lambda end: (func.julianday(end) - func.julianday(created)) * 86400.0  # noqa: E731
        for key, value, only in (
            ("to_first_answer", julian(first), first.is_not(None)),
            ("to_resolution", julian(resolved), and_(answered, resolved.is_not(None))),
            ("open_due", tickets.c.due_at, is_open),
        ):
            for within in ranges:
                for name, v in await conn.execute(select(day, value).where(*scope, *_created(within), only)):
                    days[str(name)][key].append(v)
    for lists in days.values():
        lists["to_first_answer"] = array("d", sorted(lists["to_first_answer"]))  # 8 bytes a value, not 32
        lists["to_resolution"] = array("d", sorted(lists["to_resolution"]))
        lists["open_due"].sort()
    return days


async def _returns(
    conn: AsyncConnection, scope: list[ColumnElement[bool]], ranges: list[Range]
) -> dict[str, dict[int, tuple[int, int]]]:
    """Lines 2 and 3 return their part in time: line 2 before the requester's deadline, line 3 within 24 h (§5.5).

    Counted from the ``returned`` events written by line-2 and line-3 staff (an admin returning
    for them is not their speed); a partial index holds just those events, with their line and time.
    """
    line = ticket_events.c.line
    target = case((line == 3, tickets.c.line3_due_at), else_=tickets.c.due_at)
    returned_ok = func.sum(case((ticket_events.c.at <= target, 1), else_=0))
    day = _moscow_day(tickets.c.created_at, conn.dialect.name)
    query = (
        select(day, line, returned_ok, func.count())
        .select_from(ticket_events.join(tickets, tickets.c.id == ticket_events.c.ticket_id))
        .where(ticket_events.c.type == literal_column(f"'{EventType.RETURNED.value}'"), line.in_([2, 3]))
        .group_by(day, line)
    )
    days: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    rows = [row for within in ranges for row in await conn.execute(query.where(*scope, *_created(within)))]
    for name, number, in_time, n in rows:
        days[str(name)][int(number)] = (int(in_time or 0), int(n))
    return days


async def _count_days(
    conn: AsyncConnection,
    stale: dict[Day, Fingerprint],
    prints: dict[Day, Fingerprint],
    scope: list[ColumnElement[bool]],
) -> dict[Day, DayPart]:
    """Count the ``stale`` days again, three questions at once on connections of their own."""
    if not stale:
        return {}
    ranges = _ranges(stale)
    if len(ranges) > MAX_RANGES:
        ranges = [(ranges[0][0], ranges[-1][1])]
        stale = {day: fingerprint for day, fingerprint in prints.items() if ranges[0][0] <= day[1] < ranges[0][1]}

    async def own(question: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        async with conn.engine.connect() as other:
            if other.dialect.name == "postgresql":
                await other.execute(_COVERING_INDEX_ONLY)
            return await question(other)

    counts, durations, returns = await asyncio.gather(
        own(lambda c: _counts(c, scope, ranges)),
        own(lambda c: _durations(c, scope, ranges)),
        own(lambda c: _returns(c, scope, ranges)),
    )
    parts = {}
    for day, fingerprint in stale.items():
        name = day[0]
        counted = counts.get(name, {"counts": {}, "answered": {}, "resolved": {}})
        parts[day] = DayPart(
            fingerprint=fingerprint,
            created=sum(n for (dimension, _), n in counted["counts"].items() if dimension == "status"),
            counts=dict(counted["counts"]),
            answered=counted["answered"],
            resolved=counted["resolved"],
            returns=returns.get(name, {}),
            **durations.get(name, {}),
        )
    return parts


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
    scope: AccessScope | None,
    region: str | None,
) -> Dashboard:
    """The period's numbers from its days, counting again only the days whose tickets changed."""
    boundary = scope.boundary if scope is not None else (None, None)
    key: Scope = (boundary, region)  # a line-2 person's days are not another's
    where = _scope(scope, region)
    cache = cache_of(conn.engine)
    prints = await _fingerprints(conn, since, until, where)
    parts: dict[Day, DayPart] = {}
    stale: dict[Day, Fingerprint] = {}
    for day, fingerprint in prints.items():
        known = cache.fresh((key, day), fingerprint)
        if known is None:
            stale[day] = fingerprint
        else:
            parts[day] = known
    counted, at_risk = await asyncio.gather(
        _count_days(conn, stale, prints, where), _at_risk(conn, where, approach_until)
    )
    for day, part in counted.items():
        cache.keep((key, day), part)
        parts[day] = part
    period = combine(((day[0], part) for day, part in sorted(parts.items(), key=lambda kv: kv[0][1])), now)
    summary = period.summary
    first_line = Share(in_time=summary.answered_in_time, total=summary.answered_in_time + summary.answered_late)
    return Dashboard(
        summary=summary,
        median_first_answer=period.median_first_answer,
        median_resolution=period.median_resolution,
        in_time_by_line={1: first_line, **period.returns},
        in_time_by_region=period.in_time_by_region,
        days=period.days,
        at_risk=at_risk,
    )
