"""A whole conversation over Rasa's REST channel, from the first message to a ticket (§5.6)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.e2e.conftest import Stack

NUMBER = re.compile(r"БВБ-\d{6}")

ANSWERS = {
    "region": "из Свердловской обл.",
    "role": "я ученик",
    "login": "ivanov2011",
    "email": "Ivan.Petrov@example.ru",
    "question_type": "технический",
    "description": "не загружается тест, после второго вопроса белый экран",
}


def say(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    return list(response.json())


def tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.rasa_url}/conversations/{sender}/tracker", timeout=30)
    response.raise_for_status()
    return dict(response.json())


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_from_first_message_to_a_ticket_with_every_5_6_1_field(stack: Stack) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, "Здравствуйте, не загружается тест, хочу оставить обращение")
    assert replies, "the bot said nothing"
    transcript = [texts(replies)]
    number = None
    for _ in range(15):
        state = tracker(stack, sender)
        requested = state["slots"].get("requested_slot")
        active = (state.get("active_loop") or {}).get("name")
        if active and requested:
            answer = ANSWERS[requested]
        else:
            answer = "да, всё верно"
        replies = say(stack, sender, answer)
        transcript.append(f"> {answer}\n{texts(replies)}")
        found = NUMBER.search(texts(replies))
        if found:
            number = found.group(0)
            break
    assert number, "no ticket number in the conversation:\n" + "\n".join(transcript)

    response = httpx.get(
        f"{stack.ticketing_url}/api/v1/tickets",
        params={"email": "ivan.petrov@example.ru"},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=10,
    )
    items = response.json()["items"]
    assert [t["number"] for t in items] == [number]
    ticket = items[0]
    assert ticket["region"] == "Свердловская область"
    assert ticket["role"] == "participant"
    assert ticket["login"] == "ivanov2011"
    assert ticket["question_type"] == "technical"
    assert ticket["channel"] == "chat" and ticket["line"] == 1 and ticket["status"] == "new"
    assert "белый экран" in ticket["description"]
    assert ticket["conversation_id"] == sender
    assert any("не загружается тест" in line["text"] for line in ticket["transcript"])

    status = say(stack, sender, f"что с моим обращением {number}?")
    assert number in texts(status) or "зарегистрировано" in texts(status), texts(status)


def test_a_known_issue_line3_published_is_mentioned_and_the_ticket_is_linked_and_answered(stack: Stack) -> None:
    """The console tells line 1 «бот упоминает их, когда вопрос похож» (§5.5): the real bot does, and links it."""
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    published = httpx.post(
        f"{stack.ticketing_url}/api/v1/known-issues",
        json={
            "title": "Не открывается профпроба после обновления",
            "description": "Ошибка в релизе 2.4; откатываем.",
            "status": "fixing",
            "expected_on": "2099-12-01",
        },
        headers=admin,
        timeout=10,
    )
    assert published.status_code == 201, published.text
    issue_id = published.json()["id"]

    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    answers = {
        **ANSWERS,
        "email": "maria.kuznetsova@example.ru",
        "description": "после обновления не открывается профпроба, крутится загрузка",
    }
    said = [texts(say(stack, sender, "хочу оставить обращение"))]
    number = None
    for _ in range(15):
        state = tracker(stack, sender)
        requested = state["slots"].get("requested_slot")
        answer = answers[requested] if (state.get("active_loop") or {}).get("name") and requested else "да, всё верно"
        said.append(texts(say(stack, sender, answer)))
        found = NUMBER.search(said[-1])
        if found:
            number = found.group(0)
            break
    transcript = "\n".join(said)
    assert number, "no ticket number in the conversation:\n" + transcript
    assert "Похоже, мы уже знаем об этой проблеме: «Не открывается профпроба после обновления»" in transcript
    assert "Обещают исправить до 1 декабря 2099 г." in transcript

    ticket = httpx.get(f"{stack.ticketing_url}/api/v1/tickets/{number}", headers=admin, timeout=10).json()
    assert [e["data"]["issue_id"] for e in ticket["history"] if e["type"] == "known_issue_linked"] == [issue_id]

    resolved = httpx.post(
        f"{stack.ticketing_url}/api/v1/known-issues/{issue_id}/resolve",
        json={"text": "Профпробу починили: обновите страницу."},
        headers=admin,
        timeout=10,
    )
    assert resolved.status_code == 200 and resolved.json()["answered"] == [number], resolved.text
