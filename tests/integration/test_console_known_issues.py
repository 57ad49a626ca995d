# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""The known-issues board (§5.5): line 3 posts, line 1 sees it everywhere, links tickets, answers them all."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET

ISSUE = {
    "title": "Белый экран после второго вопроса теста",
    "description": "Ошибка в Chrome 120; исправление в релизе 2.4.",
    "keywords": "не загружается тест, белый экран",
    "status": "fixing",
    "expected_on": "2026-12-01",
}


async def post_issue(console: Console) -> int:
    response = await console["line3"].post("/console/known-issues", ISSUE)
    assert response.status == 303, response.text
    found = re.search(r"/console/known-issues/(\d+)", response.headers["location"])
    assert found
    return int(found.group(1))


async def test_line3_posts_and_line1_sees_it_on_every_screen(console: Console) -> None:
    assert (await console["line1"].post("/console/known-issues", ISSUE)).status == 403
    issue_id = await post_issue(console)
    number = await console.ticket()
    for path in ("/console/queue", "/console/dashboard", "/console/known-issues", ticket_path(number)):
        page = await console["line1"].get(path)
        assert "Известные проблемы:" in page.text and ISSUE["title"] in page.text, path
        assert "исправляем" in page.text and "01.12.2026" in page.text
    response = await console["line3"].post("/console/known-issues", {**ISSUE, "title": ""})
    assert response.status == 422 and "Укажите заголовок" in response.text
    page = await console["line3"].get(f"/console/known-issues/{issue_id}")
    assert "Изменить" in page.text


async def test_api_lists_active_issues_and_matches_a_question(console: Console) -> None:
    issue_id = await post_issue(console)
    api = console.api
    _, response = await api.client.get("/api/v1/known-issues?active=true", headers=api.headers("service"))
    assert response.status == 200
    assert [i["id"] for i in response.json["items"]] == [issue_id]
    assert response.json["items"][0]["status_label"] == "исправляем"
    _, response = await api.client.get(
        "/api/v1/known-issues/match?q=" + quote("У меня не загружается тест, белый экран"),
        headers=api.headers("service"),
    )
    assert response.json["issue"]["id"] == issue_id
    _, response = await api.client.get(
        "/api/v1/known-issues/match?q=" + quote("Как получить сертификат?"), headers=api.headers("service")
    )
    assert response.json == {"issue": None}
    _, response = await api.client.get("/api/v1/known-issues/match", headers=api.headers("service"))
    assert response.status == 422
    _, response = await api.client.get("/api/v1/known-issues")
    assert response.status == 401


async def test_fixed_issue_returns_tickets_and_one_action_answers_every_requester(console: Console) -> None:
    issue_id = await post_issue(console)
    olga, denis = console["line1"], console["line3"]
    first = await console.ticket()
    second = await console.ticket(
        {**CHAT_TICKET, "conversation_id": "chat-43", "login": "petrov", "email": "p@example.ru"}
    )
    answered = await console.ticket(
        {**CHAT_TICKET, "conversation_id": "chat-44", "login": "x", "email": "x@example.ru"}
    )
    for number in (first, second, answered):
        response = await olga.post(ticket_path(number, "link"), {"issue_id": str(issue_id)})
        assert response.status == 303
    response = await olga.post(ticket_path(first, "link"), {"issue_id": str(issue_id)})
    assert response.status == 409 and "уже связано" in response.text
    await olga.post(ticket_path(first, "claim"))
    await olga.post(ticket_path(first, "transfer"), {"line": "3", "comment": "Белый экран"})
    await olga.post(ticket_path(answered, "reply"), {"text": "Уже ответили"})
    console.sender.sent.clear()
    page = await olga.get(ticket_path(first))
    assert "Связано с известной проблемой" in page.text

    response = await denis.post(f"/console/known-issues/{issue_id}", {**ISSUE, "status": "fixed"})
    assert response.status == 200 and f"Возвращены на первую линию для ответа: {first}" in response.text
    page = await olga.get("/console/queue")
    assert "Известные проблемы:" not in page.text  # fixed issues leave the banner
    page = await olga.get(f"/console/known-issues/{issue_id}")
    assert "Ответить всем связанным заявителям" in page.text and "исправлена" in page.text
    response = await olga.post(
        f"/console/known-issues/{issue_id}/answer-all", {"text": "Ошибка исправлена, обновите страницу."}
    )
    assert response.status == 200
    assert "Ответ отправлен по 2 обращениям." in response.text
    assert f"{answered} — Отвечать заявителю нельзя: статус обращения — «дан ответ»." in response.text
    assert sorted(str(d.conversation_id) for d in console.sender.sent) == ["chat-42", "chat-43"]
    assert (await denis.post(f"/console/known-issues/{issue_id}/answer-all", {"text": "x"})).status == 403
