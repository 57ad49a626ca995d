# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Control characters, lone surrogates and bidi overrides at every entry (issue 13).

Free text (descriptions, subjects, messages, comments) is kept readable: control characters other
than line breaks and tabs and the bidi embeddings, overrides and isolates are removed, a lone
surrogate becomes U+FFFD. Identifiers and e-mails are refused outright when they carry anything
invisible: ``ivan\\u202e@mail.ru`` would show as another address.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.integration.chat_rig import ChatRig, chat, new_conversation  # noqa: F401
from tests.integration.conftest import Api
from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET, create

HOSTILE = "Не\x00 загружается\x1b[31m тест \u202eтxт\u2066 и\x7f ещё\x85 \ud800 конец\r\nвторая строка\tтаб"
CLEAN = "Не загружается[31m тест тxт и ещё \ufffd конец\nвторая строка\tтаб"


async def post_json(api: Api, path: str, body: dict[str, Any], role: str = "service") -> Any:
    """As a browser or a script would send it: a lone surrogate travels as the escape ``\\ud800``."""
    _, response = await api.client.post(
        path, content=json.dumps(body), headers=api.headers(role, **{"Content-Type": "application/json"})
    )
    return response


async def card(api: Api, number: str) -> dict[str, Any]:
    _, response = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=api.headers("line1"))
    assert response.status == 200
    return dict(response.json)


async def test_free_text_of_the_api_is_stored_neutralised(api: Api) -> None:
    body = {
        **CHAT_TICKET,
        "description": HOSTILE,
        "subject": "Тема\x00\u202e",
        "transcript": [{"sender": "user", "text": HOSTILE}],
    }
    response = await post_json(api, "/api/v1/tickets", body)
    assert response.status == 201, response.json
    ticket = await card(api, response.json["number"])
    assert ticket["description"] == CLEAN
    assert ticket["subject"] == "Тема"
    assert ticket["transcript"][0]["text"] == CLEAN
    response = await post_json(api, f"/api/v1/tickets/{quote(ticket['number'])}/messages", {"text": HOSTILE})
    assert response.status == 200
    assert response.json["transcript"][-1]["text"] == CLEAN


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "ivan\u202e@mail.ru"),
        ("email", "javascript:alert(1)//@example.ru"),
        ("email", "ivan\u200b@mail.ru"),
        ("email", "ivan@mail.ru\x00"),
        ("email", "<script>@example.ru"),
        ("login", "ivanov\u202e1102"),
        ("login", "ivan\u200dov"),
        ("login", "ivan\x00ov"),
        ("login", "ivan\ud800"),
    ],
)
async def test_identifiers_with_invisible_characters_are_refused(api: Api, field: str, value: str) -> None:
    response = await post_json(api, "/api/v1/tickets", {**CHAT_TICKET, field: value})
    assert response.status == 422
    message = response.json["error"]["fields"][field]
    assert any("а" <= ch <= "я" for ch in message), message  # a Russian explanation


async def test_ordinary_addresses_and_logins_still_pass(api: Api) -> None:
    for email, login in (("Ivan.Petrov+bvb@Example.ru", "ivanov_2011"), ("o'brien@mail.ru", "Анна.Петрова")):
        response = await create(api, {**CHAT_TICKET, "email": email, "login": login})
        assert response.status == 201, (email, response.json)
        assert response.json["email"] == email.lower()


async def test_a_nul_byte_in_a_chat_description_does_not_break_the_xlsx_export(console: Console) -> None:
    number = await console.ticket({**CHAT_TICKET, "description": "Белый экран\x00\x01 после второго вопроса"})
    response = await console["line1"].get("/console/queue/export.xlsx?tab=all")
    assert response.status == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert number in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


async def test_control_characters_stored_before_still_export(console: Console) -> None:
    """Rows written before the entries neutralised text: the export cleans its cells, not 500."""
    from sqlalchemy import update

    from ticketing.adapters.orm import tickets

    number = await console.ticket()
    async with console.api.app.ctx.container.engine.begin() as conn:
        stored = update(tickets).where(tickets.c.number == number).values(subject="Тема\x01\x0b конец")
        await conn.execute(stored)  # not a NUL: PostgreSQL cannot hold one
    response = await console["line1"].get("/console/queue/export.csv?tab=all")
    assert response.status == 200
    response = await console["line1"].get("/console/queue/export.xlsx?tab=all")
    assert response.status == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert "Тема конец" in {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)}


async def test_console_forms_neutralise_what_staff_type(console: Console) -> None:
    number = await console.ticket()
    olga = console["line1"]
    await olga.post(ticket_path(number, "claim"))
    response = await olga.post(ticket_path(number, "transfer"), {"line": "3", "comment": "Белый\x00 экран\u202e"})
    assert response.status == 303
    ticket = await card(console.api, number)
    _, response = await console.api.client.get(f"/api/v1/tickets/{quote(number)}", headers=console.api.headers("admin"))
    assert ticket["line"] == 3
    comments = [e["data"].get("comment") for e in response.json["history"] if e["type"] == "transferred"]
    assert comments == ["Белый экран"]


async def test_people_s_text_is_shown_isolated_from_the_page_s_direction(console: Console) -> None:
    """Right-to-left text that was not removed (Hebrew, Arabic) cannot reorder the labels around it."""
    number = await console.ticket({**CHAT_TICKET, "description": "שלום Не загружается тест", "login": "שלום1"})
    page = await console["line1"].get(ticket_path(number))
    assert "<dd><bdi>שלום1</bdi></dd>" in page.text
    queue = await console["line1"].get("/console/queue?tab=all")
    assert '<td class="subject"><bdi>שלום Не загружается тест</bdi></td>' in queue.text
    css = (await console["line1"].get("/console/static/console.css")).text
    rule = next(line for line in css.splitlines() if "unicode-bidi: isolate" in line)
    assert "bdi" in rule and ".text" in rule


async def test_the_chat_neutralises_and_a_lone_surrogate_is_no_500(chat: ChatRig) -> None:
    conversation = new_conversation()
    for path, body in (
        (
            "/chat/api/messages",
            {"conversation_id": conversation, "client_message_id": uuid.uuid4().hex, "text": HOSTILE},
        ),
        ("/chat/api/session", {"conversation_id": conversation, "token": "eyJ\ud800.x.y"}),
    ):
        _, response = await chat.client.post(
            path, content=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert response.status == 200, (path, response.text)
    [call] = chat.rasa.webhook_calls
    assert call["message"] == CLEAN


async def test_a_letter_is_neutralised_like_the_chat(api: Api) -> None:
    from email.message import EmailMessage

    from ticketing.domain.mail.letters import Limits
    from ticketing.domain.mail.requester import PymorphyNames
    from ticketing.domain.tickets import Channel
    from ticketing.services.mail_intake import IntakeRules, MailboxRef, MailIntake

    container = api.app.ctx.container
    intake = MailIntake(
        container.uow,
        screen=container.screening.screen,
        names=PymorphyNames(),
        calendar=lambda: container.calendar,
        clock=container.clock,
        rules=IntakeRules(limits=Limits(10_000_000, 25_000_000), incoming_format="{seq:05d}/ВХ-{year}"),
    )
    letter = EmailMessage()
    letter["From"] = "Иван Петров <ivan.petrov@example.ru>"
    letter["To"] = "bilet@worldskills.ru"
    letter["Subject"] = "Сертификат\u202e не приходит"
    letter.set_content("Здравствуйте!\x00 Не\x1b пришёл\u2067 сертификат.\n\nИван Петров")
    box = MailboxRef(name="project", channel=Channel.PROJECT_EMAIL, address="bilet@worldskills.ru")
    received = await intake.receive(box, "project:1:1", letter.as_bytes())
    assert received.outcome == "created" and received.ticket_number
    ticket = await card(api, received.ticket_number)
    assert ticket["subject"] == "Сертификат не приходит"
    assert ticket["description"].startswith("Здравствуйте! Не пришёл сертификат.")


async def test_known_issues_are_free_text_too(api: Api) -> None:
    """A known issue's title and keywords reach the console, the bot and pupils: they were stored as sent."""
    body = {"title": "Белый\x00 экран\u202e", "description": HOSTILE, "keywords": "тест\x1b", "status": "fixing"}
    response = await post_json(api, "/api/v1/known-issues", body, role="line3")
    assert response.status == 201, response.json
    assert response.json["title"] == "Белый экран" and response.json["description"] == CLEAN
    _, response = await api.client.get("/api/v1/known-issues", headers=api.headers("line1"))
    assert response.json["items"][0]["title"] == "Белый экран"


async def test_a_limit_counts_the_text_as_sent(api: Api) -> None:
    """The document says «not longer than N»: N+1 characters are refused even if some are control characters."""
    number = (await create(api)).json["number"]
    path = f"/api/v1/tickets/{quote(number)}/messages"
    response = await post_json(api, path, {"text": "а" * 9_998 + "\x00\x00\x00"})
    assert response.status == 422, response.json
    assert response.json["error"]["fields"]["text"] == "слишком длинно (не больше 10000 символов)"
    # An optional comment too: its limit sat on «text or null» and was counted after neutralising.
    response = await post_json(
        api, f"/api/v1/tickets/{quote(number)}/reopen", {"comment": "7" + "\x00" * 5000}, "line1"
    )
    assert response.status == 422, response.json
    assert response.json["error"]["fields"]["comment"] == "слишком длинно (не больше 5000 символов)"
    response = await create(api, {**CHAT_TICKET, "description": "\x1f\x1e"})  # was registered with no text
    assert response.status == 422, response.json
    response = await post_json(api, path, {"text": "\x00\u202e\x85"})
    assert response.status == 422
    assert response.json["error"]["fields"]["text"] == "только невидимые или управляющие символы: напишите текст"
