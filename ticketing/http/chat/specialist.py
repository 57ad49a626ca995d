"""The chat's second addressee: after a specialist's answer, the pupil writes to them, not to the bot.

Decided here, in the chat service, before Rasa is asked (``services.chat_threads``): the message
lands on the ticket in the ticketing database whether the bot is up or not, and the console's
live screens hear of it at once. A copy of it (and of what the widget is told) is appended to the
Rasa conversation, best effort, only so that the widget's history shows the whole conversation;
Rasa's policies never see it as a turn (it is followed by no action), and if Rasa is down the
widget keeps its own copy.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ticketing.adapters.rasa import RasaGateway, RasaRejected, RasaUnavailable
from ticketing.bootstrap import Container
from ticketing.domain.chat_threads import is_back_to_bot
from ticketing.domain.tickets import Ticket
from ticketing.http.errors import ApiError
from ticketing.services import chat_threads
from ticketing.services.unit_of_work import ConcurrentUpdate

log = logging.getLogger(__name__)

SENT_TO_SPECIALIST = (
    "Передал ваше сообщение специалисту — обращение {number}. Ответ придёт сюда, в чат, и на почту, "
    "которую вы указали. Чтобы снова спросить бота, нажмите «Вернуться к боту» или напишите «вернуться к боту»."
)
BACK_TO_BOT = (
    "Хорошо, теперь вы снова пишете боту 🙂 Всё, что вы написали специалисту, сохранено в обращении {number}, "
    "и ответ придёт сюда и на почту. Задайте боту вопрос или напишите «хочу оставить обращение»."
)
NOT_SAVED = "Не получилось сохранить сообщение. Оно не потеряется: чат отправит его ещё раз сам."


def thread_json(ticket: Ticket | None) -> dict[str, str] | None:
    """What the widget is told: ``{"ticket": "БВБ-000123"}`` while the pupil writes to a specialist."""
    return {"ticket": ticket.number} if ticket is not None and ticket.number else None


def _unsaved(exc: Exception) -> ApiError:
    log.warning("chat: the specialist thread is unavailable (%s)", exc)
    return ApiError(503, "not_saved", NOT_SAVED)


async def current_thread(container: Container, conversation_id: str) -> Ticket | None:
    """The ticket the conversation writes to, or None; a database failure is a 503 (the widget resends)."""
    try:
        return await chat_threads.thread_of(container.uow(), conversation_id)
    except Exception as exc:  # the database: the message stays in the widget's queue
        raise _unsaved(exc) from exc


async def to_specialist(
    container: Container,
    gateway: RasaGateway,
    thread: Ticket,
    conversation_id: str,
    client_message_id: str,
    text: str,
) -> dict[str, Any]:
    """Put the pupil's typed message on the thread's ticket (or close the thread); the widget's answer."""
    assert thread.number is not None
    now = container.clock()
    if is_back_to_bot(text):
        return await back_to_bot(container, gateway, conversation_id, client_message_id, text)
    try:
        written = await chat_threads.write(
            container.uow(), thread.number, text, message_id=client_message_id, now=now, bus=container.bus
        )
    except ConcurrentUpdate as exc:
        raise _unsaved(exc) from exc
    messages = [{"sender": "bot", "text": SENT_TO_SPECIALIST.format(number=written.number)}] if written.reopened else []
    if not written.duplicate:
        await _mirror(gateway, conversation_id, client_message_id, text, messages, written.number, now)
    return {"messages": messages, "thread": {"ticket": written.number}}


async def back_to_bot(
    container: Container,
    gateway: RasaGateway,
    conversation_id: str,
    client_message_id: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """Close the thread (a button or a typed phrase); the pupil is told they talk to the bot again."""
    now = container.clock()
    try:
        number = await chat_threads.back_to_bot(container.uow(), conversation_id, now=now, bus=container.bus)
    except Exception as exc:
        raise _unsaved(exc) from exc
    if number is None:
        return {"messages": [], "thread": None}
    messages = [{"sender": "bot", "text": BACK_TO_BOT.format(number=number)}]
    await _mirror(gateway, conversation_id, client_message_id, text, messages, number, now)
    return {"messages": messages, "thread": None}


async def leave_thread(container: Container, conversation_id: str) -> None:
    """Close the thread without a word: the pupil tapped one of the bot's buttons, so they talk to the bot."""
    try:
        await chat_threads.back_to_bot(container.uow(), conversation_id, now=container.clock(), bus=container.bus)
    except Exception as exc:
        raise _unsaved(exc) from exc


async def _mirror(
    gateway: RasaGateway,
    conversation_id: str,
    client_message_id: str | None,
    text: str | None,
    messages: list[dict[str, Any]],
    number: str,
    now: datetime,
) -> None:
    events: list[dict[str, Any]] = []
    if text is not None and client_message_id is not None:
        metadata = {"widget": {"client_message_id": client_message_id}, "ticket": number}
        # No intent: Rasa 3.6 needs parse_data to read a user event (events.py, UserUttered._from_parse_data).
        parsed: dict[str, Any] = {"intent": {}, "entities": [], "text": text}
        events.append(
            {"event": "user", "text": text, "timestamp": now.timestamp(), "parse_data": parsed, "metadata": metadata}
        )
    events += [
        {"event": "bot", "text": m["text"], "timestamp": now.timestamp(), "metadata": {"chat_thread": number}}
        for m in messages
    ]
    if not events:
        return
    try:
        await gateway.append(conversation_id, events)
    except (RasaUnavailable, RasaRejected) as exc:  # the ticket has it; only the widget's history misses it
        log.warning("chat: the reply to %s is kept, but not copied into the conversation: %s", number, exc)
