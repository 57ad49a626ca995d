"""Every transition and reason code through the API, with region isolation on every route."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.domain.lifecycle import LeaveReason
from ticketing.services.unit_of_work import ConcurrentUpdate


async def post(api: Api, number: str, action: str, role: str, body: dict[str, Any] | None = None) -> Any:
    _, response = await api.client.post(
        f"/api/v1/tickets/{quote(number)}/{action}", json=body or {}, headers=api.headers(role)
    )
    return response


async def test_line1_to_line3_and_back_to_an_answer(api: Api) -> None:
    number = (await create(api, {**CHAT_TICKET, "instructions_tried": ["test_not_loading"]})).json["number"]
    steps = [
        ("claim", "line1", None),
        ("transfer", "line1", {"line": 3, "comment": "Инструкция не помогла, белый экран в Chrome"}),
        ("claim", "line3", None),
        ("return", "line3", {"comment": "Исправлено в релизе 2.4, пусть обновит страницу"}),
        ("answer", "line1", {"text": "Мы исправили ошибку, обновите страницу теста."}),
        ("close", "line1", None),
    ]
    states = []
    for action, role, body in steps:
        response = await post(api, number, action, role, body)
        assert response.status == 200, (action, response.json)
        states.append((response.json["status"], response.json["line"]))
    assert states == [
        ("in_progress", 1),
        ("waiting_line3", 3),
        ("waiting_line3", 3),
        ("in_progress", 1),
        ("answered", 1),
        ("closed", 1),
    ]
    ticket = response.json
    assert [e["type"] for e in ticket["history"]] == [
        "created",
        "screened",
        "claimed",
        "transferred",
        "claimed",
        "returned",
        "answered",
        "closed",
    ]
    transfer = ticket["history"][3]
    assert transfer["actor"] == "operator-1" and transfer["data"]["instructions_tried"] == ["test_not_loading"]
    assert ticket["line3_due_at"] == "2026-11-28T12:30:00+03:00"
    assert ticket["due_at"] == "2026-12-02T23:59:59+03:00"  # never moved by transfers
    assert ticket["deadline_state"] == "met"
    assert ticket["questions"][0]["answer_channel"] == "chat"


async def test_illegal_moves_are_409_with_a_reason(api: Api) -> None:
    number = (await create(api)).json["number"]
    response = await post(api, number, "close", "line1")
    assert response.status == 409
    assert response.json["error"]["code"] == "illegal_transition"
    assert "Закрыть можно только отвеченное" in response.json["error"]["message"]
    response = await post(api, number, "return", "line3", {"comment": "x"})
    assert response.status == 404  # never handed to line 3: not even its existence is shown
    await post(api, number, "transfer", "line1", {"line": 3, "comment": "Белый экран"})
    assert (await post(api, number, "return", "line3", {"comment": "Исправлено"})).status == 200
    response = await post(api, number, "return", "line3", {"comment": "x"})
    assert response.status == 409  # handed once, so visible, but it is back on line 1
    response = await post(api, number, "transfer", "line1", {"line": 3})
    assert response.status == 422
    assert response.json["error"]["fields"]["comment"] == "обязательное поле"


async def test_roles_are_checked_on_every_action(api: Api) -> None:
    number = (await create(api)).json["number"]
    for action, role in (
        ("answer", "line3"),
        ("transfer", "line2_tatarstan"),
        ("claim", "service"),
        ("close", "line3"),
    ):
        response = await post(api, number, action, role, {"text": "x", "line": 2, "comment": "x"})
        assert response.status == 403, (action, role)


@pytest.mark.parametrize("reason", [r.value for r in LeaveReason if r is not LeaveReason.REPEAT])
async def test_every_reason_code(api: Api, reason: str) -> None:
    number = (await create(api)).json["number"]
    response = await post(api, number, "leave-without-answer", "line1", {"reason": reason, "comment": "см. Порядок"})
    assert response.status == 200
    assert (response.json["status"], response.json["resolution_reason"]) == ("left_without_answer", reason)
    assert response.json["resolution_label"]
    assert response.json["deadline_state"] == "not_applicable"


async def test_unknown_reason_lists_the_valid_ones(api: Api) -> None:
    number = (await create(api)).json["number"]
    response = await post(api, number, "leave-without-answer", "line1", {"reason": "надоел"})
    assert response.status == 422
    assert "foreign_language" in response.json["error"]["fields"]["reason"]


async def test_repeat_is_linked_and_detected(api: Api) -> None:
    first = (await create(api)).json["number"]
    await post(api, first, "answer", "line1", {"text": "Очистите кэш"})
    again = await create(
        api, {**CHAT_TICKET, "description": "Опять не загружается тест, белый экран после второго вопроса"}
    )
    assert again.json["likely_repeats"] == [first]  # shown to line 1, not closed
    assert again.json["status"] == "new"
    response = await post(api, again.json["number"], "leave-without-answer", "line1", {"reason": "repeat"})
    assert response.status == 409 and "номер прежнего" in response.json["error"]["message"]
    response = await post(
        api, again.json["number"], "leave-without-answer", "line1", {"reason": "repeat", "repeat_of": first}
    )
    assert response.status == 200 and response.json["repeat_of"] == first


async def test_service_leaves_threats_without_answer(api: Api) -> None:
    number = (await create(api)).json["number"]
    response = await post(api, number, "leave-without-answer", "service", {"reason": "threat"})
    assert response.status == 200


async def test_requester_reply_reopens_the_ticket(api: Api) -> None:
    number = (await create(api)).json["number"]
    await post(api, number, "answer", "line1", {"text": "Очистите кэш"})
    response = await post(api, number, "messages", "service", {"text": "Не помогло, всё так же"})
    assert response.status == 200
    assert (response.json["status"], response.json["assignee"]) == ("in_progress", "operator-1")
    assert [q["answered_at"] is None for q in response.json["questions"]] == [False, True]
    assert response.json["transcript"][-1]["text"] == "Не помогло, всё так же"
    response = await post(api, number, "reopen", "line1", {"comment": "x"})
    assert response.status == 409


async def test_line2_acts_only_in_its_regions(api: Api) -> None:
    own = (await create(api)).json["number"]
    foreign = (await create(api, {**CHAT_TICKET, "region": "Пермский край"})).json["number"]
    for number in (own, foreign):
        response = await post(api, number, "transfer", "line1", {"line": 2, "comment": "Организационный вопрос"})
        assert response.status == 200
    assert (await post(api, own, "claim", "line2_tatarstan")).status == 200
    for action, body in (("claim", None), ("return", {"comment": "ответ"})):
        response = await post(api, foreign, action, "line2_tatarstan", body)
        assert response.status == 404, action
        assert "вне ваших регионов" in response.json["error"]["message"]
    response = await post(api, own, "return", "line2_tatarstan", {"comment": "Профпробы в Казани с 1 декабря"})
    assert response.status == 200 and response.json["line"] == 1
    _, response = await api.client.get("/api/v1/tickets?line=2", headers=api.headers("line2_tatarstan"))
    assert response.json["total"] == 0
    _, response = await api.client.get("/api/v1/tickets?line=2", headers=api.headers("line1"))
    assert response.json["total"] == 1


async def test_repeat_of_outside_the_region_is_404(api: Api) -> None:
    number = (await create(api)).json["number"]
    response = await post(api, number, "leave-without-answer", "line1", {"reason": "repeat", "repeat_of": "БВБ-999999"})
    assert response.status == 404


async def test_concurrent_updates_do_not_overwrite(api: Api, database_url: str) -> None:
    number = (await create(api)).json["number"]
    engine = make_engine(database_url)
    try:
        first, second = SqlAlchemyUnitOfWork(engine), SqlAlchemyUnitOfWork(engine)
        async with first:
            mine = await first.tickets.get_by_number(number)
        async with second:
            theirs = await second.tickets.get_by_number(number)
            assert theirs is not None
            theirs.assignee = "Пётр"
            await second.tickets.save(theirs)
            await second.commit()
        async with first:
            assert mine is not None
            mine.assignee = "Ольга"
            with pytest.raises(ConcurrentUpdate):
                await first.tickets.save(mine)
    finally:
        await engine.dispose()


async def test_an_answer_through_the_api_is_queued_for_the_requesters_channel(api: Api) -> None:
    from ticketing.services.replies import deliveries_of

    number = (await create(api)).json["number"]
    response = await post(api, number, "answer", "line1", {"text": "Обновите страницу теста."})
    assert response.status == 200
    deliveries = await deliveries_of(api.app.ctx.container.uow(), number)
    assert [(d.channel, d.text) for d in deliveries] == [
        ("chat", "Обновите страницу теста."),
        ("email", "Обновите страницу теста."),  # and by letter to the address the pupil gave (§5.6.1)
    ]
    _, ticket = await api.client.get(f"/api/v1/tickets/{number}", headers=api.headers("line1"))
    assert [(d["channel"], d["status"]) for d in ticket.json["deliveries"]] == [("chat", "queued"), ("email", "queued")]


async def test_a_requester_message_is_as_long_as_a_transcript_line_at_most(api: Api) -> None:
    """One limit for the message and the transcript line it becomes: no message is written and then 500."""
    from ticketing.domain.tickets import MESSAGE_MAX_CHARS

    number = (await create(api)).json["number"]
    response = await post(api, number, "messages", "service", {"text": "я" * (MESSAGE_MAX_CHARS + 1)})
    assert response.status == 422
    assert response.json["error"]["fields"]["text"] == f"слишком длинно (не больше {MESSAGE_MAX_CHARS} символов)"
    _, ticket = await api.client.get(f"/api/v1/tickets/{quote(number)}", headers=api.headers("line1"))
    assert len(ticket.json["transcript"]) == 2  # nothing was written
    response = await post(api, number, "messages", "service", {"text": "я" * MESSAGE_MAX_CHARS})
    assert response.status == 200
    assert response.json["transcript"][-1]["text"] == "я" * MESSAGE_MAX_CHARS
