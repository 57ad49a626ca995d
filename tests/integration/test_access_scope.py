# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""One access scope on every ticket-reading route: lines 2 and 3 see what was handed to them (§4.5, §4.6, §5.4).

Four tickets: a line-1 ticket of Tatarstan nobody handed on, one handed to Tatarstan's operator and
returned by them, one handed to line 3, one handed to Perm's operator. Every route that reads tickets —
the API's list, card, messages, stats, audit and registration cards; the console's queues, live
fragments, exports, ticket pages and dashboard; the event stream — is walked with the line-1, line-2
and line-3 credentials, and must show each exactly the tickets of its scope.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from openpyxl import load_workbook
from sqlalchemy import insert, select, text

from tests.integration.console_helpers import (  # noqa: F401
    STAFF,
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET
from ticketing.adapters import migrate
from ticketing.adapters.orm import ticket_events, tickets
from ticketing.adapters.uow import make_engine
from ticketing.http.console.sse import visible
from ticketing.services import queues

NUMBER = re.compile(r"БВБ-\d{6}")
TOKEN_OF = {"line1": "line1", "line2": "line2_tatarstan", "line3": "line3"}  # console login → API token key


def requester(n: int, region: str = "Республика Татарстан") -> dict[str, Any]:
    """Each ticket from another person: no «похожие прежние обращения» links one ticket to another."""
    return {**CHAT_TICKET, "region": region, "login": f"user{n}", "email": f"user{n}@example.ru"}


async def step(console: Console, number: str, action: str, role: str, body: dict[str, Any] | None = None) -> None:
    _, response = await console.api.client.post(
        f"/api/v1/tickets/{quote(number)}/{action}", json=body or {}, headers=console.api.headers(role)
    )
    assert response.status == 200, (action, role, response.json)


async def four_tickets(console: Console) -> dict[str, str]:
    kept = await console.ticket(requester(1))
    handled_by_line2 = await console.ticket(requester(2))
    escalated = await console.ticket(requester(3))
    perm = await console.ticket(requester(4, "Пермский край"))
    for number, line in ((handled_by_line2, 2), (escalated, 3), (perm, 2)):
        await step(console, number, "claim", "line1")
        await step(console, number, "transfer", "line1", {"line": line, "comment": "Нужен ответ другой линии"})
    await step(console, handled_by_line2, "claim", "line2_tatarstan")
    await step(console, handled_by_line2, "return", "line2_tatarstan", {"comment": "Профпробы с 1 декабря"})
    return {"kept": kept, "handled_by_line2": handled_by_line2, "escalated": escalated, "perm": perm}


def numbers_in(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def xlsx_numbers(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


async def test_every_ticket_reading_route_shows_each_line_its_scope(console: Console) -> None:
    api = console.api
    bus = api.app.ctx.container.bus
    messages: list[dict[str, Any]] = []

    async def listen() -> None:
        async for message in bus.subscribe():
            messages.append(message)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0)  # subscribed before the first event
    t = await four_tickets(console)
    await asyncio.sleep(0)
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener
    everything = set(t.values())
    expected = {"line1": everything, "line2": {t["handled_by_line2"]}, "line3": {t["escalated"]}}

    for login, sees in expected.items():
        headers = api.headers(TOKEN_OF[login])
        # the API: list, card, stats
        _, response = await api.client.get("/api/v1/tickets?limit=100", headers=headers)
        assert {item["number"] for item in response.json["items"]} == sees, login
        assert response.json["total"] == len(sees), login
        for number in everything:
            _, response = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=headers)
            assert response.status == (200 if number in sees else 404), (login, number)
        _, response = await api.client.get("/api/v1/stats", headers=headers)
        assert response.status == 200 and response.json["total"] == len(sees), login
        # the API routes of line 1 and admins only
        for path in ("/api/v1/audit", "/api/v1/registration-cards"):
            _, response = await api.client.get(path, headers=headers)
            assert response.status == (200 if login == "line1" and "registration" in path else 403), (login, path)
        for number in everything:
            _, response = await api.client.post(
                f"/api/v1/tickets/{quote(number)}/messages", json={"text": "Ещё вопрос"}, headers=headers
            )
            assert response.status == (200 if login == "line1" else 403), (login, number)
        # changing is reading too: a ticket outside the scope is «not found», not «not your line»
        if login != "line1":
            _, response = await api.client.post(f"/api/v1/tickets/{quote(t['kept'])}/claim", json={}, headers=headers)
            assert response.status == 404, login

        # the console: every tab, its live fragment and exports, every ticket page, the dashboard
        person = console[login]
        seen: set[str] = set()
        for tab in queues.tabs_for(person_role(console, login), person.name):
            for path in (f"/console/queue?tab={tab.key}", f"/console/queue/live?tab={tab.key}"):
                page = await person.get(path)
                assert page.status == 200, path
                assert numbers_in(page.text) <= sees, (login, path)
                seen |= numbers_in(page.text)
            export = await person.get(f"/console/queue/export.csv?tab={tab.key}")
            assert numbers_in(export.content.decode("utf-8-sig")) <= sees, (login, tab.key)
            export = await person.get(f"/console/queue/export.xlsx?tab={tab.key}")
            assert xlsx_numbers(export.content) <= sees, (login, tab.key)
        if login == "line1":
            assert seen == everything
        for number in everything:
            page = await person.get(ticket_path(number))
            assert page.status == (200 if number in sees else 404), (login, number)
        csv = (await person.get("/console/dashboard/export.csv")).content.decode("utf-8-sig")
        assert "Всего;обращений;" + str(len(sees)) in csv, (login, csv)
        dashboard = await person.get("/console/dashboard")
        assert numbers_in(dashboard.text) <= sees, login
        # the event stream: what /console/events would send this person
        streamed = {m["number"] for m in messages if visible(await staff(console, login), m)}
        assert streamed == sees, login


def person_role(console: Console, login: str) -> Any:
    return STAFF[login][0]


async def staff(console: Console, login: str) -> Any:
    container = console.api.app.ctx.container
    async with container.uow() as uow:
        return await uow.staff.by_login(login)


# A ticket row as migration 0008 left the table: no handed_line2, handed_line3 yet.
OLD_TICKET = text(
    "INSERT INTO tickets (number, channel, kind, subject, description, transcript, instructions_tried,"
    " status, line, created_at, due_at, updated_at) VALUES (:number, 'chat', 'info_request', 'Тест',"
    " 'Не загружается тест', '[]', '[]', 'new', :line, :at, :at, :at) RETURNING id"
)


def test_migration_0009_backfills_the_handed_lines_from_the_history(database_url: str) -> None:
    """Tickets stored before the flags keep their scope: a hand-over in the history is a hand-over."""
    migrate.downgrade(database_url, "0008")

    async def load() -> None:
        engine = make_engine(database_url)
        at = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
        stored_at = at.replace(tzinfo=None) if database_url.startswith("sqlite") else at  # as UTCDateTime stores it
        history: dict[str, tuple[int, list[tuple[str, int | None, dict[str, Any]]]]] = {
            "БВБ-000001": (1, [("created", 1, {"line": 1})]),  # never handed on
            "БВБ-000002": (1, [("created", 1, {}), ("transferred", 1, {"to_line": 2}), ("returned", 2, {})]),
            "БВБ-000003": (3, [("created", 1, {}), ("transferred", 1, {"to_line": 3})]),
            "БВБ-000004": (2, [("created", 2, {"line": 2})]),  # §5.8: straight to the region's operator
        }
        try:
            async with engine.begin() as conn:
                for number, (line, events) in history.items():
                    ticket_id = (
                        await conn.execute(OLD_TICKET, {"number": number, "line": line, "at": stored_at})
                    ).scalar_one()
                    await conn.execute(
                        insert(ticket_events),
                        [
                            {"ticket_id": ticket_id, "type": kind, "at": at, "actor": "x", "line": ln, "data": data}
                            for kind, ln, data in events
                        ],
                    )
        finally:
            await engine.dispose()

    asyncio.run(load())
    migrate.upgrade(database_url)

    async def flags() -> dict[str, tuple[bool, bool]]:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(select(tickets.c.number, tickets.c.handed_line2, tickets.c.handed_line3))
                return {number: (bool(two), bool(three)) for number, two, three in rows}
        finally:
            await engine.dispose()

    assert asyncio.run(flags()) == {
        "БВБ-000001": (False, False),
        "БВБ-000002": (True, False),
        "БВБ-000003": (False, True),
        "БВБ-000004": (True, False),
    }
