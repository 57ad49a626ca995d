"""Servers for the console's browser test: the ticketing service and a fake Rasa HTTP API.

The fake Rasa records what the console appends to a conversation's tracker
(``POST /conversations/{id}/tracker/events``, Rasa 3.6), so the test can check that a staff
reply reached the chat without training and starting the real bot.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_PY = ROOT / ".venv" / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "пароль-для-e2e-1"
SCENARIOS = """version: "3.1"
responses:
  utter_faq/test_not_loading:
  - text: Очистите кэш браузера (Ctrl+Shift+Del) и откройте тест заново.
  utter_faq/certificate:
  - text: Сертификат появится в личном кабинете после прохождения всех этапов.
"""
# The scenarios' titles, as content/faq_themes.yml gives them: the reply picker lists these, not the keys.
THEMES = """themes:
  - title: Тесты и сертификаты
    questions:
      - key: test_not_loading
        title: Тест не загружается или завис
      - key: certificate
        title: Где мой сертификат?
"""


@dataclass
class FakeRasa:
    url: str
    events: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    fail: bool = False


def fake_rasa_server() -> tuple[ThreadingHTTPServer, FakeRasa]:
    state = FakeRasa(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"null")
            segments = parts.path.strip("/").split("/")
            if (
                state.fail
                or len(segments) != 4
                or segments[0] != "conversations"
                or segments[2:]
                != [
                    "tracker",
                    "events",
                ]
            ):
                self.send_response(500 if state.fail else 404)
                self.end_headers()
                return
            state.events.append((unquote(segments[1]), parse_qs(parts.query), body))
            payload = json.dumps({"sender_id": unquote(segments[1]), "events": body}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


@dataclass
class ConsoleServer:
    url: str
    service_token: str
    rasa: FakeRasa
    logs: Path


def _run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    if not CHROMIUM.exists():
        pytest.fail("Нет /usr/bin/chromium: make provision (поставит chromium и остальное, что нужно тестам).")
    tmp = tmp_path_factory.mktemp("console")
    (tmp / "project" / "data").mkdir(parents=True)
    (tmp / "project" / "domain.yml").write_text(SCENARIOS, encoding="utf-8")
    (tmp / "project" / "content").mkdir()
    (tmp / "project" / "content" / "faq_themes.yml").write_text(THEMES, encoding="utf-8")
    rasa_server, rasa = fake_rasa_server()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/ticketing.sqlite3",
        "TICKETING_PORT": str(port),
        "RASA_URL": rasa.url,
        "CONSOLE_PROJECT_ROOT": str(tmp / "project"),
    }
    env.pop("REDIS_URL", None)
    # Named as make run names the action server's token, so the history reads «чат-бот» as in production.
    token = ["token", "create", "--role", "service", "--name", "action-server"]
    service = _run([str(VENV_PY), "-m", "ticketing", *token], env)
    for role, login, name in (("line1", "olga", "Ольга Смирнова"), ("line3", "denis", "Денис Котов")):
        _run(
            [
                str(VENV_PY),
                "-m",
                "ticketing",
                "user",
                "add",
                "--role",
                role,
                "--login",
                login,
                "--name",
                name,
                "--password-stdin",
            ],
            env,
            stdin=PASSWORD + "\n",
        )
    log = (tmp / "ticketing.log").open("wb")
    proc = subprocess.Popen(
        [str(VENV_PY), "-m", "ticketing", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ticketing exited:\n{(tmp / 'ticketing.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ticketing did not start:\n{(tmp / 'ticketing.log').read_text()[-3000:]}")
            time.sleep(0.3)
        yield ConsoleServer(url=url, service_token=service, rasa=rasa, logs=tmp)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        rasa_server.shutdown()
        print(f"console server log: {tmp / 'ticketing.log'}", file=sys.stderr)
