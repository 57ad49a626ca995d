# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Edge values a probe sent (issue 13, low): each is a Russian 422 a person can act on, never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.integration.chat_rig import ChatRig, chat, new_conversation, settle_minute  # noqa: F401
from tests.integration.conftest import Api
from tests.integration.console_helpers import Console, cheap_password_hashes, console  # noqa: F401
from tests.integration.test_api_tickets import CHAT_TICKET, create

LATIN_WORDS = re.compile(r"\b(?:Input|should|valid|field|value|must|Field)\b")


def russian_422(response: object, field: str) -> str:
    assert response.status == 422, response.text  # type: ignore[attr-defined]
    error = response.json["error"]  # type: ignore[attr-defined]
    message = str(error.get("fields", {}).get(field) or error["message"])
    assert not LATIN_WORDS.search(message), message
    assert re.search("[а-яА-Я]", message), message
    return message


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/tickets?offset=9223372036854775808", "offset"),
        ("/api/v1/tickets?offset=99999999999", "offset"),
        ("/api/v1/tickets?limit=99999999999999999999", "limit"),
        ("/api/v1/audit?offset=9223372036854775808", "offset"),
        ("/api/v1/stats?since=0001-01-01", "since"),
        ("/api/v1/stats?until=9999-12-31", "until"),
        ("/api/v1/stats?until=0.5", "until"),
        ("/api/v1/stats?since=1764235800", "since"),
        ("/api/v1/stats?since=вчера", "since"),
        ("/api/v1/audit?since=0001-01-01", "since"),
        ("/api/v1/audit?until=9999-12-31T23:59:59", "until"),
        ("/api/v1/registration-cards?since=0001-01-01", "since"),
        ("/api/v1/registration-cards?until=9999-12-31", "until"),
    ],
)
async def test_out_of_range_and_odd_query_values_are_a_russian_422(api: Api, path: str, field: str) -> None:
    _, response = await api.client.get(path, headers=api.headers("admin"))
    russian_422(response, field)


async def test_ordinary_periods_still_work(api: Api) -> None:
    await create(api)
    for path in (
        "/api/v1/stats?since=2026-11-01&until=2026-12-01",
        "/api/v1/stats?since=2026-11-27T00:00:00%2B03:00",
        "/api/v1/audit?since=2026-11-01",
        "/api/v1/registration-cards?since=2026-11-01&until=2026-11-30",
        "/api/v1/tickets?offset=100000",
    ):
        _, response = await api.client.get(path, headers=api.headers("admin"))
        assert response.status == 200, (path, response.text)


async def test_validation_messages_are_russian(api: Api) -> None:
    body = {**CHAT_TICKET, "transcript": [{"sender": "user", "text": "x", "timestamp": "завтра"}], "kind": 5}
    _, response = await api.client.post("/api/v1/tickets", json=body, headers=api.headers("service"))
    assert response.status == 422
    for field, message in response.json["error"]["fields"].items():
        assert not LATIN_WORDS.search(message), (field, message)
    _, response = await api.client.put(
        "/api/v1/calendar/days/2026-11-30", json={"working": "может быть", "note": "x"}, headers=api.headers("admin")
    )
    assert russian_422(response, "working")


async def test_the_console_static_folder_itself_is_a_404_not_a_500(console: Console) -> None:
    for path in ("/console/static/", "/console/static", "/console/static/../templates/base.html"):
        response = await console["line1"].get(path)
        assert response.status == 404, (path, response.status)


async def test_every_429_says_when_to_come_back(chat: ChatRig) -> None:
    settle_minute()
    await chat.configure(messages_per_minute=2)
    conversation = new_conversation()
    statuses = []
    for _ in range(3):
        _, response = await chat.client.post(
            "/chat/api/messages",
            json={"conversation_id": conversation, "client_message_id": new_conversation(), "text": "привет"},
        )
        statuses.append(response.status)
    assert statuses == [200, 200, 429]
    assert 0 < int(response.headers["retry-after"]) <= 60


async def test_the_per_requester_limit_of_the_api_says_when_to_come_back(api: Api) -> None:
    api.app.ctx.container.settings = api.app.ctx.container.settings  # the limit is the default one
    limit = api.app.ctx.container.settings.tickets_per_requester_per_hour
    response = None
    for n in range(limit + 1):
        response = await create(api, {**CHAT_TICKET, "description": f"Вопрос номер {n}: не загружается тест"})
    assert response is not None and response.status == 429
    assert 0 < int(response.headers["retry-after"]) <= 3600


async def test_responses_with_personal_data_are_not_cached_or_sniffed(api: Api) -> None:
    number = (await create(api)).json["number"]
    for path in ("/api/v1/tickets", f"/api/v1/tickets/{quote(number)}", "/api/v1/stats"):
        _, response = await api.client.get(path, headers=api.headers("admin"))
        assert response.status == 200
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff", path
    _, response = await api.client.get("/api/v1/tickets")  # an error is no page to keep either
    assert response.headers["cache-control"] == "no-store"
    _, response = await api.client.get("/help/")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_405_names_the_methods_allowed(api: Api) -> None:
    _, response = await api.client.delete("/api/v1/tickets", headers=api.headers("admin"))
    assert response.status == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.json["error"]["message"] == "Этот метод здесь не поддерживается."


async def test_405_names_the_methods_of_a_path_with_a_handler_per_method(api: Api) -> None:
    """GET, PUT and DELETE of an operator are three handlers: Sanic's router named none of them (Schemathesis)."""
    for url in ("/api/v1/operators/Татарстан", "/api/v1/calendar/days/2026-12-31"):
        _, response = await api.client.request("TRACE", url, headers=api.headers("admin"))
        assert response.status == 405, url
        assert response.headers.get("allow") == ("DELETE, GET, PUT" if "operators" in url else "DELETE, PUT"), url
