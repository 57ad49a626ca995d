"""Known issues through the API (§5.5): line 3 publishes and resolves, a bot's ticket is linked, all are answered."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create

ISSUE: dict[str, Any] = {
    "title": "Белый экран после второго вопроса теста",
    "description": "Ошибка в Chrome 120; исправление в релизе 2.4.",
    "status": "fixing",
    "expected_on": "2026-12-01",
}
FIXED = "Ошибку с белым экраном исправили. Обновите страницу и пройдите тест заново."


async def publish(api: Api, body: dict[str, Any] | None = None, role: str = "line3") -> Any:
    _, response = await api.client.post("/api/v1/known-issues", json=body or ISSUE, headers=api.headers(role))
    return response


async def resolve(api: Api, issue_id: Any, body: dict[str, Any] | None = None, role: str = "line3") -> Any:
    _, response = await api.client.post(
        f"/api/v1/known-issues/{issue_id}/resolve", json=body or {"text": FIXED}, headers=api.headers(role)
    )
    return response


async def test_line3_and_admins_publish_and_the_bot_finds_it(api: Api) -> None:
    for role in ("service", "line1", "line2_tatarstan"):
        assert (await publish(api, role=role)).status == 403, role
    response = await publish(api)
    assert response.status == 201, response.json
    issue = response.json
    assert isinstance(issue["id"], int) and response.headers["location"] == f"/api/v1/known-issues/{issue['id']}"
    assert (issue["title"], issue["status"], issue["expected_on"]) == (ISSUE["title"], "fixing", "2026-12-01")
    assert (await publish(api, {**ISSUE, "title": "Нет письма для входа"}, role="admin")).status == 201
    # The console's claim «бот упоминает их, когда вопрос похож» rests on this answer.
    _, found = await api.client.get(
        "/api/v1/known-issues/match?q=" + quote("после второго вопроса теста белый экран"),
        headers=api.headers("service"),
    )
    assert found.json["issue"]["id"] == issue["id"]


async def test_bad_input_gets_a_russian_422_that_names_the_field(api: Api) -> None:
    response = await publish(api, {**ISSUE, "status": "broken", "expected_on": "1 декабря"})
    assert response.status == 422
    fields = response.json["error"]["fields"]
    assert "допустимые значения" in fields["status"] and " или " in fields["status"]
    assert fields["expected_on"] == "дата в виде ГГГГ-ММ-ДД, например 2026-11-27"
    response = await publish(api, {"description": "без заголовка", "status": "fixing"})
    assert response.status == 422 and response.json["error"]["fields"] == {"title": "обязательное поле"}
    response = await publish(api, {**ISSUE, "title": "   "})
    assert response.status == 422 and response.json["error"]["fields"]["title"] == "не может быть пустым"
    for number in (0, 20261201, 1.5, True):  # pydantic alone took 0 for 1970-01-01 (Schemathesis)
        response = await publish(api, {**ISSUE, "expected_on": number})
        assert response.status == 422, number
        assert response.json["error"]["fields"]["expected_on"] == "дата в виде ГГГГ-ММ-ДД, например 2026-11-27"
    response = await publish(api, {**ISSUE, "severity": "high"})
    assert response.status == 422 and response.json["error"]["fields"] == {"severity": "неизвестное поле"}

    issue_id = (await publish(api)).json["id"]
    response = await resolve(api, issue_id, {"text": ""})
    assert response.status == 422 and response.json["error"]["fields"]["text"] == "не может быть пустым"
    for missing in ("999999", "abc"):
        response = await resolve(api, missing)
        assert response.status == 404 and "Известной проблемы" in response.json["error"]["message"], missing
    _, ticket = await api.client.post(
        "/api/v1/tickets", json={**CHAT_TICKET, "known_issue_id": 0}, headers=api.headers("service")
    )
    assert ticket.status == 422 and ticket.json["error"]["fields"] == {"known_issue_id": "больше 0"}


async def test_a_ticket_the_bot_opens_is_linked_and_resolve_answers_everyone(api: Api) -> None:
    issue_id = (await publish(api)).json["id"]
    linked = await create(api, {**CHAT_TICKET, "known_issue_id": issue_id}, **{"Idempotency-Key": "k-1"})
    assert linked.status == 201, linked.json
    number = linked.json["number"]
    again = await create(api, {**CHAT_TICKET, "known_issue_id": issue_id}, **{"Idempotency-Key": "k-1"})
    assert again.status == 200 and again.json["number"] == number  # a replay: one link, not two
    by_mail = await create(api, {**CHAT_TICKET, "conversation_id": "chat-43", "known_issue_id": issue_id})
    unrelated = (await create(api, {**CHAT_TICKET, "conversation_id": "chat-44"})).json["number"]
    # One of them went on to line 3 meanwhile: the fix brings it back and answers it too.
    _, moved = await api.client.post(
        f"/api/v1/tickets/{quote(by_mail.json['number'])}/transfer",
        json={"line": 3, "comment": "белый экран, инструкция не помогла"},
        headers=api.headers("line1"),
    )
    assert moved.status == 200, moved.json

    _, history = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=api.headers("line1"))
    links = [e for e in history.json["history"] if e["type"] == "known_issue_linked"]
    assert [e["data"]["issue_id"] for e in links] == [issue_id]
    for role in ("service", "line1", "line2_tatarstan"):
        assert (await resolve(api, issue_id, role=role)).status == 403, role

    response = await resolve(api, issue_id)
    assert response.status == 200, response.json
    assert response.json["issue"]["status"] == "fixed"
    assert sorted(response.json["answered"]) == sorted([number, by_mail.json["number"]])
    assert response.json["skipped"] == {}
    for answered in response.json["answered"]:
        _, ticket = await api.client.get(f"/api/v1/tickets/{quote(answered)}", headers=api.headers("line1"))
        assert ticket.json["status"] == "answered" and ticket.json["line"] == 1
        answer = [e for e in ticket.json["history"] if e["type"] == "answered"][-1]
        assert answer["data"]["text"] == FIXED and answer["actor"] == "dev-support"
        assert {d["channel"] for d in ticket.json["deliveries"]} == {"chat", "email"}  # §6.3: by its channel
    _, untouched = await api.client.get(f"/api/v1/tickets/{quote(unrelated)}", headers=api.headers("line1"))
    assert untouched.json["status"] == "new"

    # Fixed: no longer active, so the bot stops mentioning it and new tickets are not linked to it.
    _, found = await api.client.get(
        "/api/v1/known-issues/match?q=" + quote("белый экран после второго вопроса теста"),
        headers=api.headers("service"),
    )
    assert found.json["issue"] is None
    late = await create(api, {**CHAT_TICKET, "conversation_id": "chat-45", "known_issue_id": issue_id})
    _, late_ticket = await api.client.get(f"/api/v1/tickets/{quote(late.json['number'])}", headers=api.headers("line1"))
    assert not [e for e in late_ticket.json["history"] if e["type"] == "known_issue_linked"]
    # A second resolve answers nobody twice.
    again = await resolve(api, issue_id)
    assert again.json["answered"] == [] and set(again.json["skipped"]) == {number, by_mail.json["number"]}
