"""The personal account's token: a valid one pre-fills the form and greets; anything else is a site visitor."""

# ruff: noqa: F811 - the fixture is imported by name and then requested as a parameter
from __future__ import annotations

import asyncio
import base64
import json
import logging
import re

import jwt
import pytest

from tests.integration.chat_rig import SECRET, ChatRig, chat, new_conversation, platform_token  # noqa: F401


async def test_a_valid_token_fills_region_role_login_email_and_greets(chat: ChatRig) -> None:
    conversation = new_conversation()
    status, body = await chat.session(conversation, platform_token(region="респ. Татарстан", role="student"))
    assert status == 200 and body == {"identified": True, "login": "ivanov2011", "prefilled": "applied"}
    [(sender, events)] = chat.rasa.appended
    assert sender == conversation
    assert [e["event"] for e in events[:3]] == ["action", "session_started", "action"]  # see identity.py
    assert events[3:7] == [
        {"event": "slot", "name": "region", "value": "Республика Татарстан"},
        {"event": "slot", "name": "role", "value": "participant"},
        {"event": "slot", "name": "login", "value": "ivanov2011"},
        {"event": "slot", "name": "email", "value": "ivan.petrov@mail.ru"},
    ]
    greeting = events[7]
    assert greeting["event"] == "bot"
    assert greeting["text"] == (
        "Здравствуйте, ivanov2011! Вижу ваш регион — Республика Татарстан — и почту i…@mail.ru, "
        "переспрашивать не буду. Опишите, пожалуйста, ваш вопрос."
    )
    assert [b["payload"] for b in greeting["data"]["buttons"]] == ["/open_appeal", "/ticket_status"]

    _, history = await chat.history(conversation)
    assert [m["text"] for m in history["messages"]] == [greeting["text"]]
    # the greeting's buttons are ones the bot offered: pressing one goes through
    status, _ = await chat.send(conversation, payload="/open_appeal", display="Оставить обращение")
    assert status == 200


async def test_the_session_is_applied_once(chat: ChatRig) -> None:
    conversation = new_conversation()
    token = platform_token()
    await chat.session(conversation, token)
    status, body = await chat.session(conversation, token)
    assert status == 200 and body["prefilled"] == "already"
    assert len(chat.rasa.appended) == 1


async def test_concurrent_sessions_prefill_once(chat: ChatRig) -> None:
    chat.rasa.delay = 0.3  # the webhook only; appends are immediate
    conversation, token = new_conversation(), platform_token()
    results = await asyncio.gather(*(chat.session(conversation, token) for _ in range(3)))
    assert sorted(body["prefilled"] for _, body in results) == ["already", "already", "applied"]
    assert len(chat.rasa.appended) == 1


async def test_a_conversation_that_has_started_is_not_rewritten(chat: ChatRig) -> None:
    conversation = new_conversation()
    await chat.send(conversation, "я из Казани")
    status, body = await chat.session(conversation, platform_token())
    assert status == 200 and body["prefilled"] == "too_late"
    assert chat.rasa.appended == []


async def test_the_token_may_come_with_the_first_message(chat: ChatRig) -> None:
    conversation = new_conversation()
    status, _ = await chat.send(conversation, "не грузится тест", token=platform_token(name="Иван"))
    assert status == 200
    slots = chat.rasa.slots(conversation)
    assert slots["login"] == "ivanov2011" and slots["region"] == "Республика Татарстан"
    kinds = [e["event"] for e in chat.rasa.events[conversation]]
    assert kinds.index("slot") < kinds.index("user")  # filled before the bot read the message
    assert "Здравствуйте, Иван!" in chat.rasa.events[conversation][kinds.index("user") - 1]["text"]


def _unsigned(payload: dict[str, object], alg: str) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(payload)}.{'c2lnbmF0dXJl' if alg != 'none' else ''}"


FORGED = {
    "expired": lambda: platform_token(expires_in=-120),
    "wrong secret": lambda: platform_token("another-secret-of-someone-else-" + "x" * 64),
    "alg none": lambda: _unsigned({"login": "admin", "exp": 4_000_000_000}, "none"),
    "RS256 header": lambda: _unsigned({"login": "admin", "exp": 4_000_000_000}, "RS256"),
    "HS512": lambda: platform_token(algorithm="HS512"),
    "no exp": lambda: jwt.encode({"login": "ivanov2011"}, SECRET, algorithm="HS256"),
    "no login": lambda: platform_token(login=None),
    "odd login": lambda: platform_token(login="<script>alert(1)</script>"),
    "garbage": lambda: "not-a-jwt",
    "huge": lambda: "a" * 5000,
}


@pytest.mark.parametrize("kind", list(FORGED))
async def test_a_bad_token_makes_an_anonymous_visitor(
    chat: ChatRig, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = FORGED[kind]()
    conversation = new_conversation()
    with caplog.at_level(logging.WARNING, logger="ticketing.http.chat.identity"):
        status, body = await chat.session(conversation, token)
        assert status == 200 and body == {"identified": False}
        status, _ = await chat.send(conversation, "здравствуйте", token=token)
        assert status == 200
    assert chat.rasa.appended == [] and chat.rasa.slots(conversation) == {}
    refusals = [r for r in caplog.records if "platform token refused" in r.getMessage()]
    assert refusals and all(r.levelno == logging.WARNING for r in refusals)
    assert all(token not in r.getMessage() for r in refusals)


async def test_a_little_clock_skew_is_tolerated(chat: ChatRig) -> None:
    status, body = await chat.session(new_conversation(), platform_token(expires_in=-10))
    assert status == 200 and body["identified"] is True


async def test_claims_that_do_not_resolve_are_left_for_the_bot_to_ask(chat: ChatRig) -> None:
    conversation = new_conversation()
    token = platform_token(region="где-то далеко", email="не почта", role="superhero")
    status, body = await chat.session(conversation, token)
    assert status == 200 and body["identified"] is True
    [(_, events)] = chat.rasa.appended
    assert [e["name"] for e in events if e["event"] == "slot"] == ["login"]
    assert events[-1]["text"] == "Здравствуйте, ivanov2011! Опишите, пожалуйста, ваш вопрос."


async def test_the_demo_page_signs_a_token_for_the_account_mode(chat: ChatRig) -> None:
    _, page = await chat.client.get("/chat/demo", params={"mode": "account", "region": "16 регион"})
    assert page.status == 200 and "Личный кабинет" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    widget = re.search(r'<script src="/chat/widget.js" data-mode="account" data-token="([^"]+)"', page.text)
    assert widget, page.text
    token = widget[1]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["login"] == "ivanov2011" and claims["region"] == "16 регион"
    _, site = await chat.client.get("/chat/demo")
    assert site.status == 200 and '<script src="/chat/widget.js" data-mode="site" async>' in site.text


async def test_the_demo_is_off_with_a_real_secret(chat: ChatRig) -> None:
    await chat.configure(demo=False)
    _, page = await chat.client.get("/chat/demo")
    assert page.status == 404 and "CHAT_DEMO=1" in page.json["error"]["message"]
