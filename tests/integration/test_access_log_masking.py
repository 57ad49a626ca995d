"""The service's own access log (``TICKETING_ACCESS_LOG=1``) keeps the API's ``?email=`` working and writes
no address or login: a real ``python -m ticketing serve``, a real request, the line Sanic writes (152-ФЗ)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.integration.mail_servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_access_log_masks_the_email_of_the_query(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "TICKETING_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite3",
        "RASA_TRACKER_URL": f"sqlite:///{tmp_path}/rasa.sqlite3",
        "PUBLISHED_CONTENT": str(tmp_path / "published"),
        "TICKETING_ACCESS_LOG": "1",
        "PD_ANONYMISE_HOUR": "23",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "ticketing", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        answer = httpx.get(f"{base}/api/v1/tickets?email=ivan.petrov%40example.ru&login=ivanov2011", timeout=10)
        assert answer.status_code == 401  # no token: the route, its query and the log line are what matter
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "/api/v1/tickets?email=iv***@example.ru&login=iv***" in text, text  # the line is there, masked
    assert "ivan.petrov" not in text and "ivanov2011" not in text
