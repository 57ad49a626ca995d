"""Line 1's queue on a million tickets: how long one page takes, and why.

The queue is ``SqlTicketRepository.list``: filters, ``ORDER BY due_at, id LIMIT/OFFSET`` and a
``count(*)`` of everything that matches. Both statements are measured together, through the
unit of work, because that is what an operator's page costs; then one page through the HTTP
API, for the cost with authentication, JSON and the network.

The data are loaded with COPY (``copy_records_to_table``) with the secondary indexes dropped and
rebuilt afterwards, as ``pg_restore`` does: a million rows take under a minute, inserts would take
ten. The distributions are meant to look like a help desk two years into its life (see
:func:`ticket_rows`); their skew is what makes a query plan good or bad.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import json
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
from sqlalchemy import event

from bench.rig import (
    CLOSINGS,
    DETAILS,
    GREETINGS,
    PROBLEMS,
    Timing,
    bench_url,
    explain_prepared,
    issue_service_token,
    ms,
    recreate_database,
    running_server,
    table,
)
from procedure.ticket_numbers import format_number
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.regions import load_regions
from ticketing.domain.sla import due_at
from ticketing.domain.tickets import Status
from ticketing.services.unit_of_work import TicketFilter

# The largest regions by participants first; the others follow the list of art. 65.
# Shares then fall as 1/rank (Zipf): Москва ~20 %, the 89th region ~0.2 %.
LARGEST = (
    "Москва", "Московская область", "Краснодарский край", "Санкт-Петербург", "Свердловская область",
    "Республика Башкортостан", "Республика Татарстан", "Ростовская область", "Челябинская область",
    "Республика Дагестан", "Нижегородская область", "Самарская область", "Новосибирская область",
)  # fmt: skip
SMALLEST = ("Чукотский автономный округ", "Ненецкий автономный округ")
BIG_REGION, SMALL_REGION = LARGEST[0], SMALLEST[-1]
NO_REGION_SHARE = 0.03  # letters that named none
RECENT = timedelta(days=14)  # tickets still being worked on are mostly this young
WATCHER_HORIZON = timedelta(days=5)  # longer than any "end of the next working day"

CHANNELS = (("chat", 70), ("project_email", 25), ("union_email", 5))
KINDS = (("info_request", 80), ("complaint", 8), ("statement", 7), ("proposal", 5))
ROLES = (("participant", 45), ("parent", 30), ("mentor", 15), ("venue", 5), ("other", 5))
# (status, weight) for tickets younger than RECENT, and older ones (a few forgotten open ones).
RECENT_STATUSES = (
    ("new", 35), ("in_progress", 25), ("waiting_line2", 10), ("waiting_line3", 5),
    ("answered", 20), ("closed", 3), ("left_without_answer", 2),
)  # fmt: skip
OLD_STATUSES = (
    ("closed", 66), ("answered", 25), ("left_without_answer", 3), ("new", 3), ("in_progress", 2),
    ("waiting_line2", 0.7), ("waiting_line3", 0.3),
)  # fmt: skip
LEAVE_REASONS = ("no_question", "repeat", "abusive", "foreign_language", "misdirected")

DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "school.edu.ru")

COLUMNS = (
    "id", "number", "channel", "kind", "question_type", "region", "role", "login", "email", "subject",
    "description", "transcript", "conversation_id", "instructions_tried", "status", "line", "created_at",
    "due_at", "updated_at", "idempotency_key", "assignee", "owner", "resolution_reason", "questions",
    "first_answered_at", "resolved_at", "likely_repeats", "version", "approaching_notified_at",
    "breached_notified_at",
)  # fmt: skip
OPEN = frozenset({"new", "in_progress", "waiting_line2", "waiting_line3"})


def _picker(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Callable[[], Any]:
    """A weighted draw with the cumulative weights computed once (``random.choices`` redoes them per call)."""
    values = [value for value, _ in weighted]
    cumulative = list(itertools.accumulate(weight for _, weight in weighted))
    total, rand = cumulative[-1], rng.random
    return lambda: values[bisect.bisect(cumulative, rand() * total)]


def region_weights() -> list[tuple[str, float]]:
    """All 89 subjects with Zipf weights, largest first."""
    names = [r.name for r in load_regions()]
    middle = [n for n in names if n not in LARGEST and n not in SMALLEST]
    order = [*LARGEST, *middle, *SMALLEST]
    assert sorted(order) == sorted(names), "LARGEST/SMALLEST must be official names"
    return [(name, 1 / rank) for rank, name in enumerate(order, start=1)]


def ticket_rows(n: int, *, now: datetime, seed: int = 20261127) -> Iterator[tuple[Any, ...]]:
    """``n`` rows in :data:`COLUMNS` order, oldest first, ids 1..n.

    - created_at: evenly over the two years before ``now`` (ids grow with it, as in production);
    - due_at: the real SLA (``ticketing.domain.sla.due_at``) on the real production calendar,
      so deadlines fall at the end of working days and many tickets share one — the tie that
      ``ORDER BY due_at, id`` has to break;
    - status: tickets younger than two weeks are mostly open, older ones mostly closed or
      answered, with a few per cent forgotten open ones (the long tail a queue must still show);
      open tickets near or past their deadline are already flagged by the deadline watcher;
    - line: open tickets on line 1 unless waiting for line 2/3; closed ones 80/15/5 % by line;
    - region: 89 subjects with Zipf skew, 3 % with none; channels chat/project mail/union mail
      70/25/5 %; descriptions of 60–250 characters from templates; chat tickets carry a
      transcript of five lines.
    """
    rng = random.Random(seed)
    rand = rng.random
    calendar = WorkCalendar()
    region = _picker(rng, [*region_weights(), (None, NO_REGION_SHARE * sum(1 / r for r in range(1, 90)))])
    channel, kind, role = _picker(rng, CHANNELS), _picker(rng, KINDS), _picker(rng, ROLES)
    recent_status, old_status = _picker(rng, RECENT_STATUSES), _picker(rng, OLD_STATUSES)
    closed_line = _picker(rng, ((1, 80), (2, 15), (3, 5)))
    texts = [" ".join(p for p in parts if p) for parts in itertools.product(GREETINGS, PROBLEMS, DETAILS, CLOSINGS)]
    transcripts: dict[tuple[str | None, str], str] = {}
    span = timedelta(days=730)
    start = now - span
    deadlines: dict[tuple[str, int], datetime] = {}
    for i in range(1, n + 1):
        created = start + span * ((i - 1 + rand()) / n)
        ch = channel()
        day_key = (ch, int((created.timestamp() + 3 * 3600) // 86400))
        if day_key not in deadlines:  # the deadline depends on the Moscow (UTC+3) date only
            deadlines[day_key] = due_at(ch, created, calendar)
        status = recent_status() if now - created < RECENT else old_status()
        if status == "waiting_line2" or status == "waiting_line3":
            line = int(status[-1])
        elif status == "new" or status == "in_progress":
            line = 1 if rand() < 0.9 else 2
        else:
            line = closed_line()
        where = region()
        text = rng.choice(texts)
        answered = created + timedelta(hours=1 + 59 * rand()) if status in ("answered", "closed") else None
        resolved = (answered or created + timedelta(hours=2)) if status in ("closed", "left_without_answer") else None
        who = f"operator-{int(rand() * 40)}" if status != "new" else None
        transcript = "[]"
        if ch == "chat":
            transcript = transcripts.get((where, text), "")
            if not transcript:
                transcript = transcripts[(where, text)] = json.dumps(
                    [
                        {"sender": "user", "text": "Здравствуйте", "timestamp": None},
                        {"sender": "bot", "text": "Из какого вы региона?", "timestamp": None},
                        {"sender": "user", "text": where or "не скажу", "timestamp": None},
                        {"sender": "bot", "text": "Коротко опишите, что случилось.", "timestamp": None},
                        {"sender": "user", "text": text, "timestamp": None},
                    ],
                    ensure_ascii=False,
                )
        # The deadline watcher has flagged every open ticket due before its horizon (at most the
        # end of the next working day), as it would have on a live system; otherwise the server
        # under test would spend its first minutes catching up.
        due = deadlines[day_key]
        flagged = status in OPEN and due < now + WATCHER_HORIZON
        answer = f'"{answered.isoformat()}", "answer_channel": "chat"' if answered else 'null, "answer_channel": null'
        yield (
            i, format_number(i), ch, kind(), "technical" if rand() < 0.4 else "informational", where, role(),
            f"login{i}" if rand() < 0.4 else None, f"user{int(rand() * n / 2)}@{DOMAINS[i % len(DOMAINS)]}",
            text[:120], text, transcript, f"conv-{i}" if ch == "chat" else None, "[]", status, line, created,
            due, resolved or answered or created, None, who, who if line == 1 else None,
            rng.choice(LEAVE_REASONS) if status == "left_without_answer" else None,
            f'[{{"id": 1, "text": {json.dumps(text, ensure_ascii=False)}, "answered_at": {answer}}}]',
            answered, resolved, "[]", int(rand() * 4), min(due - timedelta(days=1), now) if flagged else None,
            due if flagged and due < now else None,
        )  # fmt: skip


async def load_tickets(n: int, *, now: datetime, chunk: int = 5_000) -> dict[str, float]:
    """COPY ``n`` tickets into the (empty) bench database; returns the seconds of each step."""
    conn = await asyncpg.connect(bench_url())
    steps: dict[str, float] = {}
    try:
        t = time.perf_counter()
        # Secondary indexes are rebuilt after the load (constraints stay: they are the keys).
        indexes = await conn.fetch(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = 'tickets' AND NOT EXISTS
                 (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"""
        )
        for row in indexes:
            await conn.execute(f'DROP INDEX "{row["indexname"]}"')

        # Streamed as generated: PostgreSQL parses one chunk on the other core while Python makes the next.
        async def rows() -> AsyncIterator[tuple[Any, ...]]:
            for i, row_ in enumerate(ticket_rows(n, now=now), start=1):
                yield row_
                if i % chunk == 0:
                    await asyncio.sleep(0)

        await conn.copy_records_to_table("tickets", records=rows(), columns=COLUMNS)
        steps["COPY"] = time.perf_counter() - t
        t = time.perf_counter()
        await conn.execute("SET maintenance_work_mem = '256MB'")
        for row in indexes:
            await conn.execute(row["indexdef"])
        await conn.execute("SELECT setval(pg_get_serial_sequence('tickets', 'id'), $1)", n)
        steps["индексы"] = time.perf_counter() - t
        t = time.perf_counter()
        # What autovacuum would have done on a live table: statistics, the visibility map for index-only scans.
        await conn.execute("VACUUM (ANALYZE) tickets")
        steps["VACUUM ANALYZE"] = time.perf_counter() - t
    finally:
        await conn.close()
    return steps


# --- measuring ------------------------------------------------------------------------------

CASES: tuple[tuple[str, TicketFilter], ...] = (
    (f"line=1, status=new, region={BIG_REGION}", TicketFilter(line=1, status=Status.NEW, region=BIG_REGION)),
    (f"line=1, status=new, region={SMALL_REGION}", TicketFilter(line=1, status=Status.NEW, region=SMALL_REGION)),
    ("status=new", TicketFilter(status=Status.NEW)),
    (f"status=new, region={BIG_REGION}", TicketFilter(status=Status.NEW, region=BIG_REGION)),
    (f"status=new, region={SMALL_REGION}", TicketFilter(status=Status.NEW, region=SMALL_REGION)),
    ("line=1", TicketFilter(line=1)),
    (f"region={BIG_REGION}", TicketFilter(region=BIG_REGION)),
    (f"region={SMALL_REGION}", TicketFilter(region=SMALL_REGION)),
)
OFFSETS = (0, 1000)
PAGE = 50  # the API's default limit


async def measure_repository(rounds: int) -> tuple[dict[tuple[str, int], Timing], dict[tuple[str, int], int]]:
    """Time ``SqlTicketRepository.list`` (page + count) per case and offset.

    Cases are interleaved round by round, so that a noisy neighbour hurts all of them alike;
    the first round is a warm-up (it fills shared buffers and the statement cache).
    """
    engine = make_engine(bench_url("postgresql+asyncpg"))
    samples: dict[tuple[str, int], list[float]] = {}
    totals: dict[tuple[str, int], int] = {}
    try:
        for round_ in range(rounds + 1):
            for name, flt in CASES:
                for offset in OFFSETS:
                    t = time.perf_counter()
                    async with SqlAlchemyUnitOfWork(engine) as uow:
                        _, total = await uow.tickets.list(flt, limit=PAGE, offset=offset)
                    if round_:
                        samples.setdefault((name, offset), []).append((time.perf_counter() - t) * 1000)
                    totals[(name, offset)] = total
    finally:
        await engine.dispose()
    return {key: Timing(tuple(v)) for key, v in samples.items()}, totals


async def explain(flt: TicketFilter, offset: int, modes: tuple[str, ...]) -> list[tuple[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the very statements the repository sends, as PostgreSQL runs them.

    The statements are captured from SQLAlchemy's cursor events rather than rewritten by hand,
    then explained as prepared statements (see :func:`bench.explain_prepared`).
    """
    engine = make_engine(bench_url("postgresql+asyncpg"))
    sent: list[tuple[str, Any]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    try:
        async with SqlAlchemyUnitOfWork(engine) as uow:
            await uow.tickets.list(flt, limit=PAGE, offset=offset)
    finally:
        await engine.dispose()
    return await explain_prepared(sent, modes)


COUNT_CAP = 10_000


async def measure_capped_count(rounds: int) -> list[tuple[str, Timing, Timing]]:
    """The count alone, exact and capped at :data:`COUNT_CAP` + 1 rows (a proposal, not the code).

    ``count(*)`` over 800 000 matching rows cannot be fast however it is indexed; a page
    that says «больше 10 000» needs to look at 10 001 rows at most. Both run as prepared
    statements, like the repository's.
    """
    conn = await asyncpg.connect(bench_url())
    out = []
    try:
        for name, where, arg in (("line=1", "line = $1", 1), (f"region={BIG_REGION}", "region = $1", BIG_REGION)):
            exact = await conn.prepare(f"SELECT count(*) FROM tickets WHERE {where}")
            capped = await conn.prepare(
                f"SELECT count(*) FROM (SELECT 1 FROM tickets WHERE {where} LIMIT {COUNT_CAP + 1}) AS matching"
            )
            samples: tuple[list[float], list[float]] = ([], [])
            for round_ in range(rounds + 5):  # five to reach the generic plan
                for statement, into in ((exact, samples[0]), (capped, samples[1])):
                    t = time.perf_counter()
                    await statement.fetchval(arg)
                    if round_ >= 5:
                        into.append((time.perf_counter() - t) * 1000)
            out.append((name, Timing(tuple(samples[0])), Timing(tuple(samples[1]))))
    finally:
        await conn.close()
    return out


def measure_http(requests: int) -> dict[str, Timing]:
    """One page of ``GET /api/v1/tickets`` through the real server (one worker), one request at a time."""
    url = bench_url("postgresql")
    token = issue_service_token(url)
    queue = {"line": 1, "status": "new", "region": BIG_REGION}
    queries: dict[str, dict[str, Any]] = {
        f"line=1&status=new&region={BIG_REGION}": queue,
        "… offset=1000": {**queue, "offset": 1000},
        "line=1&status=new&region=Татарстан (разрешение региона)": {**queue, "region": "Татарстан"},
    }
    samples: dict[str, list[float]] = {name: [] for name in queries}
    with running_server(url, workers=1) as server, httpx.Client(base_url=server.base) as client:
        headers = {"Authorization": f"Bearer {token}"}
        for round_ in range(requests + 3):
            for name, params in queries.items():
                t = time.perf_counter()
                resp = client.get("/api/v1/tickets?" + urlencode(params), headers=headers)
                elapsed = (time.perf_counter() - t) * 1000
                resp.raise_for_status()
                if round_ >= 3:
                    samples[name].append(elapsed)
    return {name: Timing(tuple(v)) for name, v in samples.items()}


def report(n: int, load_steps: dict[str, float], rounds: int, http_requests: int) -> str:
    """Measure and describe; assumes the tickets are loaded."""
    timings, totals = asyncio.run(measure_repository(rounds))
    rows = []
    for name, _ in CASES:
        first, deep = timings[(name, 0)], timings[(name, 1000)]
        rows.append(
            [f"`{name}`", f"{totals[(name, 0)]:,}".replace(",", " "), ms(first.median), ms(first.p95),
             ms(deep.median), ms(deep.p95), ms(max(first.max, deep.max))]
        )  # fmt: skip
    steps = ", ".join(f"{k} {v:.0f} с" for k, v in load_steps.items())
    out = [
        f"Данные: {n:_} обращений (загрузка: {steps}).".replace("_", " "),
        "",
        f"`SqlTicketRepository.list` через `SqlAlchemyUnitOfWork` (страница {PAGE} + `count(*)`), "
        f"замеров каждого случая: {rounds}, вперемешку; мс:",
        "",
        table(
            ["фильтр", "всего", "стр. 1: медиана", "стр. 1: p95", "offset 1000: медиана", "offset 1000: p95", "макс."],
            rows,
        ),
        "",
    ]
    http = measure_http(http_requests)
    out += [
        f"Одна страница через HTTP API (`python -m ticketing serve`, 1 процесс, httpx, запросов подряд: "
        f"{http_requests}), мс:",
        "",
        table(["запрос", "медиана", "p95"], [[f"`{k}`", ms(v.median), ms(v.p95)] for k, v in http.items()]),
        "",
    ]
    capped = asyncio.run(measure_capped_count(rounds))
    out += [
        f"Только `count(*)`: точный и с потолком {COUNT_CAP + 1} строк (предложение; подготовленные запросы), мс:",
        "",
        table(
            ["фильтр", "точный: медиана", "точный: p95", "с потолком: медиана", "с потолком: p95"],
            [[f"`{n}`", ms(e.median), ms(e.p95), ms(c.median), ms(c.p95)] for n, e, c in capped],
        ),
        "",
    ]
    # The queue of the HTTP example, both plans; and the count that stays slow, as prepared statements get it.
    plans = [(CASES[0], 0, False, ("generic", "custom")), (CASES[0], 1000, False, ("generic", "custom"))]
    for (name, flt), offset, count_only, modes in [*plans, (CASES[5], 0, True, ("generic",))]:
        out += [f"План `{name}`, offset {offset}{' (только счёт)' if count_only else ''}:", ""]
        for statement, plan in asyncio.run(explain(flt, offset, modes)):
            if count_only and "count(" not in statement:
                continue
            out += ["```sql", statement, "```", "```", plan, "```", ""]
    return "\n".join(out)


def prepare(n: int) -> dict[str, float]:
    """Recreate ``bvb_bench`` at the schema's head and load ``n`` tickets into it."""
    t = time.perf_counter()
    recreate_database()
    steps = {"схема": time.perf_counter() - t}
    steps.update(asyncio.run(load_tickets(n, now=datetime.now(UTC))))
    return steps
