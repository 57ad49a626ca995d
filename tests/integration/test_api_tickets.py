"""The ticket API on SQLite and on the machine's PostgreSQL (every test runs on both)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.integration.conftest import Api

CHAT_TICKET: dict[str, Any] = {
    "channel": "chat",
    "kind": "info_request",
    "question_type": "technical",
    "region": "Республика Татарстан",
    "role": "participant",
    "login": "ivanov2011",
    "email": "Ivan.Petrov@Example.ru",
    "description": "Не загружается тест, белый экран после второго вопроса",
    "transcript": [
        {"sender": "user", "text": "Здравствуйте, не загружается тест", "timestamp": 1764235800.0},
        {"sender": "bot", "text": "Из какого вы региона?", "timestamp": 1764235801.0},
    ],
    "conversation_id": "chat-42",
}


async def create(api: Api, body: dict[str, Any] | None = None, role: str = "service", **headers: str) -> Any:
    _, response = await api.client.post(
        "/api/v1/tickets", json=body or CHAT_TICKET, headers=api.headers(role, **headers)
    )
    return response


async def test_openapi_document_is_public_and_lists_the_routes(api: Api) -> None:
    _, response = await api.client.get("/api/v1/openapi.json")
    assert response.status == 200
    paths = response.json["paths"]
    assert {"/api/v1/tickets", "/api/v1/tickets/{number}", "/api/v1/regions/resolve"} <= set(paths)
    assert "TicketIn" in response.json["components"]["schemas"]


async def test_every_api_route_needs_a_token(api: Api) -> None:
    for path in (
        "/api/v1/tickets",
        "/api/v1/tickets/БВБ-000001",
        "/api/v1/regions",
        "/api/v1/regions/resolve?q=Казань",
    ):
        _, response = await api.client.get(path)
        assert response.status == 401, path
        assert "Authorization: Bearer" in response.json["error"]["message"]
    _, response = await api.client.get("/api/v1/tickets", headers={"Authorization": "Bearer bvb_forged"})
    assert response.status == 401
    assert response.json["error"]["message"].startswith("Токен не найден")


async def test_chat_ticket_lands_on_line_1_with_deadline_and_history(api: Api) -> None:
    response = await create(api)
    assert response.status == 201, response.json
    ticket = response.json
    assert ticket["number"] == "БВБ-000001"
    assert response.headers["location"] == "/api/v1/tickets/" + quote("БВБ-000001")
    assert (ticket["status"], ticket["line"], ticket["channel"]) == ("new", 1, "chat")
    assert ticket["email"] == "ivan.petrov@example.ru"
    assert ticket["subject"] == CHAT_TICKET["description"]
    # Received Friday 27.11.2026 12:30 MSK: working days Mon 30.11, Tue 1.12, Wed 2.12 (§4.3).
    assert ticket["due_at"] == "2026-12-02T23:59:59+03:00"
    assert ticket["created_at"] == "2026-11-27T12:30:00+03:00"
    assert ticket["transcript"][0]["text"] == "Здравствуйте, не загружается тест"

    _, response = await api.client.get("/api/v1/tickets/" + quote("БВБ-000001"), headers=api.headers("line1"))
    assert response.status == 200
    assert [e["type"] for e in response.json["history"]] == ["created", "screened"]
    assert response.json["history"][0]["actor"] == "token:action-server"


async def test_region_as_people_write_it_is_stored_officially(api: Api) -> None:
    response = await create(api, {**CHAT_TICKET, "region": "из Татарстана"})
    assert response.status == 201
    assert response.json["region"] == "Республика Татарстан"


async def test_unknown_region_is_a_clear_422(api: Api) -> None:
    response = await create(api, {**CHAT_TICKET, "region": "Атлантида"})
    assert response.status == 422
    assert "region" in response.json["error"]["fields"]
    assert "Атлантида" in response.json["error"]["message"]


async def test_idempotency_key_returns_the_first_ticket(api: Api) -> None:
    first = await create(api, None, **{"Idempotency-Key": "k-1"})
    again = await create(api, None, **{"Idempotency-Key": "k-1"})
    other = await create(api, None, **{"Idempotency-Key": "k-2"})
    assert (first.status, again.status, other.status) == (201, 200, 201)
    assert first.json["number"] == again.json["number"] != other.json["number"]


async def test_validation_errors_say_what_to_fix_in_russian(api: Api) -> None:
    bad = {**CHAT_TICKET, "email": "ivan(at)mail", "description": ""}
    del bad["question_type"]
    response = await create(api, bad)
    assert response.status == 422
    fields = response.json["error"]["fields"]
    assert "адрес электронной почты" in fields["email"]
    assert fields["description"] == "не может быть пустым"
    assert "п. 5.6.1" in fields["question_type"]

    _, response = await api.client.post("/api/v1/tickets", content="not json", headers=api.headers("service"))
    assert response.status == 400
    assert "JSON" in response.json["error"]["message"]


async def test_mail_ticket_needs_no_chat_fields(api: Api) -> None:
    body = {
        "channel": "project_email",
        "email": "parent@mail.ru",
        "subject": "Сертификат",
        "description": "Где сертификат?",
    }
    response = await create(api, body)
    assert response.status == 201
    assert (response.json["region"], response.json["question_type"]) == (None, None)


async def test_roles_that_cannot_register(api: Api) -> None:
    for role in ("line2_tatarstan", "line3"):
        response = await create(api, role=role)
        assert response.status == 403
        assert response.json["error"]["code"] == "forbidden"


async def test_list_filters_by_the_contract_fields(api: Api) -> None:
    await create(api)
    await create(
        api, {**CHAT_TICKET, "email": "other@example.ru", "login": "petrova", "region": "Свердловская область"}
    )
    await create(api, {"channel": "project_email", "email": "ivan.petrov@example.ru", "description": "Письмо"})

    _, response = await api.client.get("/api/v1/tickets?email=IVAN.PETROV@example.ru", headers=api.headers("admin"))
    assert response.status == 200
    page = response.json
    assert page["total"] == 2 and len(page["items"]) == 2
    assert {t["channel"] for t in page["items"]} == {"chat", "project_email"}
    first = next(t for t in page["items"] if t["channel"] == "chat")
    for field in (
        "number",
        "channel",
        "kind",
        "question_type",
        "region",
        "role",
        "login",
        "email",
        "subject",
        "description",
        "transcript",
        "status",
        "line",
        "created_at",
        "due_at",
    ):
        assert field in first, field

    for query, expected in (
        ("login=ivanov2011", 1),
        ("channel=project_email", 1),
        ("line=1&status=new", 3),
        ("region=Свердловская область", 1),
        ("region=Екатеринбург", 1),
        ("limit=1&offset=2", 3),
    ):
        _, response = await api.client.get(f"/api/v1/tickets?{query}", headers=api.headers("line1"))
        assert response.status == 200, query
        assert response.json["total"] == expected, query
    _, response = await api.client.get("/api/v1/tickets?limit=1", headers=api.headers("line1"))
    assert len(response.json["items"]) == 1

    _, response = await api.client.get("/api/v1/tickets?line=7&status=lost", headers=api.headers("line1"))
    assert response.status == 422
    assert set(response.json["error"]["fields"]) == {"line", "status"}


async def test_lenient_numbers_and_404(api: Api) -> None:
    await create(api)
    for typed in ("бвб 1", "BVB-000001", "1"):
        _, response = await api.client.get("/api/v1/tickets/" + quote(typed), headers=api.headers("service"))
        assert response.status == 200, typed
        assert response.json["number"] == "БВБ-000001"
    _, response = await api.client.get("/api/v1/tickets/" + quote("БВБ-999999"), headers=api.headers("service"))
    assert response.status == 404
    assert "БВБ-999999" in response.json["error"]["message"]


async def test_line2_sees_only_its_regions(api: Api) -> None:
    kept = (await create(api, {**CHAT_TICKET, "email": "kept@example.ru"})).json["number"]
    own = (await create(api)).json["number"]
    foreign = (await create(api, {**CHAT_TICKET, "region": "Пермский край"})).json["number"]
    for number in (own, foreign):  # §4.5: line 2 sees what line 1 handed to it
        _, response = await api.client.post(
            f"/api/v1/tickets/{quote(number)}/transfer",
            json={"line": 2, "comment": "Организационный вопрос"},
            headers=api.headers("line1"),
        )
        assert response.status == 200
    headers = api.headers("line2_tatarstan")
    _, response = await api.client.get("/api/v1/tickets/" + quote(kept), headers=headers)
    assert response.status == 404  # of its region, but line 1 never handed it on

    _, response = await api.client.get("/api/v1/tickets", headers=headers)
    assert [t["number"] for t in response.json["items"]] == [own]
    assert response.json["total"] == 1
    _, response = await api.client.get("/api/v1/tickets?region=Пермский край", headers=headers)
    assert response.json["total"] == 0
    _, response = await api.client.get("/api/v1/tickets/" + quote(own), headers=headers)
    assert response.status == 200
    _, response = await api.client.get("/api/v1/tickets/" + quote(foreign), headers=headers)
    assert response.status == 404


async def test_regions_and_resolver(api: Api) -> None:
    _, response = await api.client.get("/api/v1/regions", headers=api.headers("service"))
    assert response.status == 200
    assert len(response.json) == 89
    _, response = await api.client.get(
        "/api/v1/regions/resolve?q=" + quote("из Свердловской обл."), headers=api.headers("service")
    )
    assert response.json == {"region": "Свердловская область", "candidates": ["Свердловская область"]}
    _, response = await api.client.get("/api/v1/regions/resolve?q=" + quote("не знаю"), headers=api.headers("service"))
    assert response.json == {"region": None, "candidates": []}
    _, response = await api.client.get("/api/v1/regions/resolve?q=", headers=api.headers("service"))
    assert response.status == 422


async def test_health(api: Api) -> None:
    _, response = await api.client.get("/healthz")
    assert response.json == {"status": "ok"}
