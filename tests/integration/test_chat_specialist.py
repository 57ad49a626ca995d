"""After a specialist's answer the pupil writes to the specialist: the message lands on the ticket, not in Rasa.

Issue 14, part 2: «письмо так и не пришло» typed after line 1's «напишите сюда» must reach the ticket
and the console (§6.3), also while the bot is down; «Вернуться к боту» gives the conversation back to the bot.
"""

# ruff: noqa: F811 - the fixture is imported by name and then requested as a parameter
from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.integration.chat_rig import ChatRig, chat, new_conversation  # noqa: F401
from ticketing.adapters.reply_cache import LocalReplyCache
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.tickets import Channel, Kind, NewTicket, QuestionType, RequesterRole, Ticket
from ticketing.http.chat.specialist import BACK_TO_BOT, SENT_TO_SPECIALIST
from ticketing.services import replies
from ticketing.services.tickets import open_ticket

LINE1 = lc.Actor(name="Ольга Смирнова", role=ApiRole.LINE1)
EVERYWHERE = AccessScope(role=ApiRole.ADMIN)
ANSWER = "Мы отправили письмо ещё раз. Если оно не пришло, напишите сюда."


async def chat_ticket(chat: ChatRig, conversation: str) -> str:
    container = chat.container
    opened = await open_ticket(
        container.uow(),
        NewTicket(
            channel=Channel.CHAT,
            kind=Kind.INFO_REQUEST,
            question_type=QuestionType.TECHNICAL,
            region="Республика Татарстан",
            role=RequesterRole.PARTICIPANT,
            login="ivanov2011",
            email="ivan.petrov@mail.ru",
            subject="Не приходит письмо",
            description="Не приходит письмо для подтверждения почты",
            conversation_id=conversation,
        ),
        now=datetime.now(UTC),
        calendar=container.calendar,
        actor="token:action-server",
    )
    assert opened.ticket.number is not None
    return opened.ticket.number


async def answer(
    chat: ChatRig, conversation: str, number: str, text: str = ANSWER, questions: list[int] | None = None
) -> None:
    """Line 1 answers from the console; the reply reaches the conversation as Rasa's HTTP API stores it."""
    await replies.reply(
        chat.container.uow(), number, EVERYWHERE, LINE1, text=text, question_ids=questions, now=datetime.now(UTC)
    )
    chat.rasa.staff_reply(conversation, text, number)


async def ticket(chat: ChatRig, number: str) -> Ticket:
    async with chat.container.uow() as uow:
        found = await uow.tickets.get_by_number(number)
    assert found is not None
    return found


def messages_of(found: Ticket) -> list[str]:
    return [str(e.data["text"]) for e in found.events if e.type == "requester_message"]


async def test_before_an_answer_the_pupil_talks_to_the_bot(chat: ChatRig) -> None:
    conversation = new_conversation()
    number = await chat_ticket(chat, conversation)
    status, body = await chat.send(conversation, "а когда ответят?")
    assert status == 200 and body["messages"][0]["text"] == "Вы написали: а когда ответят?"
    assert chat.rasa.user_texts(conversation) == ["а когда ответят?"]
    _, history = await chat.history(conversation)
    assert history["thread"] is None
    assert messages_of(await ticket(chat, number)) == []


async def test_a_reply_after_the_answer_lands_on_the_ticket_reopens_it_and_reaches_the_console(chat: ChatRig) -> None:
    conversation = new_conversation()
    number = await chat_ticket(chat, conversation)
    await answer(chat, conversation, number)
    _, history = await chat.history(conversation)
    assert history["thread"] == {"ticket": number}
    assert history["messages"][-1]["sender"] == "staff"

    received: list[dict[str, Any]] = []

    async def listen() -> None:  # what the console's /console/events stream forwards
        async for message in chat.container.bus.subscribe():
            received.append(message)
            if len(received) == 2:
                return

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    status, body = await chat.send(conversation, "письмо так и не пришло")
    assert status == 200, body
    assert body == {
        "messages": [{"sender": "bot", "text": SENT_TO_SPECIALIST.format(number=number)}],
        "thread": {"ticket": number},
    }
    await asyncio.wait_for(task, 5)
    assert [(m["number"], m["type"], m["status"]) for m in received] == [
        (number, "requester_message", "in_progress"),
        (number, "reopened", "in_progress"),
    ]
    assert chat.rasa.webhook_calls == []  # never the bot's NLU

    found = await ticket(chat, number)
    assert found.status.value == "in_progress" and found.assignee == LINE1.name  # back with the one who answered
    assert messages_of(found) == ["письмо так и не пришло"]
    assert found.transcript[-1].sender == "user" and found.transcript[-1].text == "письмо так и не пришло"
    assert [q.text for q in found.questions][-1] == "письмо так и не пришло"  # §6.3: a question to answer

    # The second message adds to the thread quietly; the widget's history shows both, in order.
    status, body = await chat.send(conversation, "проверил спам, там тоже нет")
    assert status == 200 and body == {"messages": [], "thread": {"ticket": number}}
    assert messages_of(await ticket(chat, number)) == ["письмо так и не пришло", "проверил спам, там тоже нет"]
    _, history = await chat.history(conversation)
    shown = [(m["sender"], m["text"]) for m in history["messages"]]
    assert shown[-4:] == [
        ("staff", ANSWER),
        ("user", "письмо так и не пришло"),
        ("bot", SENT_TO_SPECIALIST.format(number=number)),
        ("user", "проверил спам, там тоже нет"),
    ]
    assert all(m.get("client_message_id") for m in history["messages"] if m["sender"] == "user")


async def test_a_resend_is_kept_once(chat: ChatRig) -> None:
    conversation = new_conversation()
    number = await chat_ticket(chat, conversation)
    await answer(chat, conversation, number)
    body = {"conversation_id": conversation, "client_message_id": "m-" + uuid.uuid4().hex, "text": "спасибо, пришло"}
    _, first = await chat.client.post("/chat/api/messages", json=body)
    await chat.configure()
    # A restart forgets the chat's memory of answered messages; only the database remembers.
    chat.app.ctx.container = dataclasses.replace(chat.app.ctx.container, replies=LocalReplyCache())
    _, again = await chat.client.post("/chat/api/messages", json=body)
    assert first.status == again.status == 200
    assert messages_of(await ticket(chat, number)) == ["спасибо, пришло"]


async def test_nothing_is_lost_while_the_bot_is_down(chat: ChatRig) -> None:
    conversation = new_conversation()
    number = await chat_ticket(chat, conversation)
    await answer(chat, conversation, number)
    chat.rasa.stop()
    status, body = await chat.send(conversation, "письмо так и не пришло")
    assert status == 200 and body["thread"] == {"ticket": number}
    assert body["messages"][0]["text"] == SENT_TO_SPECIALIST.format(number=number)
    assert messages_of(await ticket(chat, number)) == ["письмо так и не пришло"]


async def test_the_pupil_goes_back_to_the_bot_and_a_new_answer_opens_the_thread_again(chat: ChatRig) -> None:
    conversation = new_conversation()
    number = await chat_ticket(chat, conversation)
    await answer(chat, conversation, number)
    _, response = await chat.client.post("/chat/api/back-to-bot", json={"conversation_id": conversation})
    assert response.status == 200
    assert response.json == {"messages": [{"sender": "bot", "text": BACK_TO_BOT.format(number=number)}], "thread": None}
    _, history = await chat.history(conversation)
    assert history["thread"] is None and history["messages"][-1]["text"] == BACK_TO_BOT.format(number=number)
    status, body = await chat.send(conversation, "как записаться на профпробу?")
    assert status == 200 and chat.rasa.user_texts(conversation)[-1] == "как записаться на профпробу?"
    found = await ticket(chat, number)
    assert messages_of(found) == [] and found.events[-1].type == "back_to_bot"
    assert found.status.value == "answered"  # going back changes nothing else

    # A specialist writes again (a new question reopened it through the console): the thread opens again.
    async with chat.container.uow() as uow:
        reopened = await uow.tickets.get_by_number(number)
        assert reopened is not None
        lc.reopen(reopened, LINE1, datetime.now(UTC), comment="уточнение")
        await uow.tickets.save(reopened)
        await uow.commit()
    await answer(chat, conversation, number, "И ещё: проверьте папку «Спам».", questions=[1])
    _, history = await chat.history(conversation)
    assert history["thread"] == {"ticket": number}
    # Typed words work like the button, and are not a message for the specialist.
    status, body = await chat.send(conversation, "Вернуться к боту!")
    assert status == 200 and body["thread"] is None
    assert body["messages"][0]["text"] == BACK_TO_BOT.format(number=number)
    assert messages_of(await ticket(chat, number)) == []
    _, nothing = await chat.client.post("/chat/api/back-to-bot", json={"conversation_id": conversation})
    assert nothing.json == {"messages": [], "thread": None}


async def test_a_button_of_the_bot_goes_to_the_bot_and_so_does_what_follows(chat: ChatRig) -> None:
    conversation = new_conversation()
    await chat.send(conversation, "Здравствуйте")  # the greeting offers «Оставить обращение»
    number = await chat_ticket(chat, conversation)
    await answer(chat, conversation, number)
    status, body = await chat.send(conversation, payload="/open_appeal", display="Оставить обращение")
    assert status == 200 and chat.rasa.webhook_calls[-1]["message"] == "/open_appeal"
    assert body["thread"] is None
    # The new appeal's answers are the bot's, not messages for the specialist.
    status, body = await chat.send(conversation, "Татарстан")
    assert status == 200 and chat.rasa.webhook_calls[-1]["message"] == "Татарстан"
    found = await ticket(chat, number)
    assert messages_of(found) == [] and found.events[-1].type == "back_to_bot"
