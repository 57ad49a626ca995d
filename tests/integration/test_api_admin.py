"""Calendar days, reports, audit, the deadline watcher and rate limits, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create
from tests.integration.test_api_transitions import post
from ticketing.services.watcher import watch_deadlines


async def test_an_extraordinary_day_off_moves_new_deadlines(api: Api) -> None:
    _, response = await api.client.put(
        "/api/v1/calendar/days/2026-11-30",
        json={"working": False, "note": "нерабочий день по указу (пример)"},
        headers=api.headers("admin"),
    )
    assert response.status == 200, response.json
    assert response.json["created_by"] == "admin"
    # Friday 27.11 + 3 working days, Monday 30.11 now off: Tue 1, Wed 2, Thu 3 December.
    assert (await create(api)).json["due_at"] == "2026-12-03T23:59:59+03:00"

    _, response = await api.client.get("/api/v1/calendar/days", headers=api.headers("line1"))
    assert [d["day"] for d in response.json] == ["2026-11-30"]
    _, response = await api.client.delete("/api/v1/calendar/days/2026-11-30", headers=api.headers("admin"))
    assert response.status == 204
    assert (await create(api, {**CHAT_TICKET, "email": "b@example.ru"})).json["due_at"] == "2026-12-02T23:59:59+03:00"


async def test_only_admins_edit_the_calendar_and_bad_input_is_explained(api: Api) -> None:
    _, response = await api.client.put(
        "/api/v1/calendar/days/2026-11-30", json={"working": False, "note": "x"}, headers=api.headers("line1")
    )
    assert response.status == 403
    _, response = await api.client.put(
        "/api/v1/calendar/days/30.11.2026", json={"working": False, "note": "x"}, headers=api.headers("admin")
    )
    assert response.status == 422 and "ГГГГ-ММ-ДД" in response.json["error"]["message"]
    _, response = await api.client.put(
        "/api/v1/calendar/days/2026-11-30", json={"working": False}, headers=api.headers("admin")
    )
    assert response.status == 422 and "note" in response.json["error"]["fields"]


async def test_stats_count_left_without_answer_apart_and_respect_regions(api: Api) -> None:
    answered = (await create(api)).json["number"]
    await post(api, answered, "answer", "line1", {"text": "Ответ"})
    left = (await create(api, {**CHAT_TICKET, "email": "x@example.ru"})).json["number"]
    await post(api, left, "leave-without-answer", "line1", {"reason": "no_question"})
    await create(api, {**CHAT_TICKET, "email": "p@example.ru", "region": "Пермский край"})

    _, response = await api.client.get("/api/v1/stats", headers=api.headers("line1"))
    stats = response.json
    assert stats["total"] == 3
    assert stats["by_status"] == {"answered": 1, "left_without_answer": 1, "new": 1}
    assert stats["left_without_answer"] == {"no_question": 1}
    assert stats["answered_in_time"] == 1 and stats["answered_late"] == 0
    assert stats["share_answered_in_time"] == 1.0
    assert stats["by_region"] == {"Республика Татарстан": 2, "Пермский край": 1}

    _, response = await api.client.get("/api/v1/stats", headers=api.headers("line2_tatarstan"))
    assert response.json["total"] == 0  # §4.5: nothing of its region was handed to line 2 yet
    handed = (await create(api, {**CHAT_TICKET, "email": "h@example.ru"})).json["number"]
    await post(api, handed, "transfer", "line1", {"line": 2, "comment": "Организационный вопрос"})
    _, response = await api.client.get("/api/v1/stats", headers=api.headers("line2_tatarstan"))
    assert response.json["total"] == 1 and response.json["by_region"] == {"Республика Татарстан": 1}
    _, response = await api.client.get("/api/v1/stats", headers=api.headers("service"))
    assert response.status == 403


async def test_audit_log_is_for_admins(api: Api) -> None:
    number = (await create(api)).json["number"]
    await post(api, number, "claim", "line1")
    _, response = await api.client.get(f"/api/v1/audit?number={quote(number)}", headers=api.headers("admin"))
    assert [e["type"] for e in response.json] == ["claimed", "screened", "created"]
    assert response.json[0]["actor"] == "operator-1"
    _, response = await api.client.get("/api/v1/audit?actor=operator-1&type=claimed", headers=api.headers("admin"))
    assert len(response.json) == 1
    _, response = await api.client.get("/api/v1/audit", headers=api.headers("line1"))
    assert response.status == 403


async def test_watcher_flags_approaching_then_breached_once_each(api: Api) -> None:
    number = (await create(api)).json["number"]  # due Wed 2.12.2026 23:59:59 MSK
    container = api.app.ctx.container

    async def round_at(moment: datetime) -> int:
        return await watch_deadlines(container.uow(), now=moment, calendar=container.calendar, bus=container.bus)

    assert await round_at(datetime(2026, 11, 30, 12, 0, tzinfo=UTC)) == 0  # Monday: two days left
    assert await round_at(datetime(2026, 12, 2, 8, 0, tzinfo=UTC)) == 1  # Wednesday morning: approaching
    assert await round_at(datetime(2026, 12, 2, 9, 0, tzinfo=UTC)) == 0  # said once
    assert await round_at(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)) == 1  # Thursday: breached
    assert await round_at(datetime(2026, 12, 4, 9, 0, tzinfo=UTC)) == 0
    api.clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    _, response = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=api.headers("line1"))
    assert [e["type"] for e in response.json["history"]][-2:] == ["deadline_approaching", "deadline_breached"]
    assert response.json["deadline_state"] == "breached"


async def test_left_without_answer_is_never_a_breach(api: Api) -> None:
    number = (await create(api)).json["number"]
    await post(api, number, "leave-without-answer", "line1", {"reason": "foreign_language"})
    container = api.app.ctx.container
    later = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert await watch_deadlines(container.uow(), now=later, calendar=container.calendar) == 0
    api.clock.now = later
    _, response = await api.client.get("/api/v1/stats", headers=api.headers("line1"))
    assert response.json["open_breached"] == 0


async def test_a_flood_from_one_requester_gets_429(api: Api) -> None:
    limit = api.app.ctx.container.settings.tickets_per_requester_per_hour
    body = {**CHAT_TICKET, "email": "flood@example.ru"}
    for _ in range(limit):
        assert (await create(api, body)).status == 201
    response = await create(api, body)
    assert response.status == 429
    assert "за час" in response.json["error"]["message"]
    assert (await create(api, {**CHAT_TICKET, "email": "calm@example.ru"})).status == 201


async def test_line3_target_is_24_hours(api: Api) -> None:
    number = (await create(api)).json["number"]
    api.clock.now = api.clock.now + timedelta(hours=2)
    response = await post(api, number, "transfer", "line1", {"line": 3, "comment": "не помогла инструкция"})
    assert response.json["line3_due_at"] == "2026-11-28T14:30:00+03:00"
