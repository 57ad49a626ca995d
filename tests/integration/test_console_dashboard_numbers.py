"""The dashboard's numbers (§5.3) against a plain count of the same tickets, on SQLite and PostgreSQL.

The dashboard counts a period day by day and keeps the days it counted until their tickets
change (``ticketing.adapters.dashboard_days``). Here every number it shows is compared with a
straightforward pass over the table, for each scope the console asks for, before and after
tickets change through ``save()``, and with a new ticket on a day already counted.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketing.adapters.dashboard_days import cache_of
from ticketing.adapters.dashboard_queries import dashboard
from ticketing.adapters.orm import ticket_events, tickets
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.bootstrap import PureParts, build_container
from ticketing.config import Settings
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import Status, TicketEvent
from ticketing.http.console.rounds import count_dashboard_days
from ticketing.services.read_models import Dashboard, DayCount, Share

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
APPROACH_UNTIL = NOW + timedelta(hours=20)
OPEN = {"new", "in_progress", "waiting_line2", "waiting_line3"}
ANSWERED = {"answered", "closed"}
KAZAN, PERM, MOSCOW_CITY = "Республика Татарстан", "Пермский край", "Москва"


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026, Moscow time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW).astimezone(UTC)


def day_start(day: int) -> datetime:
    return datetime.combine(datetime(2026, 11, day).date(), time(), tzinfo=MOSCOW)


# number, status, line, channel, region, question type, reason, created, due, first answer, resolved
TICKETS: list[tuple[Any, ...]] = [
    (
        "T-01",
        "closed",
        1,
        "chat",
        KAZAN,
        "technical",
        None,
        moscow(10, 0, 1),
        moscow(12, 18),
        moscow(10, 2),
        moscow(10, 2),
    ),
    (
        "T-02",
        "answered",
        1,
        "chat",
        KAZAN,
        "informational",
        None,
        moscow(10, 9),
        moscow(12, 18),
        moscow(13, 9),
        moscow(13, 9),
    ),
    (
        "T-03",
        "closed",
        1,
        "project_email",
        PERM,
        "technical",
        None,
        moscow(10, 23, 59),
        moscow(13, 18),
        moscow(11, 1),
        moscow(11, 7),
    ),
    (
        "T-04",
        "left_without_answer",
        1,
        "chat",
        None,
        None,
        "foreign_language",
        moscow(11, 0, 0),
        moscow(13, 18),
        None,
        moscow(11, 1),
    ),
    (
        "T-05",
        "left_without_answer",
        1,
        "chat",
        MOSCOW_CITY,
        "informational",
        "abusive",
        moscow(11, 5),
        moscow(13, 18),
        None,
        moscow(11, 6),
    ),
    ("T-06", "new", 1, "chat", MOSCOW_CITY, "technical", None, moscow(11, 10), moscow(13, 18), None, None),
    ("T-07", "in_progress", 1, "union_email", KAZAN, "informational", None, moscow(12, 8), moscow(20, 18), None, None),
    ("T-08", "waiting_line2", 2, "chat", PERM, "informational", None, moscow(12, 9), moscow(14, 18), None, None),
    ("T-09", "waiting_line3", 3, "chat", KAZAN, "technical", None, moscow(12, 10), moscow(21, 18), None, None),
    (
        "T-10",
        "answered",
        1,
        "chat",
        PERM,
        "technical",
        None,
        moscow(13, 11),
        moscow(15, 18),
        moscow(13, 12),
        moscow(16, 9),
    ),
    (
        "T-11",
        "closed",
        1,
        "chat",
        MOSCOW_CITY,
        "technical",
        None,
        moscow(13, 12),
        moscow(15, 18),
        moscow(13, 14),
        moscow(13, 14),
    ),
    (
        "T-17",
        "closed",
        1,
        "chat",
        MOSCOW_CITY,
        "technical",
        None,
        moscow(13, 12, 30),
        moscow(15, 18),
        moscow(13, 14, 30),
        moscow(13, 14, 30),
    ),
    ("T-12", "new", 1, "project_email", None, None, None, moscow(14, 23, 58), moscow(20, 17), None, None),
    (
        "T-13",
        "closed",
        1,
        "chat",
        KAZAN,
        "technical",
        None,
        moscow(9, 12),
        moscow(11, 18),
        moscow(9, 13),
        moscow(9, 13),
    ),  # before
    (
        "T-14",
        "new",
        1,
        "chat",
        KAZAN,
        "technical",
        None,
        moscow(16, 12),
        moscow(17, 18),
        None,
        None,
    ),  # after the period
    ("T-15", "new", 1, "chat", PERM, "informational", None, moscow(5, 12), moscow(7, 18), None, None),  # overdue, old
]
# number, type, at, line
EVENTS = [
    ("T-09", "returned", moscow(12, 20), 3),  # line 3 within its 24 hours
    ("T-10", "returned", moscow(15, 20), 2),  # line 2 after the requester's deadline
    ("T-11", "returned", moscow(13, 13), 2),  # line 2 in time
    ("T-11", "returned", moscow(13, 13, 30), 1),  # an admin: not a line's speed
]


async def load(engine: AsyncEngine) -> None:
    rows = []
    handled = {(number, line) for number, kind, _, line in EVENTS if kind == "returned"}
    for number, status, line, channel, region, kind, reason, created, due, first, resolved in TICKETS:
        rows.append(
            {
                "number": number,
                "channel": channel,
                "kind": "info_request",
                "question_type": kind,
                "region": region,
                "subject": f"Обращение {number}",
                "description": "Не загружается тест",
                "transcript": [],
                "instructions_tried": [],
                "status": status,
                "line": line,
                "created_at": created,
                "due_at": due,
                "updated_at": created,
                "resolution_reason": reason,
                "first_answered_at": first,
                "resolved_at": resolved,
                "line3_due_at": created + timedelta(hours=24) if line == 3 else None,
                "handed_line2": line == 2 or (number, 2) in handled,
                "handed_line3": line == 3 or (number, 3) in handled,
            }
        )
    async with engine.begin() as conn:
        await conn.execute(insert(tickets), rows)
        ids = {number: i for i, number in await conn.execute(select(tickets.c.id, tickets.c.number))}
        await conn.execute(
            insert(ticket_events),
            [
                {"ticket_id": ids[number], "type": kind, "at": at, "actor": "staff", "line": line, "data": {}}
                for number, kind, at, line in EVENTS
            ],
        )


@dataclass
class Scope:
    since: datetime
    until: datetime
    access: AccessScope | None = None
    region: str | None = None


SCOPES = {
    "period": Scope(day_start(10), day_start(15)),
    "one region": Scope(day_start(10), day_start(15), region=KAZAN),
    "line 2 regions": Scope(day_start(10), day_start(15), AccessScope(ApiRole.LINE2, (KAZAN, PERM))),
    "line 3": Scope(day_start(1), day_start(30), AccessScope(ApiRole.LINE3)),
    "part of the period": Scope(day_start(11), day_start(13)),
    "all time": Scope(day_start(1), day_start(30)),
    "nothing": Scope(day_start(25), day_start(26)),
}


async def plain_count(engine: AsyncEngine, scope: Scope) -> dict[str, Any]:
    """What the dashboard must show, counted the obvious way from the rows."""
    async with engine.connect() as conn:
        rows = (await conn.execute(select(tickets))).all()
        events = (await conn.execute(select(ticket_events))).all()

    def seen(t: Any) -> bool:
        handed_to = {line for line, handed in ((2, t.handed_line2), (3, t.handed_line3)) if handed}
        return (scope.access is None or scope.access.can_see(region=t.region, handed_to=handed_to)) and (
            scope.region is None or t.region == scope.region
        )

    period = [t for t in rows if scope.since <= t.created_at < scope.until and seen(t)]
    answered = [t for t in period if t.status in ANSWERED and t.resolved_at is not None]
    in_time = [t for t in answered if t.resolved_at <= t.due_at]

    def seconds(values: list[timedelta]) -> timedelta | None:
        return timedelta(seconds=round(statistics.median(v.total_seconds() for v in values))) if values else None

    def day(moment: datetime) -> str:
        return moment.astimezone(MOSCOW).date().isoformat()

    created, resolved = (
        Counter(day(t.created_at) for t in period),
        Counter(day(t.resolved_at) for t in period if t.resolved_at),
    )
    shares = {}
    for region in {t.region or "—" for t in answered}:
        mine = [t for t in answered if (t.region or "—") == region]
        shares[region] = Share(in_time=sum(t.resolved_at <= t.due_at for t in mine), total=len(mine))
    by_id = {t.id: t for t in period}
    returns = {2: [0, 0], 3: [0, 0]}
    for e in events:
        t = by_id.get(e.ticket_id)
        if t is None or e.type != "returned" or e.line not in (2, 3):
            continue
        target = t.line3_due_at if e.line == 3 else t.due_at
        returns[e.line][0] += target is not None and e.at <= target
        returns[e.line][1] += 1
    at_risk = sorted(
        (t for t in rows if seen(t) and t.status in OPEN and t.due_at < APPROACH_UNTIL), key=lambda t: t.due_at
    )
    return {
        "total": len(period),
        "by_status": Counter(t.status for t in period),
        "by_line": Counter(str(t.line) for t in period if t.status in OPEN),
        "by_channel": Counter(t.channel for t in period),
        "by_region": Counter(t.region or "—" for t in period),
        "by_question_type": Counter(t.question_type or "—" for t in period),
        "left_without_answer": Counter(t.resolution_reason or "—" for t in period if t.status == "left_without_answer"),
        "open_breached": sum(t.status in OPEN and t.due_at < NOW for t in period),
        "answered_in_time": len(in_time),
        "answered_late": len(answered) - len(in_time),
        "median_first_answer": seconds([t.first_answered_at - t.created_at for t in period if t.first_answered_at]),
        "median_resolution": seconds([t.resolved_at - t.created_at for t in answered]),
        "in_time_by_line": {1: Share(len(in_time), len(answered)), 2: Share(*returns[2]), 3: Share(*returns[3])},
        "in_time_by_region": dict(sorted(shares.items(), key=lambda kv: (kv[1].share or 0, kv[0]))),
        "days": [DayCount(d, created[d], resolved[d]) for d in sorted(created | resolved)],
        "at_risk": [t.number for t in at_risk][:50],
    }


def shown(board: Dashboard) -> dict[str, Any]:
    s = board.summary
    for counts in (s.by_status, s.by_channel, s.by_region, s.by_question_type, s.left_without_answer):
        assert list(counts.values()) == sorted(counts.values(), reverse=True), counts  # largest first
    assert list(s.by_line) == sorted(s.by_line)
    return {
        "total": s.total,
        "by_status": Counter(s.by_status),
        "by_line": Counter(s.by_line),
        "by_channel": Counter(s.by_channel),
        "by_region": Counter(s.by_region),
        "by_question_type": Counter(s.by_question_type),
        "left_without_answer": Counter(s.left_without_answer),
        "open_breached": s.open_breached,
        "answered_in_time": s.answered_in_time,
        "answered_late": s.answered_late,
        "median_first_answer": board.median_first_answer,
        "median_resolution": board.median_resolution,
        "in_time_by_line": board.in_time_by_line,
        "in_time_by_region": board.in_time_by_region,
        "days": board.days,
        "at_risk": [row.number for row in board.at_risk],
    }


async def ask(engine: AsyncEngine, scope: Scope) -> Dashboard:
    async with engine.connect() as conn:
        return await dashboard(
            conn,
            now=NOW,
            approach_until=APPROACH_UNTIL,
            since=scope.since,
            until=scope.until,
            scope=scope.access,
            region=scope.region,
        )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    await load(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def assert_all_scopes(engine: AsyncEngine) -> None:
    for name, scope in SCOPES.items():
        assert shown(await ask(engine, scope)) == await plain_count(engine, scope), name


async def test_every_number_matches_a_plain_count(engine: AsyncEngine) -> None:
    await assert_all_scopes(engine)
    board = await ask(engine, SCOPES["period"])
    # The hand-made tickets, checked by hand once, so that a wrong plain count cannot hide a wrong page.
    assert board.summary.total == 13
    assert board.summary.open_breached == 2  # T-06 and T-08; T-07, T-09 and T-12 are due later
    assert (board.summary.answered_in_time, board.summary.answered_late) == (4, 2)  # T-02, T-10 late
    # 1 h, 1 h 1 min, 1 h 59 min | 2 h, 2 h, 3 d: halfway between the middle two
    assert board.median_first_answer == timedelta(hours=1, minutes=59, seconds=30)
    # 1 h 59 min, 2 h, 2 h | 7 h 1 min, 2 d 22 h, 3 d
    assert board.median_resolution == timedelta(hours=4, minutes=30, seconds=30)
    assert board.days[:2] == [DayCount("2026-11-10", 3, 1), DayCount("2026-11-11", 3, 3)]  # T-04 at midnight
    assert board.in_time_by_line == {1: Share(4, 6), 2: Share(1, 2), 3: Share(1, 1)}


async def test_changed_and_new_tickets_are_counted_again(engine: AsyncEngine) -> None:
    await assert_all_scopes(engine)
    uow = SqlAlchemyUnitOfWork(engine)
    async with uow:
        ticket = await uow.tickets.get_by_number("T-06")  # open on an old day: now answered late
        assert ticket is not None
        ticket.status = Status.ANSWERED
        ticket.first_answered_at = ticket.resolved_at = moscow(14, 9)
        await uow.tickets.save(ticket)
        moved = await uow.tickets.get_by_number("T-07")  # a region put right, and returned by line 2
        assert moved is not None
        moved.region = PERM
        moved.events.append(TicketEvent(type="returned", at=moscow(12, 9), actor="rop", line=2))
        await uow.tickets.save(moved)
        await uow.commit()
    async with engine.begin() as conn:  # a new ticket on a day already counted, as registration writes it
        await conn.execute(
            insert(tickets).values(
                number="T-16",
                channel="chat",
                kind="info_request",
                region=KAZAN,
                subject="Новое",
                description="Новое",
                transcript=[],
                instructions_tried=[],
                status="new",
                line=1,
                created_at=moscow(11, 15),
                due_at=moscow(13, 18),
                updated_at=moscow(11, 15),
            )
        )
    await assert_all_scopes(engine)


async def test_unchanged_days_are_not_counted_again(engine: AsyncEngine) -> None:
    await ask(engine, SCOPES["period"])
    assert len(cache_of(engine)) == 5  # the five days of the period
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    again = await ask(engine, SCOPES["period"])
    assert len(statements) == 3, statements  # first and last ticket, the days' fingerprints, tickets at risk
    assert shown(again) == await plain_count(engine, SCOPES["period"])


async def test_the_servers_rounds_count_the_days_before_anyone_asks(
    engine: AsyncEngine, database_url: str, parts: PureParts
) -> None:
    container = build_container(Settings(database_url=database_url), clock=lambda: NOW, parts=parts)
    try:
        await count_dashboard_days(container)
        statements: list[str] = []
        event.listen(container.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        for name in ("period", "all time"):  # whatever period an operator picks, its days are counted
            statements.clear()
            board = await ask(container.engine, SCOPES[name])
            assert len(statements) == 3, (name, statements)  # fingerprints and tickets at risk only
            assert shown(board) == await plain_count(engine, SCOPES[name])
    finally:
        await container.close()
