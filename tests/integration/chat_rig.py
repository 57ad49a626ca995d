"""A fake Rasa for the web chat's tests, and the ticketing app wired to it.

The fake runs in this process on a free port (a thread of ``ThreadingHTTPServer``) and speaks
the three endpoints the chat uses, as Rasa 3.6 does: the REST webhook, the tracker GET with its
events, and the tracker events POST. It records every request, so a test can say exactly what
reached the bot (and what never did).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
import pytest
from sanic import Sanic

from tests.integration.conftest import AppClient, sqlite_copy, stop_app
from ticketing.bootstrap import Container, PureParts, build_container
from ticketing.config import ChatSettings, Settings
from ticketing.http.app import create_app

SECRET = "test-platform-secret-" + "0123456789abcdef" * 4
GREET_BUTTONS = [
    {"title": "Оставить обращение", "payload": "/open_appeal"},
    {"title": "Узнать статус обращения", "payload": "/ticket_status"},
]


def default_answer(text: str) -> list[dict[str, Any]]:
    """A bot that greets with buttons, starts the form on /open_appeal and otherwise echoes."""
    if text.lower().startswith("здравств"):
        return [{"text": "Здравствуйте! Я бот поддержки.", "buttons": GREET_BUTTONS}]
    if text == "/open_appeal":
        return [{"text": "Какой у вас вопрос: информационный или технический?"}]
    return [{"text": f"Вы написали: {text}"}]


@dataclass
class FakeRasa:
    url: str = ""
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook_calls: list[dict[str, Any]] = field(default_factory=list)
    appended: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    tracker_queries: list[dict[str, list[str]]] = field(default_factory=list)
    append_queries: list[dict[str, list[str]]] = field(default_factory=list)
    answer: Callable[[str], list[dict[str, Any]]] = default_answer
    delay: float = 0.0
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def slots(self, sender: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for event in self.events.get(sender, []):
            if event.get("event") == "slot":
                values[event["name"]] = event.get("value")
        return values

    def user_texts(self, sender: str) -> list[str]:
        return [e["text"] for e in self.events.get(sender, []) if e.get("event") == "user"]

    def staff_reply(self, sender: str, text: str, ticket: str) -> None:
        """What the console's RasaReplySender appends (ticketing/adapters/rasa.py)."""
        self._append(sender, [{"event": "bot", "text": text, "metadata": {"staff_reply": True, "ticket": ticket}}])

    def _append(self, sender: str, events: list[dict[str, Any]]) -> None:
        with self.lock:
            stored = self.events.setdefault(sender, [{"event": "action", "name": "action_session_start"}])
            for event in events:
                stored.append({"timestamp": time.time(), **event})

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def start_fake_rasa() -> FakeRasa:
    state = FakeRasa()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, payload: Any) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> Any:
            return json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"null")

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            segments = parts.path.strip("/").split("/")
            if parts.path == "/webhooks/rest/webhook":
                body = self._body()
                if state.delay:
                    time.sleep(state.delay)
                sender, text = body["sender"], body["message"]
                state.webhook_calls.append(body)
                answers = state.answer(text)
                state._append(
                    sender,
                    [{"event": "user", "text": text, "metadata": body.get("metadata") or {}}]
                    + [{"event": "bot", "text": a.get("text"), "data": {"buttons": a.get("buttons")}} for a in answers],
                )
                self._reply(200, [{"recipient_id": sender, **a} for a in answers])
            elif len(segments) == 4 and segments[0] == "conversations" and segments[2:] == ["tracker", "events"]:
                sender = unquote(segments[1])
                events = self._body()
                if any(e.get("event") == "user" and not isinstance(e.get("parse_data"), dict) for e in events):
                    # Rasa 3.6 reads a user event through its parse_data: without one the server fails.
                    self._reply(500, {"error": "'NoneType' object has no attribute 'get'"})
                    return
                state.append_queries.append(parse_qs(parts.query))
                state.appended.append((sender, events))
                state._append(sender, events)
                self._reply(200, {"sender_id": sender})
            else:
                self._reply(404, {"error": "not found"})

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            segments = parts.path.strip("/").split("/")
            if len(segments) == 3 and segments[0] == "conversations" and segments[2] == "tracker":
                sender = unquote(segments[1])
                state.tracker_queries.append(parse_qs(parts.query))
                with state.lock:
                    events = list(
                        state.events.setdefault(sender, [{"event": "action", "name": "action_session_start"}])
                    )
                self._reply(200, {"sender_id": sender, "slots": state.slots(sender), "events": events})
            else:
                self._reply(404, {"error": "not found"})

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state


def platform_token(secret: str = SECRET, *, expires_in: int = 600, algorithm: str = "HS256", **claims: Any) -> str:
    """A token as the platform signs it (README: «Чат на сайте и в личном кабинете»)."""
    payload = {
        "login": "ivanov2011",
        "role": "student",
        "email": "Ivan.Petrov@mail.ru",
        "region": "Татарстан",
        "exp": datetime.now(UTC) + timedelta(seconds=expires_in),
        **claims,
    }
    return jwt.encode(payload, secret, algorithm=algorithm)


def new_conversation() -> str:
    return str(uuid.uuid4())


@dataclass
class ChatRig:
    app: Sanic[Any, Any]
    client: AppClient
    rasa: FakeRasa
    container: Container

    async def configure(self, **changes: Any) -> None:
        """Other chat settings: they are read when the app starts, so it is stopped and starts again."""
        await stop_app(self.app)
        self.app.ctx.chat_settings = replace(self.app.ctx.chat_settings, **changes)

    async def send(
        self, conversation: str, text: str | None = None, *, ip: str = "10.0.0.1", **extra: Any
    ) -> tuple[int, dict[str, Any]]:
        body: dict[str, Any] = {"conversation_id": conversation, "client_message_id": uuid.uuid4().hex, **extra}
        if text is not None:
            body["text"] = text
        _, response = await self.client.post("/chat/api/messages", json=body, headers={"X-Real-IP": ip})
        return response.status, response.json

    async def history(self, conversation: str, after: int = -1) -> tuple[int, dict[str, Any]]:
        _, response = await self.client.get(
            "/chat/api/history", params={"conversation_id": conversation, "after": after}
        )
        return response.status, response.json

    async def session(self, conversation: str, token: str) -> tuple[int, dict[str, Any]]:
        _, response = await self.client.post(
            "/chat/api/session", json={"conversation_id": conversation, "token": token}
        )
        return response.status, response.json


def settle_minute() -> None:
    """Rate limits count per calendar minute: start a burst well inside one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.fixture
async def chat(tmp_path: Path, parts: PureParts, sqlite_template: Path) -> AsyncIterator[ChatRig]:
    """The ticketing app in front of a fresh fake Rasa; its database decides who a message goes to."""
    rasa = start_fake_rasa()
    settings = Settings(database_url=sqlite_copy(sqlite_template, tmp_path / "ticketing.sqlite3"))
    container = build_container(settings, parts=parts)
    app = create_app(settings, container=container, name=f"chat_{uuid.uuid4().hex[:8]}")
    app.config.REAL_IP_HEADER = "x-real-ip"
    app.ctx.chat_settings = ChatSettings(rasa_url=rasa.url, jwt_secret=SECRET, demo=True, rasa_timeout_seconds=5)
    try:
        yield ChatRig(app=app, client=AppClient(app), rasa=rasa, container=container)
    finally:
        await stop_app(app)
        await container.close()
        rasa.stop()
