"""Two Rasa replicas of the production topology (deploy/, docs/deploy.md) share their conversations.

The replicas run with the production endpoints (deploy/endpoints.prod.yml: SQL tracker store on the
machine's PostgreSQL, bot.lock_store.AtomicRedisLockStore on its Redis) behind the production HAProxy
configuration (deploy/haproxy.cfg), on a throw-away database and free ports. The test then does what
a load balancer and a crash would do to one pupil's conversation:

* its messages alternate between the replicas, and one replica is killed with SIGKILL half way
  through the appeal form: the form goes on where it was, asks nothing twice, and ends in exactly
  one ticket;
* two messages of one conversation sent at the same moment, one to each replica, are processed
  one after the other: the tracker holds each message followed by its own answers, never mixed.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from tests.e2e.conftest import MODEL, RASA, RASA_PY, VENV_PY, free_port, last_line, start, wait_until_up

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Replicas:
    rasa: list[str]  # the replicas' own URLs
    balancer: str  # HAProxy's public frontend
    ticketing: str
    admin_token: str
    rasa_token: str
    processes: dict[str, subprocess.Popen[bytes]]

    def kill(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()


def _database(name: str, create: bool) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            if create:
                await conn.execute(f'CREATE DATABASE "{name}"')
            else:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    if not MODEL.exists():
        pytest.fail("Нет обученной модели models/bot.tar.gz: запустите `make train` (make test делает это сам).")
    if not shutil.which("haproxy"):
        pytest.fail("Нет HAProxy: выполните `make provision` (make test делает это сам).")
    tmp = tmp_path_factory.mktemp("replicas")
    database = f"bvb_replicas_{secrets.token_hex(4)}"
    _database(database, create=True)
    names = ("ticketing", "actions", "rasa1", "rasa2", "public", "rasa_api", "actions_lb")
    ports = {name: free_port() for name in names}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/ticketing.sqlite3",
        "TICKETING_PORT": str(ports["ticketing"]),
        "ACTIONS_OUTBOX_PATH": str(tmp / "outbox.sqlite3"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        # deploy/endpoints.prod.yml and deploy/haproxy.cfg read these
        "RASA_DB_HOST": "127.0.0.1",
        "RASA_DB_PORT": "5432",
        "RASA_DB_NAME": database,
        "RASA_DB_USER": "postgres",
        "RASA_DB_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "RASA_LOCK_REDIS_DB": "14",
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(16),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions_lb']}/webhook",
        "PROD_BIND": "127.0.0.1",
        "PROD_PORT": str(ports["public"]),
        "PROD_RASA_API_PORT": str(ports["rasa_api"]),
        "PROD_ACTIONS_PORT": str(ports["actions_lb"]),
        "RASA1_PORT": str(ports["rasa1"]),
        "RASA2_PORT": str(ports["rasa2"]),
        "ACTIONS1_PORT": str(ports["actions"]),
        "ACTIONS2_PORT": str(ports["actions"]),
        "TICKETING1_PORT": str(ports["ticketing"]),
        "TICKETING2_PORT": str(ports["ticketing"]),
    }
    env["TICKETING_URL"] = f"http://127.0.0.1:{ports['public']}"
    env["TICKETING_TOKEN"] = last_line(
        [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "service", "--name", "replicas"], env
    )
    admin = last_line(
        [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "admin", "--name", "replicas"], env
    )
    rasa_token = secrets.token_urlsafe(16)

    def rasa(port: int) -> list[str]:
        return [
            str(RASA), "run", "--enable-api", "--auth-token", rasa_token, "--interface", "127.0.0.1",
            "--port", str(port), "--model", str(MODEL), "--endpoints", "deploy/endpoints.prod.yml",
            "--credentials", "credentials.yml",
        ]  # fmt: skip

    commands = {
        "lb": ["haproxy", "-W", "-db", "-f", "deploy/haproxy.cfg"],
        "ticketing": [str(VENV_PY), "-m", "ticketing", "serve"],
        "actions": [str(RASA_PY), "-m", "actions.server", "--port", str(ports["actions"])],
        "rasa1": rasa(ports["rasa1"]),
        "rasa2": rasa(ports["rasa2"]),
    }
    processes = {name: start(name, cmd, env, tmp) for name, cmd in commands.items()}
    try:
        wait_until_up(
            f"http://127.0.0.1:{ports['ticketing']}/healthz", processes["ticketing"], tmp / "ticketing.log", 30
        )
        for name in ("rasa1", "rasa2"):
            wait_until_up(f"http://127.0.0.1:{ports[name]}/webhooks/rest/", processes[name], tmp / f"{name}.log", 300)
        wait_until_up(f"http://127.0.0.1:{ports['public']}/webhooks/rest/", processes["lb"], tmp / "lb.log", 30)
        yield Replicas(
            rasa=[f"http://127.0.0.1:{ports['rasa1']}", f"http://127.0.0.1:{ports['rasa2']}"],
            balancer=f"http://127.0.0.1:{ports['public']}",
            ticketing=f"http://127.0.0.1:{ports['ticketing']}",
            admin_token=admin,
            rasa_token=rasa_token,
            processes=processes,
        )
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in processes.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        _database(database, create=False)


def say(url: str, sender: str, text: str) -> list[str]:
    reply = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    reply.raise_for_status()
    return [m.get("text") or "" for m in reply.json()]


def test_two_messages_at_once_to_both_replicas_are_processed_in_turn(replicas: Replicas) -> None:
    # Runs first (the next test kills a replica).
    alive = replicas.rasa

    async def pair(sender: str) -> None:
        async with httpx.AsyncClient(timeout=120) as client:
            await client.post(f"{alive[0]}/webhooks/rest/webhook", json={"sender": sender, "message": "привет"})
            await asyncio.gather(
                *(
                    client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
                    for url, text in zip(alive, ("сколько стоит участие", "кто такой педагог-навигатор"), strict=True)
                )
            )

    for _ in range(5):
        sender = f"together-{secrets.token_hex(4)}"
        asyncio.run(pair(sender))
        tracker = httpx.get(
            f"{alive[0]}/conversations/{sender}/tracker", params={"token": replicas.rasa_token}, timeout=30
        ).json()
        events = [e for e in tracker["events"] if e["event"] in ("user", "action", "bot")]
        users = [i for i, e in enumerate(events) if e["event"] == "user"]
        assert len(users) == 3, [e.get("text") for e in events if e["event"] == "user"]
        # each message's turn ends with action_listen before the next message starts: nothing interleaved
        for start_at, next_user in zip(users, [*users[1:], len(events)], strict=True):
            turn = events[start_at + 1 : next_user]
            assert turn and turn[-1].get("name") == "action_listen", turn
            assert sum(e.get("name") == "action_listen" for e in turn) == 1, turn
            assert any(e["event"] == "bot" for e in turn), turn


def test_a_conversation_alternating_between_replicas_survives_one_killed(replicas: Replicas) -> None:
    tag = secrets.token_hex(4)
    email = f"pupil.{tag}@example.ru"
    form = [
        "хочу оставить обращение", "Татарстан", "ученик", f"pupil_{tag}", email, "/choose_technical",
        "не загружается тест по профориентации, белый экран после второго вопроса", "да",
    ]  # fmt: skip
    sender = f"replicas-{tag}"
    answers: list[str] = []
    for i, text in enumerate(form):
        if i == 4:  # half way through the form: the second replica dies without a word
            replicas.kill("rasa2")
        url = replicas.rasa[i % 2] if i < 4 else replicas.balancer
        answers += say(url, sender, text)

    assert any("Обращение зарегистрировано" in a for a in answers[-3:]), answers
    questions = [a for a in answers if "?" in a]
    assert len(questions) == len(set(questions)), f"спросил дважды: {questions}"
    assert any("региона" in q for q in questions) and any("почту" in q for q in questions)
    tickets = httpx.get(
        f"{replicas.ticketing}/api/v1/tickets",
        params={"email": email},
        headers={"Authorization": f"Bearer {replicas.admin_token}"},
        timeout=30,
    ).json()
    items = tickets["items"] if isinstance(tickets, dict) else tickets
    assert len(items) == 1, items
    number = re.search(r"БВБ-\d+", " ".join(answers))
    assert number is not None and items[0]["number"] == number.group(0)
