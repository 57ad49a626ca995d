"""What the ticketing benchmarks (``python -m bench``) share.

Why a package of its own: the numbers in ``docs/performance.md`` must be reproducible by one
command, on a fresh machine, against the real code paths (the repository, the real server in a
subprocess), never against a copy of them. This module holds what both benchmarks share: the
throw-away database ``bvb_bench``, the server subprocess, the description of the machine and the
statistics. Everything runs on a dedicated database that is created and dropped here; no other
database is touched.
"""

from __future__ import annotations

import asyncio
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from ticketing.domain.sla import MOSCOW

ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "bvb_bench"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# What people write to the support desk, in pieces: the stored tickets and the bodies posted to
# the API are assembled from them (60–300 characters of plain Russian that screening lets through).
GREETINGS = ("Здравствуйте!", "Добрый день.", "Добрый вечер!", "Здравствуйте.", "")
PROBLEMS = (
    "Не могу войти в личный кабинет на платформе «Билет в будущее»,",
    "Не приходит письмо для подтверждения почты,",
    "Ребёнок не видит назначенные профпробы в кабинете,",
    "Хотим записаться на профпробу в нашем регионе,",
    "Не отображаются результаты профориентационной диагностики,",
    "Педагог-навигатор не может добавить класс,",
    "Когда откроется запись на мероприятия фестиваля «Профессии будущего»,",
    "Забыл пароль, восстановление не работает,",
    "Площадка не может подтвердить участие школьников,",
    "Не получается прикрепить согласие родителя на обработку данных,",
)
DETAILS = (
    "пишет, что пароль неверный, хотя я его восстановила вчера.",
    "уже третий день, папку «Спам» проверял.",
    "школа говорит, что всё сделала, а в кабинете пусто.",
    "в расписании нет ни одной доступной даты.",
    "после теста страница просто обновляется и ничего не сохраняется.",
    "кнопка «Добавить» неактивна, браузер пробовали менять.",
    "на сайте и в группе ВКонтакте ничего не нашли.",
    "ссылка из письма открывает ошибку 404.",
    "статус висит «на проверке» вторую неделю.",
    "файл в формате PDF, весит 2 МБ, система его не принимает.",
)
CLOSINGS = ("Что делать?", "Помогите, пожалуйста.", "Подскажите, к кому обратиться?", "Спасибо!", "")


def bench_url(driver: str = "postgresql") -> str:
    """The URL of the bench database; ``driver`` is ``postgresql`` (asyncpg) or ``postgresql+asyncpg``."""
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', driver + '://', 1)}/{BENCH_DB}"


async def fetchval(url: str, sql: str, *args: Any) -> Any:
    """One statement on a connection of its own (DROP/CREATE DATABASE cannot run in a pool's transaction)."""
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


def bench_database_exists() -> bool:
    return bool(asyncio.run(fetchval(ADMIN_URL, "SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DB)))


def recreate_database() -> str:
    """Drop and create ``bvb_bench`` and bring its schema to head; returns its SQLAlchemy URL."""
    from ticketing.adapters import migrate

    drop_database()
    asyncio.run(fetchval(ADMIN_URL, f'CREATE DATABASE "{BENCH_DB}"'))
    url = bench_url("postgresql+asyncpg")
    migrate.upgrade(url)
    return url


def drop_database() -> None:
    asyncio.run(fetchval(ADMIN_URL, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


PLAN_MODES = {"generic": "обобщённый план (generic)", "custom": "план под значения параметров (custom)"}


async def explain_prepared(
    statements: Sequence[tuple[str, Sequence[Any]]], modes: Sequence[str] = tuple(PLAN_MODES)
) -> list[tuple[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of SELECTs with ``$n`` parameters, as the application's driver runs them.

    asyncpg prepares every statement and reuses it on the connection; after five executions
    PostgreSQL may switch to a *generic* plan that ignores the parameters' values (for the queue
    it did, and that plan was the slow one), depending on the values seen so far. So each
    statement is PREPAREd and explained with the generic plan and with the custom one: a good
    index must make both fast. A generic plan shows ``$1`` in its conditions, a custom one the values.
    """
    conn = await asyncpg.connect(bench_url())
    plans = []
    try:
        for n, (statement, params) in enumerate(statements):
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            for mode in modes:
                await conn.execute(f"SET plan_cache_mode = force_{mode}_plan")
                await conn.execute(f"PREPARE bench_{n} AS {statement}")
                execute = f"EXECUTE bench_{n}({', '.join(_literal(p) for p in params)})"
                rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + execute)
                await conn.execute(f"DEALLOCATE bench_{n}")
                title = f"{statement}\n-- параметры: {list(params)}; {PLAN_MODES[mode]}"
                plans.append((title, "\n".join(r[0] for r in rows)))
    finally:
        await conn.close()
    return plans


# --- statistics -----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation, as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass(frozen=True)
class Timing:
    """Latencies of one measured case, in milliseconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def max(self) -> float:
        return max(self.samples)


def ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the machine ----------------------------------------------------------------------------


def _proc_field(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine() -> str:
    """One Markdown line: CPU model, cores, RAM (from /proc), PostgreSQL and Python versions, date."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"
    mem_kb = (_proc_field("/proc/meminfo", "MemTotal") or "0 kB").split()[0]

    pg_version = str(asyncio.run(fetchval(ADMIN_URL, "SHOW server_version"))).split()[0]
    now = datetime.now(MOSCOW).strftime("%Y-%m-%d %H:%M МСК")
    return (
        f"{cpu}, {os.cpu_count()} ядра, ОЗУ {int(mem_kb) / 1024 / 1024:.1f} ГБ; "
        f"PostgreSQL {pg_version} на той же машине; Python {platform.python_version()}; {now}; "
        f"средняя загрузка перед запуском {os.getloadavg()[0]:.2f}"
    )


# --- CPU time from /proc ------------------------------------------------------------------
# On a shared machine rates swing with the neighbours; CPU seconds per request do not, and
# they say what a request costs and where (server, PostgreSQL, load generator).


def _cpu_seconds(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_pid(pids: Sequence[int]) -> dict[int, float]:
    """User + system CPU seconds of each of these processes that still runs."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                out[pid] = _cpu_seconds(handle.read())
        except OSError:
            pass
    return out


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots; a process started in between counts in full, one gone not at all."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def wait_until_idle(pgid: int, *, share: float = 0.05, timeout: float = 180.0) -> float:
    """Wait while a just-started server works on its own (the background rounds' first dashboard count).

    Measuring during it would charge requests with the start's work. Returns the seconds waited.
    Idle means: the server's processes and PostgreSQL's backends used under ``share`` of a core
    over a second.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pids = group_pids(pgid) + backend_pids()
        before = cpu_by_pid(pids)
        time.sleep(1.0)
        if cpu_since(before, cpu_by_pid(pids)) < share:
            break
    return time.monotonic() - started


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode(errors="replace")
    except OSError:
        return ""


def group_pids(pgid: int) -> list[int]:
    """Processes of a process group: a server started in its own session with its workers."""
    stats = {int(e): _read(f"/proc/{e}/stat") for e in os.listdir("/proc") if e.isdigit()}
    return [pid for pid, stat in stats.items() if stat and stat.rsplit(")", 1)[1].split()[2] == str(pgid)]


def backend_pids(database: str = BENCH_DB) -> list[int]:
    """PostgreSQL backends serving ``database`` (same machine), by their process title."""
    titles = {int(e): _read(f"/proc/{e}/cmdline") for e in os.listdir("/proc") if e.isdigit()}
    return [pid for pid, title in titles.items() if title.startswith("postgres: ") and f" {database} " in title]


# --- the real server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def issue_service_token(database_url: str) -> str:
    """A service token, issued the way an operator does it: ``python -m ticketing token create``."""
    out = subprocess.run(
        [sys.executable, "-m", "ticketing", "token", "create", "--role", "service", "--name", "bench"],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:port
    command: str  # what was started, for the report
    pgid: int  # the server's process group: its main process and workers


CLI_SERVE = ("-m", "ticketing", "serve")
# ``python -m ticketing serve`` builds its app inside main(); with TICKETING_WORKERS > 1 Sanic's
# spawned workers look the app up by name, do not find it and the server stops at start
# ("Sanic app name 'ticketing' not found"). Until the CLI loads the app through an AppLoader,
# more than one worker is measured through :func:`serve_with_app_loader`, which does just that.
LOADER_SERVE = ("-m", "bench", "serve")


@contextmanager
def running_server(
    database_url: str, *, workers: int, redis_url: str | None = None, launcher: str = "cli"
) -> Iterator[Server]:
    """The real server in a subprocess on a free port.

    The server is the production entry point (``python -m ticketing serve``), not an in-process
    app: what is measured includes Sanic's worker processes, uvloop and the pool as configured by
    ``bootstrap``. When the CLI cannot start several workers, :data:`LOADER_SERVE` is used and
    the report says so. It is stopped with SIGINT (Sanic's graceful shutdown), killed if it lingers.
    """
    try:
        if launcher == "cli":
            with _server(CLI_SERVE, database_url, workers, redis_url) as server:
                yield server
                return
    except ServerDidNotStart:
        if workers == 1:
            raise
    with _server(LOADER_SERVE, database_url, workers, redis_url) as server:
        yield server


class ServerDidNotStart(RuntimeError):
    pass


@contextmanager
def _server(args: tuple[str, ...], database_url: str, workers: int, redis_url: str | None) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TICKETING_PORT": str(port),
        "TICKETING_HOST": "127.0.0.1",
        "TICKETING_WORKERS": str(workers),
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    log = tempfile.TemporaryFile()  # a pipe nobody reads would block a chatty server
    proc = subprocess.Popen(
        [sys.executable, *args], env=env, cwd=PROJECT_ROOT, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                err = log.read().decode(errors="replace")
                raise ServerDidNotStart(f"сервер завершился при старте (код {proc.returncode}):\n{err[-1500:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerDidNotStart("сервер не ответил на /healthz за 60 с")
            time.sleep(0.2)
        yield Server(base, f"TICKETING_WORKERS={workers} python {' '.join(args)}", proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
