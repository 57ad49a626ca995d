"""``python -m bench.console``: how fast the staff console's pages answer with 100,000 tickets.

Loads a throw-away PostgreSQL database (``bvb_bench_console``: created here, dropped at the end
unless ``--keep``) with tickets spread over four months the way a season of the project looks
(most closed, a few per cent open, some escalated, some left without an answer), starts the
real server in a subprocess, signs in as each line and times every console page over HTTP.
The target is 300 ms a page; the report prints p50, p95 and the worst of each, in Markdown.

The dashboard keeps the days it has counted (``ticketing.adapters.dashboard_days``), so its
full period is also timed while tickets change between requests: a few recent ones, as on a
working day, and one of every day, which makes it count the whole period again as after a restart.

``--baseline DIR`` starts a second server from another checkout (``git worktree add DIR REV``)
on the same database and the two answer in turns, request by request: before and after in one
run, under the same load from the neighbours on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx

ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "bvb_bench_console"
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "пароль-для-замеров-1"
TARGET_MS = 300.0
STAFF = [f"Сотрудник {i}" for i in range(1, 11)]
STATUSES = (  # status, line, share
    ("new", 1, 0.04),
    ("in_progress", 1, 0.04),
    ("waiting_line2", 2, 0.02),
    ("waiting_line3", 3, 0.02),
    ("answered", 1, 0.18),
    ("closed", 1, 0.60),
    ("left_without_answer", 1, 0.10),
)
REASONS = ("foreign_language", "abusive", "no_question", "repeat", "misdirected")


def url(driver: str = "postgresql") -> str:
    return f"{ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', driver + '://', 1)}/{DB}"


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def rows(
    n: int, now: datetime, regions: Sequence[str], seed: int = 2026
) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    """Ticket rows (in the column order of ``COLUMNS``) with their history events."""
    rng = random.Random(seed)
    weights = [s[2] for s in STATUSES]
    for i in range(1, n + 1):
        status, line, _ = rng.choices(STATUSES, weights)[0]
        created = now - timedelta(minutes=rng.randrange(0, 120 * 24 * 60))
        if status in ("new", "in_progress", "waiting_line2", "waiting_line3"):
            created = now - timedelta(minutes=rng.randrange(0, 8 * 24 * 60))
        due = (created + timedelta(days=rng.choice((3, 4, 5)))).replace(hour=20, minute=59, second=59, microsecond=0)
        channel = rng.choices(("chat", "project_email", "union_email"), (0.8, 0.17, 0.03))[0]
        if channel == "union_email":
            due = created + timedelta(days=30)
        answered = created + timedelta(minutes=rng.randrange(10, 6 * 24 * 60))
        resolved = answered if status in ("answered", "closed") else None
        if status == "left_without_answer":
            resolved = created + timedelta(minutes=rng.randrange(5, 600))
        person = rng.choice(STAFF)
        escalated = line in (2, 3) or (status in ("answered", "closed") and rng.random() < 0.15)
        events: list[list[Any]] = [[i, "created", created, "token:bot", 1, json.dumps({"channel": channel})]]
        if status != "new":
            events.append([i, "claimed", created + timedelta(minutes=3), person, 1, "{}"])
        if escalated:
            to_line = line if line in (2, 3) else rng.choice((2, 3))
            at = created + timedelta(minutes=30)
            events.append(
                [i, "transferred", at, person, 1, json.dumps({"to_line": to_line, "comment": "нужна помощь"})]
            )
            if line == 1:
                back = at + timedelta(hours=rng.randrange(1, 40))
                events.append([i, "returned", back, "Разработчик", to_line, json.dumps({"from_line": to_line})])
        if resolved is not None and status != "left_without_answer":
            events.append([i, "answered", resolved, person, 1, json.dumps({"text": "Ответ", "questions": [1]})])
        description = f"Обращение {i}: не загружается тест, белый экран после второго вопроса"
        ticket = [
            i,
            f"БВБ-{i:06d}",
            channel,
            "info_request",
            rng.choice(("technical", "informational")),
            rng.choice(regions),
            "participant",
            f"user{i}",
            f"user{i}@example.ru",
            description[:120],
            description,
            "[]",
            f"chat-{i}" if channel == "chat" else None,
            "[]",
            status,
            line,
            created,
            due,
            resolved or created,
            None,
            None if status in ("new",) or line != 1 else person,
            None if status == "new" else person,
            (created + timedelta(hours=24)) if escalated else None,
            rng.choice(REASONS) if status == "left_without_answer" else None,
            None,
            json.dumps([{"id": 1, "text": description, "answered_at": None, "answer_channel": None}]),
            answered if resolved is not None and status != "left_without_answer" else None,
            resolved,
            "[]",
            0,
        ]
        yield ticket, events


COLUMNS = [
    "id", "number", "channel", "kind", "question_type", "region", "role", "login", "email", "subject", "description",
    "transcript", "conversation_id", "instructions_tried", "status", "line", "created_at", "due_at", "updated_at",
    "idempotency_key", "assignee", "owner", "line3_due_at", "resolution_reason", "repeat_of", "questions",
    "first_answered_at", "resolved_at", "likely_repeats", "version",
]  # fmt: skip


async def load(n: int, now: datetime) -> float:
    from ticketing.domain.regions import load_regions

    regions = [r.name for r in load_regions()]
    started = time.perf_counter()
    conn = await asyncpg.connect(url())
    try:
        # COPY is binary: jsonb's binary form is a version byte and the text.
        await conn.set_type_codec(
            "jsonb",
            encoder=lambda text: b"\x01" + text.encode(),
            decoder=lambda raw: json.loads(raw[1:]),
            schema="pg_catalog",
            format="binary",
        )
        batch: list[list[Any]] = []
        events: list[list[Any]] = []
        for ticket, history in rows(n, now, regions):
            batch.append(ticket)
            events.extend(history)
            if len(batch) == 10_000:
                await _copy(conn, batch, events)
                batch, events = [], []
        await _copy(conn, batch, events)
        await conn.execute("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))")
        await conn.execute("VACUUM ANALYZE")  # what autovacuum does to a table that lives for a while
    finally:
        await conn.close()
    return time.perf_counter() - started


async def _copy(conn: asyncpg.Connection, tickets: list[list[Any]], events: list[list[Any]]) -> None:
    if tickets:
        await conn.copy_records_to_table("tickets", records=[tuple(t) for t in tickets], columns=COLUMNS)
        await conn.copy_records_to_table(
            "ticket_events",
            records=[tuple(e) for e in events],
            columns=["ticket_id", "type", "at", "actor", "line", "data"],
        )


async def staff_and_issues(now: datetime) -> None:
    from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
    from ticketing.domain.access import ApiRole
    from ticketing.domain.known_issues import IssueStatus
    from ticketing.services.known_issues import post_issue
    from ticketing.services.staff import create_user

    engine = make_engine(url("postgresql+asyncpg"))
    try:
        for login, role, regions in (
            ("line1", ApiRole.LINE1, ()),
            ("line2", ApiRole.LINE2, ("Республика Татарстан", "Пермский край")),
            ("line3", ApiRole.LINE3, ()),
            ("admin", ApiRole.ADMIN, ()),
        ):
            await create_user(
                SqlAlchemyUnitOfWork(engine),
                login=login,
                name=STAFF[0] if login == "line1" else login,
                role=role,
                password=PASSWORD,
                regions=regions,
                now=now,
            )
        for title in ("Белый экран после второго вопроса теста", "Не приходит письмо подтверждения"):
            await post_issue(
                SqlAlchemyUnitOfWork(engine),
                title=title,
                description="Исправляем.",
                keywords="",
                now=now,
                status=IssueStatus.FIXING,
                expected_on=None,
                author="line3",
            )
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sign_in(base: str, login: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    done = client.post("/console/login", data={"login": login, "password": PASSWORD, "csrf_token": token.group(1)})
    assert done.status_code == 303, done.text[:500]
    return client


# What the bench changes before each round of a page, the way operators' work would: a ticket's
# version goes up as ``save()`` raises it, and the dashboard counts the ticket's day again.
TOUCH = {
    "recent": "UPDATE tickets SET version = version + 1 WHERE id IN ("
    "SELECT id FROM tickets WHERE created_at > now() - interval '10 days' ORDER BY random() LIMIT 3)",
    "every day": "UPDATE tickets SET version = version + 1 WHERE id IN ("
    "SELECT DISTINCT ON (timezone('Europe/Moscow', created_at)::date) id FROM tickets "
    "ORDER BY timezone('Europe/Moscow', created_at)::date, id)",
}
TOUCH_RU = {"recent": "между запросами меняются 3 обращения последних 10 дней",
            "every day": "между запросами меняется по обращению каждого дня"}  # fmt: skip
FULL_PERIOD = "/console/dashboard?since=2026-07-01&until=2026-12-31"


def pages(ticket: str) -> list[tuple[str, str, str]]:
    """(who, page, what changes before each request)."""
    region = quote("Республика Татарстан")
    return [
        ("line1", "/console/queue", ""),
        ("line1", "/console/queue?tab=mine", ""),
        ("line1", "/console/queue?tab=all", ""),
        ("line1", "/console/queue?tab=all&deadline=breached", ""),
        ("line1", f"/console/queue?tab=all&region={region}&channel=chat&question_type=technical", ""),
        ("line1", "/console/queue?tab=all&deadline=approaching", ""),
        ("line1", "/console/queue?tab=all&status=closed&channel=project_email", ""),
        ("line1", "/console/queue?tab=all&page=200", ""),
        ("line1", "/console/queue?tab=all&q=user4242@example.ru", ""),
        ("line1", "/console/queue/live", ""),
        ("line1", f"/console/tickets/{quote(ticket)}", ""),
        ("line1", "/console/dashboard", ""),
        ("line1", FULL_PERIOD, ""),
        ("line1", FULL_PERIOD, "recent"),
        ("line1", FULL_PERIOD, "every day"),
        ("line1", f"{FULL_PERIOD}&region={region}", ""),
        ("line1", "/console/known-issues", ""),
        ("line2", "/console/queue", ""),
        ("line2", "/console/queue?tab=all", ""),
        ("line2", "/console/dashboard", ""),
        ("line3", "/console/queue", ""),
        ("admin", "/console/admin/users", ""),
        ("line1", "/console/queue/export.csv?tab=all&deadline=breached", ""),
        ("line1", "/console/dashboard/export.xlsx", ""),
    ]


Result = tuple[str, str, str, dict[str, list[float]], int]  # who, page, change, timings by server, size


def measure(servers: dict[str, str], rounds: int, ticket: str) -> list[Result]:
    """Each page ``rounds`` times on every server, the servers taking turns request by request.

    Taking turns puts the servers under the same load from the neighbours on the machine, so
    that their numbers compare even when the machine is busy.
    """
    clients = {
        (name, login): sign_in(base, login)
        for name, base in servers.items()
        for login in ("line1", "line2", "line3", "admin")
    }
    results: list[Result] = []
    for login, path, touch in pages(ticket):
        for name in servers:
            clients[(name, login)].get(path)  # warm-up: the first request compiles templates and fills caches
        timings: dict[str, list[float]] = {name: [] for name in servers}
        size = 0
        for _ in range(rounds):
            if touch:  # once a round: every server finds the same change since its previous request
                asyncio.run(execute(TOUCH[touch]))
            for name in servers:
                started = time.perf_counter()
                response = clients[(name, login)].get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, path, response.status_code, response.text[:300])
                size = len(response.content)
        results.append((login, path, touch, timings, size))
    return results


async def execute(sql: str) -> None:
    conn = await asyncpg.connect(url())
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(results: list[Result], n: int, load_seconds: float, rounds: int) -> str:
    servers = list(results[0][3]) if results else ["после"]
    lines = [
        f"{n:,} обращений в PostgreSQL (загрузка {load_seconds:.0f} с), ".replace(",", " ", 1)
        + f"{rounds} запросов каждой страницы через HTTP, один процесс сервера на версию кода.",
        "",
    ]
    if len(servers) > 1:
        lines.append("Серверы отвечают по очереди, запрос за запросом: " + ", ".join(f"«{s}»" for s in servers) + ".")
        lines.append("")
    head = " | ".join(f"{s}: p50, мс | {s}: p95, мс" if len(servers) > 1 else "p50, мс | p95, мс" for s in servers)
    worst_head = f"{servers[-1]}: худший, мс" if len(servers) > 1 else "худший, мс"
    lines += [
        f"| кто | страница | {head} | {worst_head} | размер, КБ |",
        "|---|---|" + "---:|" * (2 * len(servers) + 2),
    ]
    for login, path, touch, timings, size in results:
        cells = []
        for name in servers:
            p95 = percentile(timings[name], 0.95)
            flag = " ⚠" if p95 > TARGET_MS and "export" not in path else ""
            cells += [f"{statistics.median(timings[name]):.0f}", f"{p95:.0f}{flag}"]
        page = f"`{path}`" + (f" ({TOUCH_RU[touch]})" if touch else "")
        worst = max(timings[servers[-1]])
        lines.append(f"| {login} | {page} | {' | '.join(cells)} | {worst:.0f} | {size / 1024:.0f} |")
    return "\n".join(lines)


# A baseline checkout may predate this schema; it only reads, so it is let start on it.
BASELINE_SERVE = (
    "import sys; from ticketing.adapters import migrate; migrate.pending = lambda url: False; "
    "from ticketing.entrypoints.cli import main; sys.exit(main(['serve']))"
)


def start_server(code: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """``python -m ticketing serve`` of the checkout in ``code``, on the bench database and a free port."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url(), "TICKETING_PORT": str(port), "RASA_URL": "http://127.0.0.1:9"}
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "ticketing", "serve"] if code == ROOT else [sys.executable, "-c", BASELINE_SERVE]
    process = subprocess.Popen(
        command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    return f"http://127.0.0.1:{port}", process


def wait_until_up(base: str) -> None:
    for _ in range(120):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="не удалять базу bvb_bench_console")
    parser.add_argument("--reuse", action="store_true", help="не загружать заново, если база осталась")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="каталог другой версии кода (git worktree add …): её сервер отвечает по очереди с этим, на той же базе",
    )
    args = parser.parse_args(argv)
    from ticketing.adapters import migrate

    now = datetime.now(UTC)
    load_seconds = 0.0
    exists = False
    if args.reuse:
        try:
            asyncio.run(admin(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'"))
            conn_ok = subprocess.run(["psql", url(), "-tAc", "SELECT count(*) FROM tickets"], capture_output=True)
            exists = conn_ok.returncode == 0
        except (OSError, asyncpg.PostgresError):
            exists = False
    if not exists:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        asyncio.run(admin(f'CREATE DATABASE "{DB}"'))
        migrate.upgrade(url("postgresql+asyncpg"))
        print(f"Загрузка {args.tickets} обращений…", file=sys.stderr)
        load_seconds = asyncio.run(load(args.tickets, now))
        asyncio.run(staff_and_issues(now))
    servers = {"до": args.baseline.resolve(), "после": ROOT} if args.baseline else {"": ROOT}
    running = {name: start_server(code) for name, code in servers.items()}
    try:
        bases = {name: base for name, (base, _) in running.items()}
        for base in bases.values():
            wait_until_up(base)
        results = measure(bases, args.rounds, f"БВБ-{args.tickets // 2:06d}")
    finally:
        for _, process in running.values():
            os.killpg(process.pid, signal.SIGINT)
            process.wait(30)
        if not args.keep:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
    print(f"Команда: `.venv/bin/python -m bench.console {' '.join(argv or sys.argv[1:])}`\n")
    print(report(results, args.tickets, load_seconds, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
