"""Registering tickets through the API, side by side with a bare INSERT of the same row.

What a ``POST /api/v1/tickets`` costs is the whole path the action server takes: token lookup,
validation, region resolution, the idempotency-key lookup, the rate limit (Redis, as in
production), screening, the deadline, the §4.9 repeat search, the INSERT with its history in
one transaction. The bare INSERT (asyncpg, one row, autocommit) is what PostgreSQL alone can
do with the same row on the same table; the ratio of the two says how much the service adds.

The load comes from a separate process, so the server's workers and the generator compete for
the two cores as they would with a bot on the same host. The generator is a minimal HTTP/1.1
client over keep-alive connections on asyncio; ``httpx`` is the alternative (``--client httpx``)
but costs several times more CPU per request, which on two cores is taken from the server (the
report prints the generator's own CPU time per request, so the choice can be checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import statistics
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from bench.rig import (
    CLOSINGS,
    DETAILS,
    GREETINGS,
    PROBLEMS,
    Timing,
    backend_pids,
    bench_url,
    cpu_by_pid,
    cpu_since,
    group_pids,
    issue_service_token,
    ms,
    running_server,
    table,
    wait_until_idle,
)

CONTENT_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *(\d+)")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
# How people answer «Из какого вы региона?»: official names and what the resolver must read.
REGION_ANSWERS = (
    "Москва", "Республика Татарстан", "Татарстан", "Питер", "я из Казани", "Свердловская обл.",
    "Краснодарский край", "16 регион", "Башкирия", "Нижний Новгород", "Подмосковье", "Екатеринбург",
    "Ханты-Мансийский АО", "Ростов-на-Дону", "Кузбасс", "Чувашия", "Пермский край", "Воронеж",
)  # fmt: skip
ROLES = ("participant", "parent", "mentor", "venue", "other")
MORE = (
    "Номер школы 1534, класс 8«Б».", "Пробовали с телефона и с компьютера.", "Учитель сказал написать сюда.",
    "Скриншот могу прислать на почту.", "Заранее спасибо за ответ!",
)  # fmt: skip


@dataclass(frozen=True)
class Run:
    """One measured stretch of load: how many succeeded, how fast, at what CPU cost to the generator."""

    done: int
    seconds: float
    latencies_ms: tuple[float, ...]
    statuses: dict[int, int]
    client_cpu_us: float  # generator CPU per request
    server_cpu_ms: float = 0.0  # the server's processes, per request (0 for a bare INSERT)
    db_cpu_ms: float = 0.0  # PostgreSQL backends, per request

    @property
    def rate(self) -> float:
        return self.done / self.seconds


def ticket_body(rng: random.Random, n: int) -> dict[str, Any]:
    """A chat request as the action server sends it: the §5.6.1 data, 50–300 characters, a transcript."""
    target = rng.randint(50, 300)
    parts = [rng.choice(GREETINGS), rng.choice(PROBLEMS), rng.choice(DETAILS)]
    while len(" ".join(parts)) < target:
        parts.append(rng.choice((*MORE, *CLOSINGS)))
    description = " ".join(p for p in parts if p)[:300].strip()
    region = rng.choice(REGION_ANSWERS)
    transcript = [
        {"sender": "user", "text": "Здравствуйте", "timestamp": None},
        {"sender": "bot", "text": "Из какого вы региона?", "timestamp": None},
        {"sender": "user", "text": region, "timestamp": None},
        {"sender": "bot", "text": "Коротко опишите, что случилось.", "timestamp": None},
        {"sender": "user", "text": description, "timestamp": None},
    ][: rng.randint(3, 5)]
    return {
        "channel": "chat", "kind": "info_request", "question_type": rng.choice(("informational", "technical")),
        "region": region, "role": rng.choice(ROLES), "description": description, "transcript": transcript,
        "email": f"bench-{os.getpid()}-{n}@example.ru",  # one requester each: no 429 from the rate limit
        "conversation_id": f"bench-{uuid.uuid4().hex}",
    }  # fmt: skip


# --- the load generator (runs in its own process) -------------------------------------------


async def _raw_post(base: str, token: str, concurrency: int, seconds: float) -> Run:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (
        f"POST /api/v1/tickets HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\n"
    )
    latencies, statuses, counter, rng = list[float](), Counter[int](), itertools.count(), random.Random()

    async def connection(stop_at: float) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop_at:
                body = json.dumps(ticket_body(rng, next(counter)), ensure_ascii=False).encode()
                request = f"{head}Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Length: {len(body)}\r\n\r\n"
                started = time.perf_counter()
                writer.write(request.encode() + body)
                header = await reader.readuntil(b"\r\n\r\n")
                length = CONTENT_LENGTH.search(header)
                await reader.readexactly(int(length.group(1)) if length else 0)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[int(header[9:12])] += 1
        finally:
            writer.close()

    return await _timed(lambda stop_at: connection(stop_at), concurrency, seconds, latencies, statuses)


async def _httpx_post(base: str, token: str, concurrency: int, seconds: float) -> Run:
    import httpx

    latencies, statuses, counter, rng = list[float](), Counter[int](), itertools.count(), random.Random()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def connection(stop_at: float) -> None:
            while time.perf_counter() < stop_at:
                body = ticket_body(rng, next(counter))
                headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
                started = time.perf_counter()
                resp = await client.post("/api/v1/tickets", json=body, headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[resp.status_code] += 1

        return await _timed(connection, concurrency, seconds, latencies, statuses)


async def _bare_insert(dsn: str, concurrency: int, seconds: float) -> Run:
    """Single-row INSERTs of a request's row, autocommit, one connection per concurrent writer."""
    latencies, counter, rng = list[float](), itertools.count(), random.Random()
    sql = """INSERT INTO tickets (channel, kind, question_type, region, role, email, subject, description,
             transcript, conversation_id, instructions_tried, status, line, created_at, due_at, updated_at,
             idempotency_key, questions, likely_repeats)
             VALUES ('chat', 'info_request', $1, $2, $3, $4, $5, $6, $7, $8, '[]', 'new', 1, $9, $10, $9,
                     $11, $12, '[]')"""
    conns = [await asyncpg.connect(dsn) for _ in range(concurrency)]
    backends = [conn.get_server_pid() for conn in conns]
    db_cpu = cpu_by_pid(backends)

    async def writer(conn: asyncpg.Connection, stop_at: float) -> None:
        while time.perf_counter() < stop_at:
            body = ticket_body(rng, next(counter))
            now = datetime.now(UTC)
            args = (
                body["question_type"], "Москва", body["role"], body["email"], body["description"][:120],
                body["description"], json.dumps(body["transcript"], ensure_ascii=False), body["conversation_id"],
                now, now + timedelta(days=3), uuid.uuid4().hex,
                json.dumps([{"id": 1, "text": body["description"]}], ensure_ascii=False),
            )  # fmt: skip
            started = time.perf_counter()
            await conn.execute(sql, *args)
            latencies.append((time.perf_counter() - started) * 1000)

    try:
        it = iter(conns)
        run = await _timed(lambda stop_at: writer(next(it), stop_at), concurrency, seconds, latencies, Counter())
        return replace(run, db_cpu_ms=cpu_since(db_cpu, cpu_by_pid(backends)) / max(run.done, 1) * 1000)
    finally:
        for conn in conns:
            await conn.close()


async def _timed(
    connection: Any, concurrency: int, seconds: float, latencies: list[float], statuses: Counter[int]
) -> Run:
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(connection(started + seconds) for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    done = statuses.get(201, 0) if statuses else len(latencies)
    return Run(done, elapsed, tuple(latencies), dict(statuses), cpu / max(len(latencies), 1) * 1e6)


def load(kind: str, target: str, token: str, concurrency: int, seconds: float) -> Run:
    """Entry point of the generator process: ``kind`` is ``raw``, ``httpx`` or ``insert``."""
    with contextlib.suppress(ImportError):
        __import__("uvloop").install()
    if kind == "insert":
        return asyncio.run(_bare_insert(target, concurrency, seconds))
    post = _httpx_post if kind == "httpx" else _raw_post
    return asyncio.run(post(target, token, concurrency, seconds))


# --- where a request's CPU goes: the real server, one request at a time ----------------------

# (module, class, method, label). Methods that are missing (the code moves on) are skipped.
BREAKDOWN_TARGETS = (
    ("ticketing.adapters.uow", "SqlAlchemyUnitOfWork", "__aenter__", "БД: соединение из пула, pre-ping, BEGIN"),
    ("ticketing.adapters.uow", "SqlAlchemyUnitOfWork", "__aexit__", "БД: ROLLBACK, соединение в пул"),
    ("ticketing.adapters.uow", "SqlAlchemyUnitOfWork", "commit", "БД: COMMIT"),
    ("ticketing.adapters.repository", "SqlTokenRepository", "get_by_hash", "БД: токен"),
    ("ticketing.adapters.repository", "SqlTicketRepository", "get_by_idempotency_keys", "БД: поиск по Idempotency-Key"),
    ("ticketing.adapters.repository", "SqlTicketRepository", "earlier_resolved", "БД: прежние обращения (§4.9)"),
    ("ticketing.adapters.repository", "SqlTicketRepository", "add_many", "БД: номера, INSERT, история"),
    ("procedure.screening", "ScreeningEngine", "screen", "проверка текста (screening)"),
    ("ticketing.domain.regions", "RegionResolver", "resolve", "регион"),
    ("ticketing.adapters.rate_limit", "RedisRateLimiter", "allow_many", "ограничение частоты (Redis)"),
    ("ticketing.adapters.event_bus", "RedisEventBus", "publish_many", "оповещение экранов (Redis)"),
    ("ticketing.http.schemas", "TicketIn", "parse", "проверка полей (pydantic)"),
    ("ticketing.http.schemas", "TicketOut", "from_domain", "ответ: TicketOut"),
)  # fmt: skip


def install_breakdown(app: Any) -> None:
    """Time the methods of :data:`BREAKDOWN_TARGETS` in CPU seconds; ``GET /_bench/breakdown`` reads and resets.

    Only for the bench's own launcher (``BENCH_BREAKDOWN=1 python -m bench serve``) and one
    request at a time: ``process_time`` around an ``await`` would count other requests' work too.
    """
    import importlib

    from sanic.response import json as json_response

    spent: defaultdict[str, float] = defaultdict(float)

    def timed(orig: Any, label: str) -> Any:
        if asyncio.iscoroutinefunction(orig):

            async def run_async(*args: Any, **kwargs: Any) -> Any:
                started = time.process_time()
                try:
                    return await orig(*args, **kwargs)
                finally:
                    spent[label] += time.process_time() - started

            return run_async

        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return orig(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - started

        return run

    for module, cls_name, method, label in BREAKDOWN_TARGETS:
        cls = getattr(importlib.import_module(module), cls_name, None)
        orig = cls.__dict__.get(method) if cls is not None else None
        if isinstance(orig, classmethod):
            setattr(cls, method, classmethod(timed(orig.__func__, label)))
        elif orig is not None:
            setattr(cls, method, timed(orig, label))

    async def read(_: Any) -> Any:
        data = dict(spent)
        spent.clear()
        return json_response(data)

    app.add_route(read, "/_bench/breakdown", methods=["GET"])


def breakdown(seconds: float) -> str:
    """A Markdown table of the server's CPU per ``POST /api/v1/tickets``, by step, one request at a time."""
    import httpx

    db = bench_url("postgresql")
    token = issue_service_token(db)
    os.environ["BENCH_BREAKDOWN"] = "1"
    try:
        with running_server(db, workers=1, redis_url=REDIS_URL, launcher="bench") as server:
            wait_until_idle(server.pgid)
            load("raw", server.base, token, 1, 2)  # warm-up
            httpx.get(server.base + "/_bench/breakdown").raise_for_status()
            before = cpu_by_pid(group_pids(server.pgid))
            run = load("raw", server.base, token, 1, seconds)
            total = cpu_since(before, cpu_by_pid(group_pids(server.pgid)))
            spent: dict[str, float] = httpx.get(server.base + "/_bench/breakdown").json()
    finally:
        del os.environ["BENCH_BREAKDOWN"]
    spent["остальное: Sanic, HTTP, JSON, обработчик, asyncio"] = total - sum(spent.values())
    per = 1000 / max(run.done, 1)
    rows = [[k, f"{v * per:.2f}", f"{v / total:.0%}"] for k, v in sorted(spent.items(), key=lambda kv: -kv[1])]
    rows.append([f"**всего (обращений подряд: {run.done})**", f"**{total * per:.2f}**", "100%"])
    return table(["шаг", "CPU сервера, мс на обращение", "доля"], rows)


# --- the report -----------------------------------------------------------------------------

CORES = os.cpu_count() or 1
HEADERS = (
    "что", "в секунду (медиана)", "по замерам", "доля от INSERT", "задержка: медиана, мс", "p95, мс",
    "CPU сервера, мс/шт.", "CPU PostgreSQL, мс/шт.", "CPU генератора, мкс/шт.", "потолок", "ответы не 201",
)  # fmt: skip


def ceiling(runs: list[Run]) -> float:
    """Requests per second the machine's cores could take if nothing else ran: cores / CPU per request.

    Server, PostgreSQL and load generator all count, since on this machine they share the cores.
    """
    cpu_ms = statistics.median(run.server_cpu_ms + run.db_cpu_ms + run.client_cpu_us / 1000 for run in runs)
    return CORES * 1000 / cpu_ms if cpu_ms else float("nan")


def _forget_rate_limits() -> None:
    """The bench's requesters' counters would otherwise stay in Redis for an hour."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="bvb:rate:tickets:bench-*@example.ru:*", count=1000):
        client.unlink(key)
    client.close()


def report(
    seconds: float, repeats: int, concurrencies: tuple[int, ...], workers: tuple[int, ...], client: str = "raw"
) -> str:
    """Rounds of bare INSERT and API at each worker count and concurrency, interleaved; medians and ratios."""
    db = bench_url("postgresql")
    token = issue_service_token(db)
    runs: dict[str, list[Run]] = {}
    bare_of: dict[str, str] = {}  # row → the INSERT row at the same concurrency
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool, contextlib.ExitStack() as stack:
        servers = []
        commands = []
        for w in workers:
            server = stack.enter_context(running_server(db, workers=w, redis_url=REDIS_URL))
            servers.append((w, server))
            commands.append(f"`{server.command}`")
        for _, server in servers:  # the rounds count the dashboard's days at start: not a request's cost
            wait_until_idle(server.pgid)
        targets: dict[str, tuple[str, str, int, int]] = {}
        for c in concurrencies:
            bare = f"INSERT (asyncpg), {c} соединений"
            targets[bare] = ("insert", db, 0, c)
            bare_of[bare] = bare
            for w, server in servers:
                name = f"API, TICKETING_WORKERS={w}, {c} одновременно"
                targets[name] = (client, server.base, server.pgid, c)
                bare_of[name] = bare
        for kind, target, _, c in targets.values():  # warm-up: pools, statement caches, first requests
            pool.submit(load, kind, target, token, c, 1.5).result()
        names = list(targets)
        for r in range(repeats):
            for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate the order each round
                kind, target, pgid, c = targets[name]
                before = cpu_by_pid(group_pids(pgid)), cpu_by_pid(backend_pids())
                run = pool.submit(load, kind, target, token, c, seconds).result()
                if pgid:  # the server's processes, and the backends of bvb_bench (the other server is idle)
                    per = 1000 / max(run.done, 1)
                    server_ms = cpu_since(before[0], cpu_by_pid(group_pids(pgid))) * per
                    run = replace(
                        run, server_cpu_ms=server_ms, db_cpu_ms=cpu_since(before[1], cpu_by_pid(backend_pids())) * per
                    )
                runs.setdefault(name, []).append(run)
    detail = breakdown(seconds)
    _forget_rate_limits()
    rates = {name: statistics.median(run.rate for run in rs) for name, rs in runs.items()}
    rows = []
    for name, rs in runs.items():
        timing = Timing(tuple(lat for run in rs for lat in run.latencies_ms))
        bad = sum((Counter({c: k for c, k in run.statuses.items() if c != 201}) for run in rs), Counter[int]())
        rows.append(
            [name, f"{rates[name]:,.0f}".replace(",", " "), " / ".join(f"{run.rate:.0f}" for run in rs),
             f"{rates[name] / rates[bare_of[name]]:.3f}", ms(timing.median), ms(timing.p95),
             ms(statistics.median(run.server_cpu_ms for run in rs)), ms(statistics.median(run.db_cpu_ms for run in rs)),
             f"{statistics.median(run.client_cpu_us for run in rs):.0f}", f"{ceiling(rs):,.0f}".replace(",", " "),
             ", ".join(f"{code}: {n}" for code, n in sorted(bad.items())) or "—"]
        )  # fmt: skip
    return "\n".join(
        [
            f"Одновременных запросов: {', '.join(map(str, concurrencies))} (у INSERT — столько же соединений, "
            "доля — от INSERT с той же нагрузкой); замеров каждого вида: "
            f"{repeats} по {seconds:g} с, вперемешку; генератор нагрузки — отдельный процесс "
            f"({'httpx' if client == 'httpx' else 'asyncio, HTTP/1.1 keep-alive'}); сервер с REDIS_URL "
            "(ограничение частоты в Redis, как в эксплуатации). Серверы: " + ", ".join(commands) + ".",
            "",
            table([*HEADERS[:-2], f"потолок на {CORES} ядрах, шт./с", HEADERS[-1]], rows),
            "",
            "Куда уходит CPU сервера на одно обращение: настоящий сервер (1 процесс, запуск через "
            "`python -m bench serve` с `BENCH_BREAKDOWN=1`), запросы по одному, методы обёрнуты "
            "замером `time.process_time`; «БД: …» — сторона Python (SQLAlchemy, asyncpg), не PostgreSQL:",
            "",
            detail,
        ]
    )
