"""``make chaos``: the production topology under steady load while its parts are killed (issue 13, «Faults»).

The topology is deploy/run-prod's (two Rasa replicas on a PostgreSQL tracker store and the Redis lock
store behind HAProxy with deploy/haproxy.cfg, two action servers, two ticketing processes, the mail
worker), but on a PRIVATE PostgreSQL (initdb into a temporary folder, its own port), a PRIVATE Redis, a
private Dovecot and an SMTP capture (tests/integration/mail_servers.py) and free ports: the machine's
PostgreSQL and Redis are never touched.

Load, all the time: ``--pupils`` simulated pupils filling the bot's appeal form (region, role, login,
e-mail, question type, description, confirm), each description carrying a unique marker; a letter with
a unique marker appended to the IMAP inbox every ``--letter-every`` seconds; a staff answer posted
through the API to a ticket made from a letter every ``--reply-every`` seconds. A pupil whose message
fails (a fault) sends the same message again, as a person would.

Faults, in turn, each followed by ``--phase`` seconds of load: kill -9 and restart one Rasa replica,
one action server, one ticketing process, the mail worker, Redis, PostgreSQL. Counted per phase (by
when the conversation or letter started): conversations, told «зарегистрировано» with a number,
tickets found by marker, lost (told but absent), doubled (two tickets for one marker); letters sent
vs tickets; staff answers accepted vs letters the SMTP capture got (lost/doubled); the recovery time
(from the kill until the restarted part answers its health check and a request through it succeeds).

Run: ``.venv/bin/python -m bench.chaos`` (``--quick`` for a short try); prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import partial
from pathlib import Path

import asyncpg
import httpx

from bench.bot_load import MODEL, QUIET, RASA, RASA_PY, ROOT, VENV_PY, free_port, last_line
from bench.conversations import PROBLEMS, REGIONS
from tests.integration.mail_servers import PASSWORD, SMTP_PASSWORD, SMTP_USER, SmtpCapture, private_dovecot

NUMBER = re.compile(r"БВБ-\d+")
PROJECT = "bilet@worldskills.ru"


# --- private PostgreSQL and Redis ---------------------------------------------------------------


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"нет {name} PostgreSQL: поставьте пакет postgresql")
    return str(found[-1])


def as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Proc:
    name: str
    cmd: list[str]
    env: dict[str, str]
    health: str  # URL answering 200, or "" when a custom probe is used
    logs: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        out = (self.logs / f"{self.name}.log").open("ab")
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def pg_ready(port: int, sockdir: Path) -> bool:
    return subprocess.run([pg_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0


def redis_ready(port: int) -> bool:
    return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0


def wait(probe: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if probe():
            return time.monotonic() - started
        time.sleep(0.25)
    raise SystemExit(f"{what} не поднялся за {timeout:.0f} с")


# --- the load ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    phase: str
    conversations: int = 0
    told: list[tuple[str, str]] = field(default_factory=list)  # (marker, number said)
    unfinished: int = 0
    letters: list[str] = field(default_factory=list)  # markers
    answers: list[str] = field(default_factory=list)  # reply markers accepted by the API
    errors: int = 0


@dataclass
class Load:
    balancer: str
    admin: str
    dovecot: object
    user: str
    tallies: list[Tally]
    stop: bool = False
    letter_tickets: list[str] = field(default_factory=list)  # numbers of tickets made from letters

    @property
    def now(self) -> Tally:
        return self.tallies[-1]

    async def pupil(self, client: httpx.AsyncClient, n: int) -> None:
        rng = secrets.SystemRandom()
        while not self.stop:
            tally = self.now
            tally.conversations += 1
            tag = secrets.token_hex(5)
            marker = f"chaos-{tag}"
            form = [
                "хочу оставить обращение", rng.choice(REGIONS), "ученик", f"pupil_{tag}",
                f"pupil.{tag}@example.ru", "/choose_technical", f"{rng.choice(PROBLEMS)} ({marker})", "да",
            ]  # fmt: skip
            sender = f"chaos-{n}-{tag}"
            number = None
            for text in form:
                for _attempt in range(60):  # a person sends the same message again after a failure
                    if self.stop and _attempt:
                        break
                    try:
                        r = await client.post(
                            f"{self.balancer}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                        )
                        r.raise_for_status()
                        said = " ".join(m.get("text") or "" for m in r.json())
                        break
                    except (httpx.HTTPError, ValueError):
                        tally.errors += 1
                        await asyncio.sleep(1)
                else:
                    said = ""
                found = NUMBER.search(said)
                if "зарегистрировано" in said.lower() and found:
                    number = found.group(0)
            if number:
                tally.told.append((marker, number))
            else:
                tally.unfinished += 1

    async def letters(self, every: float) -> None:
        while not self.stop:
            marker = f"letter-{secrets.token_hex(5)}"
            msg = EmailMessage()
            msg["From"] = f"Анна Петрова <parent.{marker}@example.ru>"
            msg["To"] = PROJECT
            msg["Subject"] = "Не открывается тест"
            msg["Date"] = format_datetime(datetime.now(UTC))
            msg["Message-ID"] = make_msgid(domain="example.ru")
            msg.set_content(
                f"Здравствуйте! У сына не открывается тест диагностики. Метка {marker}.\n\nС уважением,\nПетрова Анна"
            )
            try:
                await asyncio.to_thread(self.dovecot.append, self.user, msg.as_bytes())  # type: ignore[attr-defined]
                self.now.letters.append(marker)
            except Exception:
                self.now.errors += 1
            await asyncio.sleep(every)

    async def answers(self, client: httpx.AsyncClient, conn_url: str, every: float) -> None:
        headers = {"Authorization": f"Bearer {self.admin}"}
        while not self.stop:
            await asyncio.sleep(every)
            try:
                conn = await asyncpg.connect(conn_url, timeout=3)
                try:
                    rows = await conn.fetch(
                        "SELECT number FROM tickets WHERE channel = 'project_email' AND number IS NOT NULL"
                        " AND status = 'new' ORDER BY id DESC LIMIT 5"
                    )
                finally:
                    await conn.close()
            except (OSError, asyncpg.PostgresError, asyncio.TimeoutError):
                continue
            if not rows:
                continue
            number = rows[0]["number"]
            marker = f"reply-{secrets.token_hex(5)}"
            for _attempt in range(20):
                try:
                    r = await client.post(
                        f"{self.balancer}/api/v1/tickets/{number}/answer",
                        json={"text": f"Здравствуйте! Очистите кэш браузера и войдите снова. {marker}"},
                        headers=headers,
                    )
                except httpx.HTTPError:
                    await asyncio.sleep(1)
                    continue
                if r.status_code == 200:
                    self.now.answers.append(marker)
                    break
                if r.status_code < 500:
                    break  # e.g. already answered: not a reply sent
                await asyncio.sleep(1)


def texts_of(raw: bytes) -> str:
    msg = email.message_from_bytes(raw)
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(parts)


# --- the run ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="make chaos: отказы под нагрузкой, ничего не теряется")
    parser.add_argument("--pupils", type=int, default=6)
    parser.add_argument("--phase", type=float, default=35, help="секунд нагрузки на каждый отказ")
    parser.add_argument("--letter-every", type=float, default=2)
    parser.add_argument("--reply-every", type=float, default=3)
    parser.add_argument("--quick", action="store_true", help="коротко: 3 школьника, 15 с на отказ")
    parser.add_argument("--only", nargs="*", help="только эти отказы (rasa actions ticketing mail redis postgres)")
    args = parser.parse_args()
    if args.quick:
        args.pupils, args.phase = 3, 15
    if not MODEL.exists():
        raise SystemExit("нет модели models/bot.tar.gz: make train")
    tmp = Path(tempfile.mkdtemp(prefix="bvb-chaos-"))
    tmp.chmod(0o755)
    logs = tmp / "logs"
    logs.mkdir()
    names = ("pg", "redis", "public", "rasa_api", "actions_lb", "rasa1", "rasa2", "a1", "a2", "t1", "t2")
    ports: dict[str, int] = {}
    while len(set(ports.values())) < len(names):  # free_port() can hand out one port twice
        ports = {n: free_port() for n in names}

    # private PostgreSQL
    pgdata = tmp / "pg"
    pgdata.mkdir()
    shutil.chown(pgdata, "postgres") if os.geteuid() == 0 else None
    subprocess.run(as_postgres([pg_bin("initdb"), "-D", str(pgdata), "-U", "postgres", "-A", "trust"]),
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    postgres = Proc("postgres", as_postgres([pg_bin("postgres"), "-D", str(pgdata), "-p", str(ports["pg"]),
                    "-k", str(pgdata), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on"]), dict(os.environ), "",
                    logs)  # fmt: skip
    postgres.start()
    wait(lambda: pg_ready(ports["pg"], pgdata), 30, "PostgreSQL")
    for db in ("bvb_chaos", "bvb_chaos_rasa"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(ports["pg"]), "-U", "postgres", "-qc",
                        f'CREATE DATABASE "{db}"'], check=True)  # fmt: skip
    redis = Proc("redis", ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "yes", "--appendfsync", "always", "--dir", str(tmp)],
                 dict(os.environ), "", logs)  # fmt: skip
    redis.start()
    wait(lambda: redis_ready(ports["redis"]), 10, "Redis")

    pg_url = f"postgresql://postgres@127.0.0.1:{ports['pg']}/bvb_chaos"
    with private_dovecot() as dovecot:
        smtp = SmtpCapture()
        smtp.start()
        user = dovecot.account()
        env = {
            **os.environ, **QUIET,
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{ports['pg']}/bvb_chaos",
            "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/3",
            "RASA_DB_HOST": "127.0.0.1", "RASA_DB_PORT": str(ports["pg"]), "RASA_DB_NAME": "bvb_chaos_rasa",
            "RASA_DB_USER": "postgres", "RASA_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(ports["redis"]), "RASA_LOCK_REDIS_DB": "4",
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(16),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions_lb']}/webhook",
            "PROD_BIND": "127.0.0.1", "PROD_PORT": str(ports["public"]),
            "PROD_RASA_API_PORT": str(ports["rasa_api"]), "PROD_ACTIONS_PORT": str(ports["actions_lb"]),
            "RASA1_PORT": str(ports["rasa1"]), "RASA2_PORT": str(ports["rasa2"]),
            "ACTIONS1_PORT": str(ports["a1"]), "ACTIONS2_PORT": str(ports["a2"]),
            "TICKETING1_PORT": str(ports["t1"]), "TICKETING2_PORT": str(ports["t2"]),
            "TICKETING_URL": f"http://127.0.0.1:{ports['public']}",
            "RASA_URL": f"http://127.0.0.1:{ports['rasa_api']}",
            "MAIL_IMAP_HOST": "127.0.0.1", "MAIL_IMAP_PORT": str(dovecot.port), "MAIL_IMAP_SECURITY": "none",
            "MAIL_IMAP_USER": user, "MAIL_IMAP_PASSWORD": PASSWORD, "MAIL_POLL_SECONDS": "2",
            "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": str(smtp.port), "MAIL_SMTP_SECURITY": "none",
            "MAIL_SMTP_USER": SMTP_USER, "MAIL_SMTP_PASSWORD": SMTP_PASSWORD, "MAIL_OUTBOX_SECONDS": "1",
        }  # fmt: skip
        subprocess.run([str(VENV_PY), "-m", "ticketing", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        env["TICKETING_TOKEN"] = last_line(
            [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "service", "--name", "chaos"], env
        )
        admin = last_line(
            [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "admin", "--name", "chaos"], env
        )
        env["RASA_TOKEN"] = secrets.token_urlsafe(16)

        def rasa(port: int) -> list[str]:
            return [str(RASA), "run", "--enable-api", "--auth-token", env["RASA_TOKEN"], "--interface", "127.0.0.1",
                    "--port", str(port), "--model", str(MODEL), "--endpoints", "deploy/endpoints.prod.yml",
                    "--credentials", "credentials.yml"]  # fmt: skip

        def local(port_key: str) -> str:
            return f"http://127.0.0.1:{ports[port_key]}"

        procs = {
            "lb": Proc("lb", ["haproxy", "-W", "-db", "-f", "deploy/haproxy.cfg"], env, "", logs),
            "ticketing1": Proc("ticketing1", [str(VENV_PY), "-m", "ticketing", "serve"],
                               {**env, "TICKETING_PORT": str(ports["t1"])}, local("t1") + "/healthz", logs),
            "ticketing2": Proc("ticketing2", [str(VENV_PY), "-m", "ticketing", "serve"],
                               {**env, "TICKETING_PORT": str(ports["t2"])}, local("t2") + "/healthz", logs),
            "actions1": Proc("actions1", [str(RASA_PY), "-m", "actions.server", "--port", str(ports["a1"])],
                             {**env, "ACTIONS_OUTBOX_PATH": str(tmp / "a1.sqlite3")}, local("a1") + "/health", logs),
            "actions2": Proc("actions2", [str(RASA_PY), "-m", "actions.server", "--port", str(ports["a2"])],
                             {**env, "ACTIONS_OUTBOX_PATH": str(tmp / "a2.sqlite3")}, local("a2") + "/health", logs),
            "rasa1": Proc("rasa1", rasa(ports["rasa1"]), env, local("rasa1") + "/webhooks/rest/", logs),
            "rasa2": Proc("rasa2", rasa(ports["rasa2"]), env, local("rasa2") + "/webhooks/rest/", logs),
            "mail": Proc("mail", [str(VENV_PY), "-m", "ticketing", "mail-worker", "--stay"], env, "", logs),
        }  # fmt: skip
        print(f"Папка прогона: {tmp}; поднимаю (Rasa ~1–2 мин)…", flush=True)
        for p in procs.values():
            p.start()
        for p in procs.values():
            if p.health:
                wait(partial(healthy, p.health), 400, p.name)
        wait(lambda: healthy(local("public") + "/webhooks/rest/"), 60, "HAProxy")

        balancer = local("public")
        probes: dict[str, Callable[[], bool]] = {
            "rasa2": lambda: healthy(procs["rasa2"].health),
            "actions2": lambda: healthy(procs["actions2"].health),
            "ticketing2": lambda: healthy(procs["ticketing2"].health),
            "mail": lambda: procs["mail"].proc is not None and procs["mail"].proc.poll() is None,
            "redis": lambda: redis_ready(ports["redis"]) and healthy(balancer + "/healthz"),
            "postgres": lambda: pg_ready(ports["pg"], pgdata) and healthy(balancer + "/healthz"),
        }
        targets = {"rasa": "rasa2", "actions": "actions2", "ticketing": "ticketing2", "mail": "mail",
                   "redis": "redis", "postgres": "postgres"}  # fmt: skip
        faults = [f for f in targets if not args.only or f in args.only]
        every = {**procs, "redis": redis, "postgres": postgres}
        recovery: dict[str, float] = {}
        tallies = [Tally("без отказа")]
        load = Load(balancer, admin, dovecot, user, tallies)

        async def drive() -> None:
            async with httpx.AsyncClient(timeout=70) as client:
                tasks = [asyncio.create_task(load.pupil(client, i)) for i in range(args.pupils)]
                tasks.append(asyncio.create_task(load.letters(args.letter_every)))
                tasks.append(asyncio.create_task(load.answers(client, pg_url, args.reply_every)))
                await asyncio.sleep(args.phase)
                for fault in faults:
                    tallies.append(Tally(fault))
                    name = targets[fault]
                    print(f"kill -9 {name}", flush=True)
                    killed = time.monotonic()
                    await asyncio.to_thread(every[name].kill9)
                    await asyncio.sleep(1)
                    every[name].start()
                    for _ in range(400):  # PostgreSQL refuses to start while the killed one's backends linger
                        if probes[name]():
                            break
                        proc = every[name].proc
                        if proc is not None and proc.poll() is not None:
                            every[name].start()
                        await asyncio.sleep(1)
                    recovery[fault] = time.monotonic() - killed
                    print(f"  {name} снова отвечает через {recovery[fault]:.1f} с", flush=True)
                    await asyncio.sleep(max(0.0, args.phase - recovery[fault]))
                load.stop = True
                await asyncio.gather(*tasks)
            await asyncio.sleep(20)  # the mail worker's queue and the outboxes drain

        try:
            asyncio.run(drive())
            time.sleep(10)
            report(tallies, recovery, pg_url, smtp, args, tmp)
        finally:
            for p in reversed(list(procs.values())):
                p.stop()
            smtp.stop()
            redis.stop()
            subprocess.run(as_postgres([pg_bin("pg_ctl"), "stop", "-D", str(pgdata), "-m", "fast"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            postgres.stop()


def report(tallies: list[Tally], recovery: dict[str, float], pg_url: str, smtp: SmtpCapture,
           args: argparse.Namespace, tmp: Path) -> None:  # fmt: skip
    async def rows() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(pg_url)
        try:
            return list(await conn.fetch("SELECT number, channel, description FROM tickets"))
        finally:
            await conn.close()

    tickets = asyncio.run(rows())
    found: Counter[str] = Counter()  # marker → tickets
    for row in tickets:
        for marker in re.findall(r"(?:chaos|letter)-[0-9a-f]{10}", row["description"] or ""):
            found[marker] += 1
    sent: Counter[str] = Counter()
    for captured in smtp.messages:
        for marker in set(re.findall(r"reply-[0-9a-f]{10}", texts_of(captured.content))):
            sent[marker] += 1
    print(f"\nМашина: {platform.node()}, {os.cpu_count()} ядра, {platform.platform()}; "
          f"{args.pupils} школьников, {args.phase:.0f} с на отказ; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
          f"журналы: {tmp}\n")  # fmt: skip
    print("| отказ | восстановление, с | разговоров | «зарегистрировано» | есть | потеряно | дважды | "
          "не дошли до номера | писем | обращений из писем | потеряно / дважды | ответов сотрудников | "
          "писем SMTP | потеряно / дважды | ошибок запросов |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in tallies:
        told = [m for m, _ in t.told]
        present = sum(1 for m in told if found[m] >= 1)
        lost = sum(1 for m in told if found[m] == 0)
        doubled = sum(1 for m in told if found[m] > 1)
        l_ok = sum(1 for m in t.letters if found[m] >= 1)
        l_lost = sum(1 for m in t.letters if found[m] == 0)
        l_double = sum(1 for m in t.letters if found[m] > 1)
        r_ok = sum(1 for m in t.answers if sent[m] >= 1)
        r_lost = sum(1 for m in t.answers if sent[m] == 0)
        r_double = sum(1 for m in t.answers if sent[m] > 1)
        rec = f"{recovery[t.phase]:.1f}" if t.phase in recovery else "—"
        print(f"| {t.phase} | {rec} | {t.conversations} | {len(told)} | {present} | {lost} | {doubled} | "
              f"{t.unfinished} | {len(t.letters)} | {l_ok} | {l_lost} / {l_double} | {len(t.answers)} | "
              f"{r_ok} | {r_lost} / {r_double} | {t.errors} |")  # fmt: skip


if __name__ == "__main__":
    main()
