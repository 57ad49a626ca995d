"""``/chat/api``: the widget's only server. It proxies to Rasa, so Rasa's HTTP API stays internal.

- ``POST /chat/api/messages`` — one message (text, or a button's payload) → the bot's answer;
- ``GET /chat/api/history`` — the conversation from Rasa's tracker, staff replies included;
- ``POST /chat/api/session`` — the personal account's token → the form pre-filled (identity.py);
- ``POST /chat/api/back-to-bot`` — «Вернуться к боту» after a specialist's answer (specialist.py).

Once a specialist has answered in a conversation, typed messages go to that ticket, not to Rasa
(specialist.py); ``thread`` in the answers tells the widget who the pupil is writing to.

A conversation id is a random UUID v4 the widget made: whoever holds it holds the conversation,
so nothing else is accepted as one. Limits (size, messages per minute per conversation and per
address) are checked before Rasa is asked, so a flood costs Rasa nothing and cannot slow others.
Every refusal says in Russian what happened; a message the bot could not take is never lost,
because the widget keeps it queued until a 2xx or a 4xx that says it cannot be sent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from procedure.text_safety import neutralise
from ticketing.adapters.rasa import RasaRejected, RasaUnavailable
from ticketing.adapters.reply_cache import PENDING, UNCERTAIN, done
from ticketing.bootstrap import ChatRuntime
from ticketing.domain.platform_identity import PlatformIdentity
from ticketing.http.chat.identity import identify, identity_from_token
from ticketing.http.chat.specialist import back_to_bot as close_thread
from ticketing.http.chat.specialist import current_thread, leave_thread, thread_json, to_specialist
from ticketing.http.chat.transcript import (
    MAX_DISPLAY,
    as_list,
    bot_messages_from_webhook,
    is_payload,
    messages_from_events,
    offered_payloads,
    replies_to,
)
from ticketing.http.errors import ApiError

log = logging.getLogger(__name__)
bp = Blueprint("chat_api", url_prefix="/chat/api")

CONVERSATION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CLIENT_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BODY_BYTES = 16 * 1024
MAX_PAYLOAD_CHARS = 500
UNAVAILABLE = "Нет связи с ботом. Сообщение сохранено и будет отправлено, как только связь восстановится."
NO_HEADERS = {"Cache-Control": "no-store"}


def _runtime(request: Request) -> ChatRuntime:
    runtime: ChatRuntime | None = request.app.ctx.chat
    if runtime is None:  # pragma: no cover - the listener opens it before the first request
        raise ApiError(503, "chat_starting", "Чат запускается, повторите через несколько секунд.")
    return runtime


def client_ip(request: Request) -> str:
    """The caller's address; behind a reverse proxy set Sanic's ``SANIC_PROXIES_COUNT``/``REAL_IP_HEADER``."""
    return str(request.remote_addr or request.ip or "unknown")


def _body(request: Request) -> dict[str, Any]:
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", "Слишком большой запрос: сообщение должно быть не длиннее 2000 символов.")
    try:
        data = request.json
    except Exception:
        data = None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_body", "Ожидался JSON-объект с полями conversation_id, text и client_message_id.")
    # Like every entry (procedure.text_safety): no control characters or bidi overrides reach the bot and
    # the ticket, and a lone surrogate («\ud800»), which no encoder can write, becomes U+FFFD instead of a 500.
    return {key: neutralise(value) if isinstance(value, str) else value for key, value in data.items()}


def conversation_id_of(value: Any) -> str:
    """The conversation id, lower case; 422 unless it is a UUID v4."""
    if not isinstance(value, str) or not CONVERSATION_ID.match(value.strip().lower()):
        raise ApiError(
            422,
            "invalid_conversation_id",
            "Неверный идентификатор диалога: ожидался UUID версии 4. Обновите страницу — чат создаст новый.",
            {"conversation_id": "UUID v4, например 0b7e1a3c-5d2f-4c8e-9a1b-3f6d8e2c4a10"},
        )
    return value.strip().lower()


async def _limit(runtime: ChatRuntime, kind: str, conversation_id: str, ip: str) -> None:
    """429 if this conversation or this address sent too much in the current minute."""
    s = runtime.settings
    per_ip, per_conversation = (
        (s.messages_per_ip_per_minute, s.messages_per_minute)
        if kind == "msg"
        else (s.history_per_ip_per_minute, s.history_per_minute)
    )
    limiter = runtime.limiter
    if not await limiter.allow(f"chat:{kind}:ip:{ip}", limit=per_ip, window_seconds=60) or not await limiter.allow(
        f"chat:{kind}:conv:{conversation_id}", limit=per_conversation, window_seconds=60
    ):
        retry = 60 - int(time.time()) % 60
        raise ApiError(
            429,
            "too_many_requests",
            f"Слишком много сообщений подряд. Подождите {retry} с — сообщение отправится само.",
            retry_after=retry,
        ) from None


def _unavailable(exc: RasaUnavailable) -> HTTPResponse:
    log.warning("chat: Rasa unavailable (%s)", exc)
    return json(
        {"error": {"code": "bot_unavailable", "message": UNAVAILABLE}},
        status=503,
        headers={"Retry-After": "5", **NO_HEADERS},
    )


def _message_text(data: dict[str, Any], max_chars: int) -> tuple[str, str | None]:
    """(what goes to Rasa, the button title to show for a payload)."""
    text, payload = data.get("text"), data.get("payload")
    if isinstance(payload, str) and payload:
        if len(payload) > MAX_PAYLOAD_CHARS or not is_payload(payload):
            raise ApiError(422, "invalid_payload", "Эта кнопка не работает. Напишите, пожалуйста, сообщение текстом.")
        display = data.get("display")
        return payload, display.strip()[:MAX_DISPLAY] if isinstance(display, str) and display.strip() else None
    # Typed text is never an intent: «/restart» typed by hand would otherwise command the bot.
    clean = text.strip().lstrip("/").strip() if isinstance(text, str) else ""
    if not clean:
        raise ApiError(422, "empty_message", "Пустое сообщение: напишите, пожалуйста, ваш вопрос.", {"text": "пусто"})
    if len(str(text)) > max_chars:
        raise ApiError(
            413,
            "message_too_long",
            f"Сообщение слишком длинное: {len(str(text))} символов, можно до {max_chars}. "
            "Сократите его или разделите на несколько.",
            {"text": f"не длиннее {max_chars} символов"},
        )
    return clean, None


def _identity(runtime: ChatRuntime, token: Any) -> PlatformIdentity | None:
    settings = runtime.settings
    return identity_from_token(token, settings.signing_secret(), runtime.regions, leeway=settings.jwt_leeway_seconds)


async def _wait_for(runtime: ChatRuntime, key: str) -> dict[str, Any] | None:
    """The record of a turn another request is running, once it is finished (None: still running)."""
    deadline = time.monotonic() + runtime.settings.rasa_timeout_seconds
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        record = await runtime.replies.peek(key)
        if record is None or record.get("state") != "pending":
            return record
    return None


@bp.post("/messages")
async def post_message(request: Request) -> HTTPResponse:
    """Send one message to the bot; a resend with the same ``client_message_id`` is answered from memory."""
    runtime = _runtime(request)
    data = _body(request)
    conversation_id = conversation_id_of(data.get("conversation_id"))
    client_message_id = data.get("client_message_id")
    if not isinstance(client_message_id, str) or not CLIENT_MESSAGE_ID.match(client_message_id):
        raise ApiError(422, "invalid_client_message_id", "Нет идентификатора сообщения (client_message_id).")
    message, display = _message_text(data, runtime.settings.max_message_chars)

    key = f"msg:{conversation_id}:{client_message_id}"
    ttl_pending = int(runtime.settings.rasa_timeout_seconds) + 10
    record = await runtime.replies.claim(key, ttl=ttl_pending)
    if record is not None and record.get("state") == "pending":
        record = await _wait_for(runtime, key)
        if record is None:
            raise ApiError(409, "in_progress", "Это сообщение ещё обрабатывается, повторите через несколько секунд.")
    if record is not None and record.get("state") == "done":
        return json({"messages": record.get("messages", []), "duplicate": True}, headers=NO_HEADERS)
    uncertain = record is not None  # Rasa may have taken it last time: look before sending again
    if uncertain:
        await runtime.replies.put(key, PENDING, ttl=ttl_pending)

    try:
        await _limit(runtime, "msg", conversation_id, client_ip(request))
        container = request.app.ctx.container
        thread = await current_thread(container, conversation_id)
        if thread is not None and display is None and not is_payload(message):  # a reply to the specialist
            body = await to_specialist(container, runtime.gateway, thread, conversation_id, client_message_id, message)
            await runtime.replies.put(key, done(body["messages"]), ttl=runtime.settings.dedup_seconds)
            return json(body, headers=NO_HEADERS)
        if thread is not None:  # a button of the bot («Оставить обращение»): the pupil talks to the bot again
            await leave_thread(container, conversation_id)
        extra = {"thread": None} if thread is not None else {}
        return await _deliver(
            runtime, request, data, conversation_id, client_message_id, message, display, uncertain, extra
        )
    except RasaUnavailable as exc:
        if exc.uncertain:
            await runtime.replies.put(key, UNCERTAIN, ttl=runtime.settings.dedup_seconds)
        else:
            await runtime.replies.release(key)
        return _unavailable(exc)
    except BaseException:
        await runtime.replies.release(key)
        raise


async def _deliver(
    runtime: ChatRuntime,
    request: Request,
    data: dict[str, Any],
    conversation_id: str,
    client_message_id: str,
    message: str,
    display: str | None,
    uncertain: bool,
    extra: dict[str, Any],
) -> HTTPResponse:
    key = f"msg:{conversation_id}:{client_message_id}"
    gateway = runtime.gateway
    token = data.get("token")
    if token:
        identity = _identity(runtime, token)
        if identity is not None:
            await identify(gateway, runtime.replies, conversation_id, identity)
    if uncertain or display is not None or is_payload(message):
        events = as_list((await gateway.tracker(conversation_id)).get("events"))
        earlier = replies_to(events, client_message_id) if uncertain else None
        if earlier is not None:
            await runtime.replies.put(key, done(earlier), ttl=runtime.settings.dedup_seconds)
            return json({"messages": earlier, "duplicate": True}, headers=NO_HEADERS)
        if is_payload(message) and message not in offered_payloads(events):
            raise ApiError(422, "stale_button", "Эта кнопка уже не действует. Напишите, пожалуйста, ответ текстом.")
    widget: dict[str, Any] = {"client_message_id": client_message_id}
    if display is not None:
        widget["display"] = display
    try:
        items = await gateway.send(conversation_id, message, {"widget": widget})
    except RasaRejected as exc:
        log.error("chat: Rasa refused a message: %s", exc)
        raise ApiError(502, "bot_refused", "Бот не смог принять сообщение. Попробуйте написать его иначе.") from exc
    messages = bot_messages_from_webhook(items)
    await runtime.replies.put(key, done(messages), ttl=runtime.settings.dedup_seconds)
    return json({"messages": messages, **extra}, headers=NO_HEADERS)


@bp.get("/history")
async def history(request: Request) -> HTTPResponse:
    """Messages after event ``after`` (-1: all); ``next`` is the cursor for the following poll."""
    runtime = _runtime(request)
    conversation_id = conversation_id_of(request.args.get("conversation_id"))
    raw_after = request.args.get("after", "-1")
    try:
        after = int(raw_after)
    except ValueError:
        raise ApiError(422, "invalid_after", "Параметр after — номер события, целое число.") from None
    await _limit(runtime, "hist", conversation_id, client_ip(request))
    try:
        tracker = await runtime.gateway.tracker(conversation_id)
    except RasaUnavailable as exc:
        return _unavailable(exc)
    events = as_list(tracker.get("events"))
    thread = thread_json(await current_thread(request.app.ctx.container, conversation_id))
    return json(
        {"messages": messages_from_events(events, after), "next": len(events) - 1, "thread": thread},
        headers=NO_HEADERS,
    )


@bp.post("/back-to-bot")
async def back_to_bot(request: Request) -> HTTPResponse:
    """«Вернуться к боту»: the pupil's next messages go to the bot again, not to the specialist's ticket."""
    runtime = _runtime(request)
    data = _body(request)
    conversation_id = conversation_id_of(data.get("conversation_id"))
    await _limit(runtime, "msg", conversation_id, client_ip(request))
    body = await close_thread(request.app.ctx.container, runtime.gateway, conversation_id)
    return json(body, headers=NO_HEADERS)


@bp.post("/session")
async def session(request: Request) -> HTTPResponse:
    """The personal account's token for a new conversation; an invalid one means «anonymous», not an error."""
    runtime = _runtime(request)
    data = _body(request)
    conversation_id = conversation_id_of(data.get("conversation_id"))
    await _limit(runtime, "msg", conversation_id, client_ip(request))
    identity = _identity(runtime, data.get("token"))
    if identity is None:
        return json({"identified": False}, headers=NO_HEADERS)
    try:
        outcome = await identify(runtime.gateway, runtime.replies, conversation_id, identity)
    except RasaUnavailable as exc:
        return _unavailable(exc)
    return json({"identified": True, "login": identity.login, "prefilled": outcome}, headers=NO_HEADERS)
