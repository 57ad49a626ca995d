"""Start the three real servers (ticketing, action server, Rasa) on free ports for a test module."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_PY = ROOT / ".venv" / "bin" / "python"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "bot.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    ticketing_url: str
    rasa_url: str
    actions_url: str
    admin_token: str
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]]
    # What start() needs to bring a stopped server back (the web chat's test stops Rasa).
    commands: dict[str, list[str]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    health: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, timeout: float = 240) -> None:
        """Start a server stopped by :meth:`stop` again, with the same command and environment."""
        if self.processes[name].poll() is None:
            return
        log = self.logs / f"{name}.log"
        with log.open("ab") as out:
            out.write(b"\n--- restarted ---\n")
        self.processes[name] = start(name, self.commands[name], self.env, self.logs, append=True)
        wait_until_up(self.health[name], self.processes[name], log, timeout)

    def stop(self, name: str) -> None:
        proc = self.processes[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


def start(
    name: str, cmd: list[str], env: dict[str, str], logs: Path, *, append: bool = False
) -> subprocess.Popen[bytes]:
    log = (logs / f"{name}.log").open("ab" if append else "wb")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def last_line(cmd: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("Нет обученной модели models/bot.tar.gz: запустите `make train` (make test делает это сам).")
    tmp = tmp_path_factory.mktemp("stack")
    ports = {name: free_port() for name in ("ticketing", "actions", "rasa")}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/ticketing.sqlite3",
        "TICKETING_PORT": str(ports["ticketing"]),
        "TICKETING_URL": f"http://127.0.0.1:{ports['ticketing']}",
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),  # endpoints.yml gives it to Rasa
        "ACTIONS_OUTBOX_PATH": str(tmp / "outbox.sqlite3"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        # The web chat (tests/e2e/test_chat_widget.py): its demo page signs personal-account tokens.
        "PLATFORM_JWT_SECRET": secrets.token_urlsafe(48),
        "CHAT_DEMO": "1",
    }
    service = last_line(
        [str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "service", "--name", "e2e-actions"], env
    )
    admin = last_line([str(VENV_PY), "-m", "ticketing", "token", "create", "--role", "admin", "--name", "e2e"], env)
    env["TICKETING_TOKEN"] = service
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text(encoding="utf-8")
        .replace("http://localhost:5055/webhook", env["ACTION_ENDPOINT_URL"]),
        encoding="utf-8",
    )
    commands = {
        "ticketing": [str(VENV_PY), "-m", "ticketing", "serve"],
        "actions": [str(RASA_PY), "-m", "actions.server", "--port", str(ports["actions"])],
        "rasa": [
            str(RASA),
            "run",
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(ports["rasa"]),
            "--model",
            str(MODEL),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
        ],
    }
    processes = {name: start(name, cmd, env, tmp) for name, cmd in commands.items()}
    stack = Stack(
        ticketing_url=env["TICKETING_URL"],
        rasa_url=env["RASA_URL"],
        actions_url=f"http://127.0.0.1:{ports['actions']}",
        admin_token=admin,
        logs=tmp,
        processes=processes,
        commands=commands,
        env=env,
        health={
            "ticketing": f"{env['TICKETING_URL']}/healthz",
            "actions": f"http://127.0.0.1:{ports['actions']}/health",
            "rasa": f"{env['RASA_URL']}/status",
        },
    )
    try:
        wait_until_up(f"{stack.ticketing_url}/healthz", processes["ticketing"], tmp / "ticketing.log", 30)
        wait_until_up(f"{stack.actions_url}/health", processes["actions"], tmp / "actions.log", 60)
        wait_until_up(f"{stack.rasa_url}/status", processes["rasa"], tmp / "rasa.log", 180)
        yield stack
    finally:
        for name in processes:
            stack.stop(name)
        print(f"server logs: {tmp}", file=sys.stderr)
