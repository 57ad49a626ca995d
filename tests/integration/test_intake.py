"""Batched registration (``services.intake``) on SQLite and PostgreSQL.

Requests that arrive together are written in one transaction; each must still come out as if
registered alone: its own number and history, its own replay, its own refusal or failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from procedure.screening import OK, Verdict
from tests.integration.conftest import FixedClock
from ticketing.bootstrap import Container, PureParts, build_container
from ticketing.config import Settings
from ticketing.domain.tickets import Channel, Kind, NewTicket, QuestionType, RequesterRole, Status, TicketEvent
from ticketing.services.events import EventBus
from ticketing.services.intake import TicketIntake
from ticketing.services.tickets import Opened, Registration, TooManyRequests
from ticketing.services.unit_of_work import TicketFilter

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def new_ticket(n: int, *, key: str | None = None, email: str | None = None, description: str = "") -> NewTicket:
    return NewTicket(
        channel=Channel.CHAT,
        kind=Kind.INFO_REQUEST,
        question_type=QuestionType.TECHNICAL,
        region="Республика Татарстан",
        role=RequesterRole.PARTICIPANT,
        login=None,
        email=email or f"pupil-{n}@example.ru",
        subject=f"Вопрос {n}",
        description=description or f"Не открывается тест номер {n}, белый экран после входа",
        idempotency_key=key if key is not None else f"key-{n}",
    )


class RecordingBus(EventBus):
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.calls = 0

    async def publish(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        self.calls += 1
        self.messages.extend(messages)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:  # pragma: no cover - not used here
        raise NotImplementedError
        yield {}


@pytest.fixture
async def container(database_url: str, parts: PureParts) -> AsyncIterator[Container]:
    container = build_container(Settings(database_url=database_url), clock=FixedClock(NOW), parts=parts)
    try:
        yield container
    finally:
        await container.close()


def intake(container: Container, **kwargs: Any) -> TicketIntake:
    return TicketIntake(container.uow, calendar=lambda: container.calendar, clock=container.clock, **kwargs)


def registration(new: NewTicket, verdict: Verdict | None = None) -> Registration:
    return Registration(new, actor="token:action-server", verdict=verdict)


async def test_concurrent_requests_share_transactions_and_each_gets_its_own_ticket(container: Container) -> None:
    bus = RecordingBus()
    desk = intake(container, bus=bus)
    ok = Verdict(OK, "ru", (), False)

    results = await asyncio.gather(*(desk.open(registration(new_ticket(n), ok)) for n in range(40)))

    assert all(r.created for r in results)
    numbers = [str(r.ticket.number) for r in results]
    assert len(set(numbers)) == 40 and all(n and n.startswith("БВБ-") for n in numbers)
    assert desk.requests == 40 and desk.batches < 40, "requests that arrive together are written together"
    async with container.uow() as uow:
        stored = await uow.tickets.get_by_idempotency_keys([f"key-{n}" for n in range(40)])
    for n, result in enumerate(results):
        ticket = stored[f"key-{n}"]
        assert ticket.number == result.ticket.number and ticket.subject == f"Вопрос {n}"
        assert [e.type for e in ticket.events] == ["created", "screened"]
        assert ticket.status is Status.NEW and ticket.line == 1
        assert ticket.due_at == result.ticket.due_at
    # live screens hear of every event of every new ticket, in fewer calls than tickets
    assert sorted({m["number"] for m in bus.messages}) == sorted(numbers)
    assert len(bus.messages) == 80 and bus.calls == desk.batches


async def test_a_key_twice_in_one_batch_and_a_replay_of_a_stored_key_give_the_first_ticket(
    container: Container,
) -> None:
    desk = intake(container)
    first = await desk.open(registration(new_ticket(1, key="same")))

    again, twin_a, twin_b = await asyncio.gather(
        desk.open(registration(new_ticket(2, key="same"))),
        desk.open(registration(new_ticket(3, key="fresh"))),
        desk.open(registration(new_ticket(4, key="fresh"))),
    )

    assert first.created and not again.created and again.ticket.number == first.ticket.number
    assert twin_a.created != twin_b.created, "one of the two is created, the other is its replay"
    assert twin_a.ticket.number == twin_b.ticket.number
    async with container.uow() as uow:
        _, total = await uow.tickets.list(TicketFilter(), limit=10, offset=0)
    assert total == 2


async def test_the_rate_limit_refuses_only_the_requests_it_refuses(container: Container) -> None:
    async def allow(new: Sequence[NewTicket]) -> list[bool]:
        return [t.email != "flood@example.ru" for t in new]

    desk = intake(container, allow=allow)

    results = await asyncio.gather(
        desk.open(registration(new_ticket(1))),
        desk.open(registration(new_ticket(2, email="flood@example.ru"))),
        desk.open(registration(new_ticket(3))),
        return_exceptions=True,
    )

    assert isinstance(results[0], Opened) and isinstance(results[2], Opened)
    assert isinstance(results[1], TooManyRequests)


# Only PostgreSQL refuses a row of the batch (its text cannot hold a NUL character; SQLite stores one).
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_request_the_database_refuses_fails_alone(container: Container) -> None:
    assert container.engine.dialect.name == "postgresql"
    desk = intake(container)

    results = await asyncio.gather(
        desk.open(registration(new_ticket(1))),
        desk.open(registration(new_ticket(2, description="нулевой символ \x00 в тексте"))),
        desk.open(registration(new_ticket(3))),
        return_exceptions=True,
    )

    assert isinstance(results[0], Opened) and isinstance(results[2], Opened)
    assert isinstance(results[1], Exception) and not isinstance(results[1], TooManyRequests)
    assert results[0].ticket.number != results[2].ticket.number


async def test_a_client_that_hangs_up_does_not_lose_its_request(container: Container) -> None:
    desk = intake(container)
    blocker = asyncio.ensure_future(desk.open(registration(new_ticket(1))))
    await asyncio.sleep(0)  # the first batch is being written; the next request waits for it
    waiting = asyncio.ensure_future(desk.open(registration(new_ticket(2))))
    await asyncio.sleep(0)
    waiting.cancel()  # Sanic cancels the handler of a closed connection
    await blocker
    for _ in range(100):
        if desk.requests == 2:
            break
        await asyncio.sleep(0.01)
    async with container.uow() as uow:
        stored = await uow.tickets.get_by_idempotency_keys(["key-2"])
    assert "key-2" in stored


async def test_earlier_answered_tickets_of_the_same_requester_are_shown_as_likely_repeats(
    container: Container,
) -> None:
    desk = intake(container)
    earlier = await desk.open(registration(new_ticket(1, email="mama@example.ru", description=_QUESTION)))
    async with container.uow() as uow:
        (ticket,) = (await uow.tickets.get_by_idempotency_keys(["key-1"])).values()
        ticket.status = Status.ANSWERED
        ticket.events.append(TicketEvent(type="answered", at=NOW, actor="operator-1", line=1, data={}))
        await uow.tickets.save(ticket)
        await uow.commit()

    again, other = await asyncio.gather(
        desk.open(registration(new_ticket(2, email="mama@example.ru", description=_QUESTION + " Снова!"))),
        desk.open(registration(new_ticket(3, email="papa@example.ru", description=_QUESTION))),
    )

    assert again.ticket.likely_repeats == [earlier.ticket.number]
    assert "likely_repeat" in [e.type for e in again.ticket.events]
    assert other.ticket.likely_repeats == [], "another requester's ticket is no repeat"


_QUESTION = "Не приходит письмо для подтверждения почты, папку спам проверила, адрес верный"
