# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Access to personal data is recorded: who, when, what, from which address (152-ФЗ; ASVS V7.1, V8.3).

And the administrator's routes for one person's data on request: ``/api/v1/admin/pd/…``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.integration.conftest import Api
from tests.integration.console_helpers import Console, cheap_password_hashes, console, ticket_path  # noqa: F401
from tests.integration.test_api_tickets import CHAT_TICKET, create
from tests.integration.test_api_transitions import post


async def access_log(api: Api, **query: str) -> list[dict[str, Any]]:
    _, response = await api.client.get("/api/v1/admin/pd/access", params=query, headers=api.headers("admin"))
    assert response.status == 200, response.json
    return list(response.json)


async def test_reading_a_ticket_by_api_is_recorded_with_the_token_and_the_address(api: Api) -> None:
    number = (await create(api)).json["number"]
    assert await access_log(api) == []  # registering is not reading
    _, response = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=api.headers("line1"))
    assert response.status == 200
    (entry,) = await access_log(api)
    assert entry["actor"] == "token:operator-1" and entry["role"] == "line1"
    assert entry["action"] == "ticket_api" and entry["action_ru"] == "прочитал обращение через API"
    assert entry["tickets"] == [number] and entry["address"] and entry["at"].endswith("+03:00")


async def test_opening_a_card_and_exporting_a_list_in_the_console_are_recorded(console: Console) -> None:
    number = await console.ticket({**CHAT_TICKET, "email": "maria.ivanova@mail.ru"})
    olga = console["line1"]
    assert (await olga.get(ticket_path(number))).status == 200
    searched = await olga.post("/console/queue", {"tab": "new", "q": "maria.ivanova@mail.ru"})
    assert searched.status == 303 and "maria" not in searched.headers["location"]
    export = await olga.get("/console/queue/export.xlsx?tab=new")
    assert export.status == 200
    entries = await access_log(console.api)
    assert [(e["action"], e["actor"], e["tickets"]) for e in reversed(entries)] == [
        ("ticket_card", "staff:line1", [number]),
        ("list_export", "staff:line1", [number]),
    ]
    assert "maria.ivanova" not in entries[0]["subject"]  # the filter is kept, its address masked
    assert "поиск: ma***@mail.ru" in entries[0]["subject"]
    assert entries[0]["subject"].startswith("/console/queue/export.xlsx")


async def test_the_admin_exports_and_erases_one_persons_data_but_not_an_open_ticket(api: Api) -> None:
    closed = (await create(api)).json["number"]
    assert (await post(api, closed, "answer", "line1", {"text": "Обновите страницу."})).status == 200
    still_open = (await create(api, {**CHAT_TICKET, "conversation_id": "chat-44"})).json["number"]

    _, refused = await api.client.get(
        "/api/v1/admin/pd/export?email=ivan.petrov@example.ru", headers=api.headers("line1")
    )
    assert refused.status == 403
    _, bad = await api.client.get("/api/v1/admin/pd/export?email=ivan", headers=api.headers("admin"))
    assert bad.status == 422 and "не похоже на адрес" in bad.json["error"]["message"]
    _, exported = await api.client.get(
        "/api/v1/admin/pd/export?email=Ivan.Petrov@Example.ru", headers=api.headers("admin")
    )
    assert exported.status == 200
    assert [t["number"] for t in exported.json["tickets"]] == [closed, still_open]

    _, erased = await api.client.post(
        "/api/v1/admin/pd/erase", json={"email": "ivan.petrov@example.ru"}, headers=api.headers("admin")
    )
    assert erased.status == 409
    message = erased.json["error"]["message"]
    assert f"Не обезличены открытые обращения: {still_open}" in message and f"Обезличены: {closed}." in message
    _, again = await api.client.get(
        "/api/v1/admin/pd/export?email=ivan.petrov@example.ru", headers=api.headers("admin")
    )
    assert [t["number"] for t in again.json["tickets"]] == [still_open]
    log = await access_log(api)
    assert [(e["action"], e["actor"], e["subject"]) for e in reversed(log)] == [
        ("pd_export", "token:admin", "iv***@example.ru"),
        ("pd_erase", "token:admin", "iv***@example.ru"),
        ("pd_export", "token:admin", "iv***@example.ru"),
    ]
