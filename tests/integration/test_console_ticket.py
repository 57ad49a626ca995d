# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""The ticket page: what it shows, every action through the domain's transitions, replies and their delivery."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.integration.conftest import stop_app
from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET
from ticketing.config import ChatSettings
from ticketing.domain.deliveries import DeliveryStatus
from ticketing.services.replies import deliver_due

XSS = "<script>alert(1)</script>"


async def test_page_shows_requester_transcript_deadline_history_and_questions(console: Console) -> None:
    number = await console.ticket()
    page = await console["line1"].get(ticket_path(number))
    assert page.status == 200
    for text in (
        "Заявитель (п. 5.6.1)",
        "Республика Татарстан",
        "участник",
        "ivanov2011",
        "ivan.petrov@example.ru",
        "технический",
        "Здравствуйте, не загружается тест",  # the transcript
        "Из какого вы региона?",
        "срок ответа: 02.12.2026 23:59 МСК",
        "осталось 5 д",
        "Обращение зарегистрировано",  # the history
        "Проверка по п. 4.7–4.9",
        "Вопросы",
        "Очистите кэш браузера",  # the scenario picker
        "Взять в работу",
    ):
        assert text in page.text, text
    assert 'class="deadline-box ok"' in page.text


async def test_a_message_with_markup_is_shown_as_text(console: Console) -> None:
    number = await console.ticket(
        {**CHAT_TICKET, "description": f"Тест не грузится {XSS}", "transcript": [{"sender": "user", "text": XSS}]}
    )
    for person in ("line1", "admin"):
        page = await console[person].get(ticket_path(number))
        assert XSS not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    queue = await console["line1"].get("/console/queue")
    assert XSS not in queue.text and "&lt;script&gt;" in queue.text


async def test_claim_reply_escalate_return_answer_close(console: Console) -> None:
    number = await console.ticket()
    olga, denis = console["line1"], console["line3"]
    assert (await olga.post(ticket_path(number, "claim"))).status == 303
    response = await olga.post(ticket_path(number, "transfer"), {"line": "3", "comment": "Белый экран в Chrome"})
    assert response.status == 303
    assert (await denis.post(ticket_path(number, "claim"))).status == 303
    response = await denis.post(ticket_path(number, "return"), {"comment": "Исправлено в релизе 2.4"})
    assert response.status == 303
    response = await olga.post(ticket_path(number, "reply"), {"text": "Мы исправили ошибку, обновите страницу."})
    assert response.status == 303 and "done=reply" in response.headers["location"]
    page = await olga.get(response.headers["location"])
    assert "Ответ записан и доставлен в чат заявителя; копия уйдёт письмом на почту" in page.text
    assert [(d.conversation_id, d.text) for d in console.sender.sent] == [
        ("chat-42", "Мы исправили ошибку, обновите страницу.")
    ]
    assert (await olga.post(ticket_path(number, "close"))).status == 303
    page = await olga.get(ticket_path(number))
    assert "закрыто" in page.text and "отвечено в срок" in page.text
    for title in (
        "Взято в работу",
        "Передано: техническая поддержка платформы",
        "Возвращено на первую линию",
        "Дан ответ заявителю",
        "Закрыто",
        "Денис Разработчик",
    ):
        assert title in page.text, title
    assert "доставлено" in page.text


async def test_illegal_move_is_a_readable_message_not_a_trace(console: Console) -> None:
    number = await console.ticket()
    response = await console["line1"].post(ticket_path(number, "close"))
    assert response.status == 409
    assert "Закрыть можно только отвеченное обращение" in response.text
    assert "Traceback" not in response.text and 'role="alert"' in response.text
    response = await console["line1"].post(ticket_path(number, "transfer"), {"line": "3", "comment": ""})
    assert response.status == 409 and "нужен комментарий" in response.text
    response = await console["line2"].post(ticket_path(number, "reply"), {"text": "x"})
    assert response.status == 404  # never handed to line 2 (§4.5): line 2 does not see it at all
    response = await console["line1"].post(ticket_path(number, "transfer"), {"line": "2", "comment": "Вопрос региону"})
    assert response.status == 303
    response = await console["line2"].post(ticket_path(number, "reply"), {"text": "x"})
    assert response.status == 403 and "недоступно для вашей роли" in response.text
    response = await console["line3"].post(ticket_path(number, "reply"), {"text": "x"})
    assert response.status == 404  # never escalated to line 3: not even its existence shows


async def test_failed_delivery_is_kept_shown_and_retried(console: Console) -> None:
    number = await console.ticket()
    console.sender.fail = True
    response = await console["line1"].post(ticket_path(number, "reply"), {"text": "Очистите кэш браузера."})
    assert "done=reply_pending" in response.headers["location"]
    page = await console["line1"].get(ticket_path(number))
    assert "ожидает доставки" in page.text and "сервер бота недоступен" in page.text
    console.sender.fail = False
    container = console.api.app.ctx.container
    assert await deliver_due(container.uow, console.sender, now=container.clock()) == (0, 0)  # not due yet
    console.api.clock.now += timedelta(minutes=2)
    assert await deliver_due(container.uow, console.sender, now=container.clock()) == (1, 0)
    async with container.uow() as uow:
        delivery, letter = await uow.deliveries.of_ticket(number)
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert letter.medium == "email" and letter.status is DeliveryStatus.MANUAL  # the mail worker's to send
    assert console.sender.sent[0].text == "Очистите кэш браузера."


async def test_mail_reply_is_queued_for_the_mail_worker(console: Console) -> None:
    number = await console.ticket({**CHAT_TICKET, "channel": "project_email", "conversation_id": None})
    response = await console["line1"].post(ticket_path(number, "reply"), {"text": "Ответ письмом"})
    page = await console["line1"].get(response.headers["location"])
    assert "поставлен в очередь писем" in page.text
    assert "ждёт отправки письмом" in page.text and not console.sender.sent


async def test_answering_some_questions_keeps_the_ticket_open(console: Console) -> None:
    number = await console.ticket()
    await console["line1"].post(ticket_path(number, "reply"), {"text": "Первый ответ"})
    await console.api.client.post(
        f"/api/v1/tickets/{number}/messages",
        json={"text": "И ещё: где сертификат?"},
        headers=console.api.headers("service"),
    )
    page = await console["line1"].get(ticket_path(number))
    assert "На какие вопросы отвечает" in page.text and "где сертификат" in page.text
    response = await console["line1"].post(
        ticket_path(number, "reply"), {"text": "Сертификат в кабинете", "questions": "2"}
    )
    assert response.status == 303
    page = await console["line1"].get(ticket_path(number))
    assert "дан ответ" in page.text


async def test_leave_without_answer_and_mark_as_repeat(console: Console) -> None:
    first = await console.ticket()
    olga = console["line1"]
    page = await olga.get(ticket_path(first))
    assert "нецензурные или оскорбительные выражения (п. 4.8)" in page.text  # the select's Russian labels
    await olga.post(ticket_path(first, "reply"), {"text": "Очистите кэш"})
    again = await console.ticket({**CHAT_TICKET, "description": "Опять не загружается тест, белый экран после второго"})
    page = await olga.get(ticket_path(again))
    assert "Похоже на повтор" in page.text and first in page.text
    response = await olga.post(ticket_path(again, "repeat"), {"repeat_of": "бвб " + first[-3:]})
    assert response.status == 303
    page = await olga.get(ticket_path(again))
    assert "повтор уже решённого вопроса (п. 4.9)" in page.text and "без ответа по основаниям Порядка" in page.text
    third = await console.ticket()
    response = await olga.post(ticket_path(third, "leave"), {"reason": "no_question", "comment": "нет вопроса"})
    assert response.status == 303
    response = await olga.post(ticket_path(third, "leave"), {"reason": "no_question"})
    assert response.status == 409 and "уже решено" in response.text
    response = await olga.post(ticket_path(third, "reopen"), {"comment": "заявитель уточнил"})
    assert response.status == 303


async def test_the_pupils_reply_in_the_chat_shows_on_the_ticket_page_even_with_the_bot_down(
    console: Console,
) -> None:
    """Issue 14, part 2: after line 1's answer, what the pupil types in the chat is on the ticket (§6.3)."""
    conversation = str(uuid.uuid4())
    number = await console.ticket({**CHAT_TICKET, "conversation_id": conversation})
    olga = console["line1"]
    assert (await olga.post(ticket_path(number, "claim"))).status == 303
    response = await olga.post(ticket_path(number, "reply"), {"text": "Напишите сюда, если письмо не придёт."})
    assert response.status == 303
    app = console.api.app
    await stop_app(app)  # the chat's settings are read at start: nothing listens on port 9, the bot is down
    app.ctx.chat_settings = ChatSettings(rasa_url="http://127.0.0.1:9", rasa_timeout_seconds=2)
    body = {"conversation_id": conversation, "client_message_id": uuid.uuid4().hex, "text": "письмо так и не пришло"}
    _, response = await console.anonymous().post("/chat/api/messages", json=body)
    assert response.status == 200, response.text
    assert response.json["thread"] == {"ticket": number}
    page = await olga.get(ticket_path(number))
    for text in ("Сообщение заявителя", "письмо так и не пришло", "Переоткрыто", "в работе"):
        assert text in page.text, text
    queue = await olga.get("/console/queue?tab=mine")
    assert number in queue.text  # back in the queue of the one who answered
