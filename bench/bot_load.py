"""The bot against the stock ``rasa init`` assistant, side by side: ``make bench-bot``.

Both assistants run on the same Rasa 3.6 (``.venv-rasa``) on this machine, each as one server
process, and are measured alternately in one run, so the machine's neighbours weigh on both
alike (issue 12). Our bot runs as ``make run`` starts it — ticketing, the action server and Rasa
with its SQL tracker store — on temporary files; the stock assistant as ``rasa init`` makes it
(in-memory tracker store, no action server).

Load: ``--users`` concurrent senders (50), each a closed loop without pauses: a conversation of
the realistic mix below with a fresh ``sender`` id, then the next one. The whole forms end in real
tickets. Reported per round: messages/s, p50/p95/p99 of the REST webhook's answer, the server's
resident memory at rest and its peak under load, and errors. ``--long`` runs the same senders
through 45-message conversations, to show how speed depends on the conversation's length.

Run with ``.venv/bin/python -m bench.bot_load``; ``--help`` lists the options. The figures go to
``docs/performance.md`` by hand, with the command and the machine line this prints.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from bench.conversations import MIX, conversation

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "bot.tar.gz"
STOCK_DIR = ROOT / "var" / "bench" / "stock"

QUIET = {
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
    "PYTHONWARNINGS": "ignore",
}

# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def spawn(name: str, cmd: list[str], env: dict[str, str], logs: Path, cwd: Path = ROOT) -> Server:
    log = logs / f"{name}.log"
    out = log.open("wb")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return Server(name, proc, log)


def wait_up(url: str, server: Server, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise SystemExit(f"{server.name} вышел с кодом {server.proc.returncode}:\n{server.log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{server.name} не поднялся за {timeout} с:\n{server.log.read_text()[-3000:]}")


@dataclass
class Assistant:
    name: str
    url: str
    pids: list[int]
    servers: list[Server] = field(default_factory=list)


def last_line(cmd: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


@contextmanager
def our_bot(tmp: Path, model: Path) -> Iterator[Assistant]:
    """Ticketing, the action server and Rasa, as ``make run`` starts them, on files under ``tmp``."""
    ports = {name: free_port() for name in ("ticketing", "actions", "rasa")}
    env = {
        **os.environ,
        **QUIET,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/ticketing.sqlite3",
        "TICKETING_PORT": str(ports["ticketing"]),
        "TICKETING_URL": f"http://127.0.0.1:{ports['ticketing']}",
        "ACTIONS_OUTBOX_PATH": str(tmp / "outbox.sqlite3"),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),  # endpoints.yml gives it to Rasa
    }
    env["TICKETING_TOKEN"] = last_line(
        [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "service", "--name", "bench"], env
    )
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text(encoding="utf-8")
        .replace("http://localhost:5055/webhook", f"http://127.0.0.1:{ports['actions']}/webhook")
        .replace("var/rasa-tracker.sqlite3", str(tmp / "rasa-tracker.sqlite3")),
        encoding="utf-8",
    )
    servers = [
        spawn("ticketing", [str(VENV_PY), "-m", "ticketing", "serve"], env, tmp),
        spawn("actions", [str(RASA_PY), "-m", "actions.server", "--port", str(ports["actions"])], env, tmp),
    ]
    rasa = spawn(
        "rasa",
        [
            str(RASA),
            "run",
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(ports["rasa"]),
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
        ],
        env,
        tmp,
    )
    servers.append(rasa)
    try:
        wait_up(f"{env['TICKETING_URL']}/healthz", servers[0], 60)
        wait_up(f"http://127.0.0.1:{ports['actions']}/health", servers[1], 120)
        wait_up(f"http://127.0.0.1:{ports['rasa']}/status", rasa)
        yield Assistant("наш бот", f"http://127.0.0.1:{ports['rasa']}", [rasa.proc.pid], servers)
    finally:
        for server in reversed(servers):
            server.stop()


def stock_model() -> Path:
    """The stock ``rasa init`` assistant's model, made (and its training timed) when missing."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz")) if STOCK_DIR.exists() else []
    if models:
        return models[-1]
    STOCK_DIR.mkdir(parents=True, exist_ok=True)  # rasa init wants the folder to exist
    print("Создаю стандартного ассистента: rasa init --no-prompt (обучение ~1 мин)…", flush=True)
    started = time.monotonic()
    subprocess.run(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
        cwd=STOCK_DIR.parent,
        env={**os.environ, **QUIET},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (STOCK_DIR / "train_seconds").write_text(f"{time.monotonic() - started:.0f}\n")
    return sorted((STOCK_DIR / "models").glob("*.tar.gz"))[-1]


@contextmanager
def stock_assistant(tmp: Path) -> Iterator[Assistant]:
    model = stock_model()
    port = free_port()
    rasa = spawn(
        "stock",
        [str(RASA), "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(port), "--model", str(model)],
        {**os.environ, **QUIET},
        tmp,
        cwd=STOCK_DIR,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}/status", rasa)
        yield Assistant("стандартный rasa init", f"http://127.0.0.1:{port}", [rasa.proc.pid], [rasa])
    finally:
        rasa.stop()


# --- memory ------------------------------------------------------------------------------------


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and their children, in MB."""
    total = 0
    for p in [q for pid in pids for q in (pid, *children(pid))]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out.extend(children(k))
    return out


# --- load --------------------------------------------------------------------------------------


@dataclass
class Sample:
    latency: float
    position: int  # the message's number in its conversation, from 1
    ok: bool


@dataclass
class Round:
    assistant: str
    mode: str
    seconds: float
    samples: list[Sample]
    rss_rest: float
    rss_peak: float

    @property
    def ok(self) -> list[float]:
        return sorted(s.latency for s in self.samples if s.ok)

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)

    @property
    def rate(self) -> float:
        return len(self.ok) / self.seconds

    def pct(self, q: float, latencies: list[float] | None = None) -> float:
        data = latencies if latencies is not None else self.ok
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))]

    def by_position(self, low: int, high: int) -> list[float]:
        return sorted(s.latency for s in self.samples if s.ok and low <= s.position <= high)


async def send(client: httpx.AsyncClient, url: str, sender: str, text: str) -> bool:
    try:
        reply = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
    except httpx.HTTPError:
        return False
    return reply.status_code == 200 and isinstance(reply.json(), list)


async def play(
    client: httpx.AsyncClient,
    url: str,
    texts: list[str],
    stop_at: float,
    samples: list[Sample],
    pace: float = 0.0,
    rng: random.Random | None = None,
) -> None:
    """One sender's messages in turn, each after the answer to the one before, until ``stop_at``.

    With ``pace`` the sender first reads the answer and types the next message: a pause drawn from an
    exponential distribution with that mean, in seconds (a person's pace; 0 is a sender without pauses).
    """
    sender = f"bench-{secrets.token_hex(6)}"
    for position, text in enumerate(texts, start=1):
        if pace and rng is not None:
            await asyncio.sleep(rng.expovariate(1 / pace))
        if time.monotonic() >= stop_at:
            return
        started = time.perf_counter()
        ok = await send(client, url, sender, text)
        samples.append(Sample(time.perf_counter() - started, position, ok))


async def user(
    client: httpx.AsyncClient,
    url: str,
    rng: random.Random,
    stop_at: float,
    samples: list[Sample],
    long_length: int,
    pace: float = 0.0,
) -> None:
    if long_length:  # one sender, conversation after conversation, to exactly long_length messages
        chain = itertools.chain.from_iterable(conversation(rng.choice(MIX), rng) for _ in itertools.count())
        await play(client, url, list(itertools.islice(chain, long_length)), float("inf"), samples)
        return
    while time.monotonic() < stop_at:
        await play(client, url, conversation(rng.choice(MIX), rng), stop_at, samples, pace, rng)


async def load(
    assistant: Assistant, users: int, seconds: float, seed: int, long_length: int = 0, pace: float = 0.0
) -> Round:
    samples: list[Sample] = []
    peak = 0.0
    rest = rss_mb(assistant.pids)
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.monotonic()
        stop_at = started + seconds
        tasks = [
            asyncio.create_task(
                user(client, assistant.url, random.Random(seed * 1000 + i), stop_at, samples, long_length, pace)
            )
            for i in range(users)
        ]
        while not all(t.done() for t in tasks):
            peak = max(peak, rss_mb(assistant.pids))
            await asyncio.sleep(0.5)
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    mode = "long" if long_length else "pace" if pace else "mix"
    return Round(assistant.name, mode, elapsed, samples, rest, peak)


async def warm_up(assistant: Assistant) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        rng = random.Random(0)
        for kind in MIX:
            sender = f"warm-{secrets.token_hex(4)}"
            for text in conversation(kind, rng):
                await send(client, assistant.url, sender, text)


# --- report ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    now = datetime.now(ZoneInfo("Europe/Moscow")).strftime("%Y-%m-%d %H:%M МСК")
    return (
        f"{cpu}, {os.cpu_count()} ядра, ОЗУ {mem_kb / 1024 / 1024:.1f} ГБ; Python {platform.python_version()} "
        f"(нагрузка), Rasa 3.6.21; {now}; средняя загрузка перед запуском {os.getloadavg()[0]:.2f}"
    )


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    if not values:
        return "—"
    lo, med, hi = min(values), statistics.median(values), max(values)
    return f"{fmt.format(lo)} / {fmt.format(med)} / {fmt.format(hi)}"


def report(rounds: list[Round], users: int, pace: float = 0.0) -> str:
    names = list(dict.fromkeys(r.assistant for r in rounds))
    lines = []
    for mode in ("mix", "pace", "long"):
        chosen = [r for r in rounds if r.mode == mode]
        if not chosen:
            continue
        title = {
            "mix": "смесь разговоров без пауз",
            "pace": f"смесь разговоров в темпе человека (пауза перед сообщением в среднем {pace:g} с)",
            "long": "длинные разговоры (45 сообщений)",
        }[mode]
        lines += [
            f"### {title}, {users} одновременных разговоров — min / медиана / max по раундам",
            "",
            "| | сообщений/с | p50, мс | p95, мс | p99, мс | ошибок | RSS в покое, МБ | RSS пик, МБ |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name in names:
            mine = [r for r in chosen if r.assistant == name]
            lines.append(
                f"| {name} | {spread([r.rate for r in mine])} | "
                f"{spread([r.pct(0.5) * 1000 for r in mine], '{:.0f}')} | "
                f"{spread([r.pct(0.95) * 1000 for r in mine], '{:.0f}')} | "
                f"{spread([r.pct(0.99) * 1000 for r in mine], '{:.0f}')} | {sum(r.errors for r in mine)} | "
                f"{spread([r.rss_rest for r in mine], '{:.0f}')} | {spread([r.rss_peak for r in mine], '{:.0f}')} |"
            )
        if len(names) == 2:
            ours = [r.rate for r in chosen if r.assistant == names[0]]
            peer = [r.rate for r in chosen if r.assistant == names[1]]
            ratios = [a / b for a, b in zip(ours, peer, strict=False) if b]
            lines.append(f"\nОтношение сообщений/с ({names[0]} к {names[1]}) по раундам: {spread(ratios, '{:.2f}')}")
        if mode == "long":
            lines += [
                "",
                "| | сообщения 1–10: p50, мс | 36–45: p50, мс | сообщ./с по Литтлу 1–10 → 36–45 |",
                "|---|---|---|---|",
            ]
            for name in names:
                mine = [r for r in chosen if r.assistant == name]
                early = [statistics.median(r.by_position(1, 10)) for r in mine if r.by_position(1, 10)]
                late = [statistics.median(r.by_position(36, 45)) for r in mine if r.by_position(36, 45)]
                e_mean = [statistics.fmean(r.by_position(1, 10)) for r in mine if r.by_position(1, 10)]
                l_mean = [statistics.fmean(r.by_position(36, 45)) for r in mine if r.by_position(36, 45)]
                rates = (
                    f"{users / statistics.median(e_mean):.1f} → {users / statistics.median(l_mean):.1f}"
                    if l_mean
                    else "—"
                )
                lines.append(
                    f"| {name} | {spread([x * 1000 for x in early], '{:.0f}')} | "
                    f"{spread([x * 1000 for x in late], '{:.0f}')} | {rates} |"
                )
        lines.append("")
    return "\n".join(lines)


def sizes() -> str:
    stock = stock_model()
    train = STOCK_DIR / "train_seconds"
    ours_train = ROOT / "var" / "bench" / "train_seconds"
    return (
        f"Модель: наша {MODEL.stat().st_size / 1e6:.0f} МБ, стандартная {stock.stat().st_size / 1e6:.0f} МБ. "
        f"Полное обучение: наша {ours_train.read_text().strip() if ours_train.exists() else '?'} с "
        f"(`make bench-bot-train`), стандартная {train.read_text().strip() if train.exists() else '?'} с."
    )


async def run(args: argparse.Namespace) -> None:
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "ours").mkdir()
        (tmp / "stock").mkdir()
        rounds: list[Round] = []
        with ours_at(args, tmp / "ours") as ours, stock_assistant(tmp / "stock") as stock:
            pair = [ours, stock] if not args.only_ours else [ours]
            for assistant in pair:
                await warm_up(assistant)
            modes = ["mix"] + (["pace"] if args.pace else []) + (["long"] if args.long else [])
            for mode in modes:
                for i in range(args.rounds):
                    for assistant in pair if i % 2 == 0 else pair[::-1]:
                        result = await load(
                            assistant,
                            args.users,
                            args.seconds,
                            seed=i,
                            long_length=45 if mode == "long" else 0,
                            pace=args.pace if mode == "pace" else 0.0,
                        )
                        rounds.append(result)
                        print(
                            f"  {mode} раунд {i + 1} {assistant.name}: {result.rate:.1f} сообщ./с, "
                            f"p50 {result.pct(0.5) * 1000:.0f} мс, p95 {result.pct(0.95) * 1000:.0f} мс, "
                            f"ошибок {result.errors}, RSS {result.rss_rest:.0f}→{result.rss_peak:.0f} МБ",
                            flush=True,
                        )
        print()
        print(report(rounds, args.users, args.pace))
        print(sizes())
        if not args.no_floor:
            print()
            print(floor([Path(args.model), stock_model()]))
        if args.json:
            save(Path(args.json), rounds)


def save(path: Path, rounds: list[Round]) -> None:
    samples = [{**r.__dict__, "samples": [s.__dict__ for s in r.samples]} for r in rounds]
    path.write_text(json.dumps(samples), encoding="utf-8")


@contextmanager
def ours_at(args: argparse.Namespace, tmp: Path) -> Iterator[Assistant]:
    """Our bot started here as ``make run`` would, or one already running at ``--url``."""
    if not args.url:
        with our_bot(tmp, Path(args.model)) as ours:
            yield ours
        return
    pids = [int(p) for p in args.pids.split(",")] if args.pids else []
    yield Assistant(f"наш бот ({args.url})", args.url.rstrip("/"), pids)


def floor(models: list[Path]) -> str:
    """The in-process floor of each model (bench/bot_floor.py, in .venv-rasa)."""
    out = subprocess.run(
        [str(RASA_PY), "-m", "bench.bot_floor", *map(str, models)],
        cwd=ROOT,
        env={**os.environ, **QUIET},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    lines = [
        "### Предел в процессе: разбор + предсказание действия, без HTTP (bench/bot_floor.py)",
        "",
        "| модель | сообщений/с | CPU на сообщение, мс | разбор p50, мс | предсказание p50, мс |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {Path(row['model']).name} | {row['messages_per_s']} | {row['cpu_ms_per_message']} | "
            f"{row['parse_p50_ms']} | {row['predict_p50_ms']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="одновременных разговоров (50)")
    parser.add_argument("--seconds", type=float, default=40, help="длительность раунда, с (40)")
    parser.add_argument("--rounds", type=int, default=3, help="раундов на каждого ассистента (3)")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="ещё и раунды, где перед каждым сообщением пауза в среднем PACE с (человек читает и пишет)",
    )
    parser.add_argument("--long", action="store_true", help="ещё и длинные разговоры по 45 сообщений")
    parser.add_argument("--model", default=str(MODEL), help="модель нашего бота")
    parser.add_argument("--only-ours", action="store_true", help="без стандартного ассистента (для профилирования)")
    parser.add_argument("--json", help="сохранить все замеры в файл")
    parser.add_argument("--url", help="мерить уже запущенного бота (например, make run-prod: http://127.0.0.1:8080)")
    parser.add_argument("--pids", help="с --url: PID процессов Rasa через запятую, для замера памяти")
    parser.add_argument("--no-floor", action="store_true", help="без замера предела в процессе")
    args = parser.parse_args()
    if not Path(args.model).exists():
        sys.exit(f"Нет модели {args.model}: сначала `make train`.")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
