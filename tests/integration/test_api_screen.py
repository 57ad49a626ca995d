"""Screening through the API and on registration (§4.7, §4.8): one engine for chat and mail."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("не работает login, error 500", "ok"),
        ("Добрий день, не можу зареєструватися на платформі", "foreign_language"),
        ("I can't log in to my account, please help", "foreign_language"),
        ("вы там совсем идиоты?", "abusive"),
        ("я приду и взорву вашу школу", "threat"),
        ("этот тест меня убивает", "ok"),
    ],
)
async def test_screen_contract(api: Api, text: str, verdict: str) -> None:
    _, response = await api.client.post("/api/v1/screen", json={"text": text}, headers=api.headers("service"))
    assert response.status == 200
    assert response.json["verdict"] == verdict
    assert set(response.json) == {"verdict", "language", "reasons", "no_question"}


async def test_screen_needs_a_token_and_text(api: Api) -> None:
    _, response = await api.client.post("/api/v1/screen", json={"text": "привет"})
    assert response.status == 401
    _, response = await api.client.post("/api/v1/screen", json={}, headers=api.headers("line3"))
    assert response.status == 422 and response.json["error"]["fields"]["text"] == "обязательное поле"


async def test_a_threat_is_registered_and_left_without_answer(api: Api) -> None:
    response = await create(api, {**CHAT_TICKET, "description": "если не исправите, я приду и взорву вашу школу"})
    assert response.status == 201
    ticket = response.json
    assert (ticket["status"], ticket["resolution_reason"]) == ("left_without_answer", "threat")
    assert ticket["description"].startswith("если не исправите")  # kept for line 1, never dropped


async def test_a_clean_request_stays_new_with_the_verdict_in_history(api: Api) -> None:
    number = (await create(api)).json["number"]
    _, response = await api.client.get(f"/api/v1/tickets/{number}", headers=api.headers("line1"))
    screened = [e for e in response.json["history"] if e["type"] == "screened"]
    assert screened and screened[0]["data"]["verdict"] == "ok"
    assert response.json["status"] == "new"


async def test_an_anonymous_threat_from_the_chat_still_reaches_line_1(api: Api) -> None:
    body = {"channel": "chat", "description": "я вас всех взорву", "conversation_id": "anon-1"}
    response = await create(api, body)
    assert response.status == 201
    assert (response.json["status"], response.json["resolution_reason"]) == ("left_without_answer", "threat")
    clean = await create(api, {**body, "description": "не работает тест"})
    assert clean.status == 422  # a clean chat request still needs the §5.6.1 data
