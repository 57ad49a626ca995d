"""The web chat's proxy to Rasa: what reaches the bot, what does not, and what the widget is told."""

# ruff: noqa: F811 - the fixture is imported by name and then requested as a parameter
from __future__ import annotations

import asyncio
import re
import socket
import uuid

from tests.integration.chat_rig import ChatRig, chat, new_conversation, settle_minute  # noqa: F401


async def test_a_message_is_proxied_with_the_conversation_as_sender_and_no_secrets(chat: ChatRig) -> None:
    conversation = new_conversation()
    status, body = await chat.send(conversation, "Здравствуйте", token="eyJ.not-a-token.x")
    assert status == 200
    assert body["messages"] == [
        {
            "sender": "bot",
            "text": "Здравствуйте! Я бот поддержки.",
            "buttons": [
                {"title": "Оставить обращение", "payload": "/open_appeal"},
                {"title": "Узнать статус обращения", "payload": "/ticket_status"},
            ],
        }
    ]
    [call] = chat.rasa.webhook_calls
    assert call["sender"] == conversation and call["message"] == "Здравствуйте"
    assert set(call["metadata"]) == {"widget"} and set(call["metadata"]["widget"]) == {"client_message_id"}
    assert "token" not in str(call)


async def test_a_button_sends_its_payload_and_history_shows_its_title(chat: ChatRig) -> None:
    conversation = new_conversation()
    await chat.send(conversation, "Здравствуйте")
    status, body = await chat.send(conversation, payload="/open_appeal", display="Оставить обращение")
    assert status == 200 and "информационный или технический" in body["messages"][0]["text"]
    assert chat.rasa.webhook_calls[-1]["message"] == "/open_appeal"
    _, history = await chat.history(conversation)
    assert [(m["sender"], m["text"]) for m in history["messages"]][-2] == ("user", "Оставить обращение")


async def test_a_payload_the_bot_never_offered_is_refused(chat: ChatRig) -> None:
    conversation = new_conversation()
    await chat.send(conversation, "привет")  # the echo answer has no buttons
    status, body = await chat.send(conversation, payload='/inform{"email": "someone@else.ru"}')
    assert status == 422 and body["error"]["code"] == "stale_button"
    assert "кнопка" in body["error"]["message"]
    assert len(chat.rasa.webhook_calls) == 1


async def test_typed_text_is_never_an_intent(chat: ChatRig) -> None:
    status, _ = await chat.send(new_conversation(), "/restart")
    assert status == 200 and chat.rasa.webhook_calls[-1]["message"] == "restart"


async def test_a_resend_with_the_same_client_message_id_is_answered_once(chat: ChatRig) -> None:
    conversation = new_conversation()
    body = {"conversation_id": conversation, "client_message_id": "m-" + uuid.uuid4().hex, "text": "не грузится тест"}
    _, first = await chat.client.post("/chat/api/messages", json=body)
    _, again = await chat.client.post("/chat/api/messages", json=body)
    assert first.status == again.status == 200
    assert again.json["messages"] == first.json["messages"] and again.json["duplicate"] is True
    assert len(chat.rasa.webhook_calls) == 1


async def test_concurrent_resends_wait_for_the_first_turn(chat: ChatRig) -> None:
    chat.rasa.delay = 0.5
    body = {"conversation_id": new_conversation(), "client_message_id": "m-" + uuid.uuid4().hex, "text": "вопрос"}
    results = await asyncio.gather(*(chat.client.post("/chat/api/messages", json=body) for _ in range(3)))
    assert [r.status for _, r in results] == [200, 200, 200]
    assert len(chat.rasa.webhook_calls) == 1


async def test_size_limit_is_checked_before_rasa(chat: ChatRig) -> None:
    status, body = await chat.send(new_conversation(), "а" * 2001)
    assert status == 413 and body["error"]["code"] == "message_too_long"
    assert "2001 символов, можно до 2000" in body["error"]["message"]
    status, body = await chat.send(new_conversation(), "   ")
    assert status == 422 and "Пустое сообщение" in body["error"]["message"]
    _, response = await chat.client.post("/chat/api/messages", content=b"x" * 20_000)
    assert response.status == 413
    assert chat.rasa.webhook_calls == []


async def test_conversation_ids_must_be_uuid4(chat: ChatRig) -> None:
    for bad in ("default", "../../model", str(uuid.uuid1()), ""):
        status, body = await chat.send(bad, "привет")
        assert status == 422 and body["error"]["code"] == "invalid_conversation_id", bad
        status, body = await chat.history(bad)
        assert status == 422, bad
    assert chat.rasa.webhook_calls == [] and chat.rasa.tracker_queries == []


async def test_a_flooding_conversation_gets_429_while_another_proceeds(chat: ChatRig) -> None:
    settle_minute()
    flood, calm = new_conversation(), new_conversation()
    statuses = [(await chat.send(flood, f"сообщение {i}", ip="10.0.0.1"))[0] for i in range(23)]
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429] * 3
    status, body = await chat.send(flood, "ещё", ip="10.0.0.1")
    assert status == 429 and "Слишком много сообщений" in body["error"]["message"]
    assert (await chat.send(calm, "а у меня вопрос", ip="10.0.0.2"))[0] == 200
    assert len([c for c in chat.rasa.webhook_calls if c["sender"] == flood]) == 20


async def test_one_address_is_limited_across_conversations(chat: ChatRig) -> None:
    await chat.configure(messages_per_ip_per_minute=5)
    settle_minute()
    statuses = [(await chat.send(new_conversation(), "привет", ip="10.0.0.7"))[0] for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert (await chat.send(new_conversation(), "привет", ip="10.0.0.8"))[0] == 200
    assert len(chat.rasa.webhook_calls) == 6


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_rasa_down_is_503_in_russian_and_the_resend_goes_through_later(chat: ChatRig) -> None:
    alive = chat.app.ctx.chat_settings.rasa_url
    await chat.configure(rasa_url=f"http://127.0.0.1:{_dead_port()}")
    conversation = new_conversation()
    body = {"conversation_id": conversation, "client_message_id": "m-" + uuid.uuid4().hex, "text": "вы тут?"}
    _, response = await chat.client.post("/chat/api/messages", json=body)
    assert response.status == 503 and response.headers["retry-after"] == "5"
    assert response.json["error"]["message"].startswith("Нет связи с ботом. Сообщение сохранено")
    status, _ = await chat.history(conversation)
    assert status == 503

    await chat.configure(rasa_url=alive)
    _, response = await chat.client.post("/chat/api/messages", json=body)
    assert response.status == 200 and response.json["messages"][0]["text"] == "Вы написали: вы тут?"
    assert chat.rasa.user_texts(conversation) == ["вы тут?"]


async def test_a_timed_out_turn_is_not_sent_twice(chat: ChatRig) -> None:
    chat.rasa.delay = 1.5
    await chat.configure(rasa_timeout_seconds=0.5)
    conversation = new_conversation()
    body = {"conversation_id": conversation, "client_message_id": "m-" + uuid.uuid4().hex, "text": "долгий вопрос"}
    _, response = await chat.client.post("/chat/api/messages", json=body)
    assert response.status == 503
    await asyncio.sleep(1.5)  # Rasa finishes the turn anyway
    chat.rasa.delay = 0
    _, response = await chat.client.post("/chat/api/messages", json=body)
    assert response.status == 200 and response.json["duplicate"] is True
    assert response.json["messages"][0]["text"] == "Вы написали: долгий вопрос"
    assert chat.rasa.user_texts(conversation) == ["долгий вопрос"]


async def test_history_has_user_bot_and_staff_messages_with_a_cursor(chat: ChatRig) -> None:
    conversation = new_conversation()
    body = {"conversation_id": conversation, "client_message_id": "first-message-1", "text": "не грузится тест"}
    await chat.client.post("/chat/api/messages", json=body)
    status, history = await chat.history(conversation)
    assert status == 200
    assert [(m["sender"], m["text"]) for m in history["messages"]] == [
        ("user", "не грузится тест"),
        ("bot", "Вы написали: не грузится тест"),
    ]
    assert history["messages"][0]["client_message_id"] == "first-message-1"
    cursor = history["next"]

    chat.rasa.staff_reply(conversation, "Очистите кэш: https://bilet.worldskills.ru/help. <b>Ответ</b>", "БВБ-000123")
    _, later = await chat.history(conversation, after=cursor)
    [reply] = later["messages"]
    assert reply["sender"] == "staff" and reply["ticket"] == "БВБ-000123"
    assert reply["text"].endswith("<b>Ответ</b>")  # text, the widget shows it as such
    assert later["next"] == cursor + 1
    _, nothing_new = await chat.history(conversation, after=later["next"])
    assert nothing_new["messages"] == []
    assert all(q.get("include_events") == ["ALL"] for q in chat.rasa.tracker_queries)


async def test_the_rasa_token_goes_to_the_http_api_only(chat: ChatRig) -> None:
    await chat.configure(rasa_token="rasa-secret")
    conversation = new_conversation()
    await chat.send(conversation, "привет")
    await chat.history(conversation)
    assert chat.rasa.tracker_queries[-1]["token"] == ["rasa-secret"]
    assert "rasa-secret" not in str(chat.rasa.webhook_calls)


async def test_the_widget_files_are_served(chat: ChatRig) -> None:
    _, script = await chat.client.get("/chat/widget.js")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "window.BiletChat" in script.text
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", script.text)
    _, style = await chat.client.get("/chat/widget.css")
    assert style.status == 200 and style.headers["content-type"].startswith("text/css")
