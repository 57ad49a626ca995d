"""Use cases over the in-memory unit of work (tests/unit/fakes.py): the rules of the services, no database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.unit.fakes import FakeState
from tests.unit.test_lifecycle import CAL, L1, L2, L3, NOW, new_ticket
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.operators import RegionalOperator, regions_without_contacts
from ticketing.domain.tickets import Status
from ticketing.services.events import EventBus
from ticketing.services.operators import contacts_of, remove_operator, save_operator
from ticketing.services.transitions import TicketNotFound, act, act_with_related
from ticketing.services.unit_of_work import ConcurrentUpdate

LINE1 = AccessScope(ApiRole.LINE1)


class RecordingBus(EventBus):
    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    async def publish(self, message: dict[str, Any]) -> None:
        self.published.append(message)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        for message in list(self.published):
            yield message


async def stored(state: FakeState, **overrides: object) -> str:
    async with state.uow() as uow:
        ticket = new_ticket(**overrides)
        ticket.number = None
        assert await uow.tickets.add_many([ticket]) == [True]
        await uow.commit()
    assert ticket.number is not None
    return ticket.number


async def test_a_move_is_stored_and_announced_to_live_screens() -> None:
    state, bus = FakeState(), RecordingBus()
    number = await stored(state)
    ticket = await act(state.uow(), number, LINE1, lambda t: lc.claim(t, L1, NOW), bus=bus)
    assert (ticket.status, ticket.assignee) == (Status.IN_PROGRESS, L1.name)
    assert state.tickets[number].status is Status.IN_PROGRESS
    assert [(m["number"], m["type"]) for m in bus.published] == [(number, "claimed")]


async def test_line1_to_line3_and_back_to_an_answer() -> None:
    state = FakeState()
    number = await stored(state)
    line3 = AccessScope(ApiRole.LINE3)
    await act(state.uow(), number, LINE1, lambda t: lc.claim(t, L1, NOW))
    await act(
        state.uow(), number, LINE1, lambda t: lc.transfer(t, L1, NOW, to_line=3, comment="Белый экран", calendar=CAL)
    )
    await act(state.uow(), number, line3, lambda t: lc.claim(t, L3, NOW))
    await act(state.uow(), number, line3, lambda t: lc.return_to_line1(t, L3, NOW, comment="Исправлено"))
    ticket = await act(state.uow(), number, LINE1, lambda t: lc.answer(t, L1, NOW, text="Обновите страницу."))
    assert (ticket.status, ticket.line) == (Status.ANSWERED, 1)
    history = [e.type for e in state.tickets[number].events]
    assert history[-5:] == ["claimed", "transferred", "claimed", "returned", "answered"]


async def test_an_illegal_move_changes_nothing() -> None:
    state = FakeState()
    number = await stored(state)
    with pytest.raises(lc.IllegalTransition):
        await act(state.uow(), number, LINE1, lambda t: lc.close(t, L1, NOW))
    assert state.tickets[number].status is Status.NEW and len(state.tickets[number].events) == 1


async def test_line2_sees_only_its_regions_and_cannot_tell_why() -> None:
    state = FakeState()
    kazan = await stored(state, region="Республика Татарстан")
    perm = await stored(state, region="Пермский край")
    tatarstan = AccessScope(ApiRole.LINE2, ("Республика Татарстан",))
    for number in (perm, "БВБ-999999"):
        with pytest.raises(TicketNotFound):
            await act(state.uow(), number, tatarstan, lambda t: lc.claim(t, L2, NOW))
    # a repeat may name only a ticket the caller can see too
    with pytest.raises(TicketNotFound):
        await act_with_related(state.uow(), kazan, perm, tatarstan, lambda t, earlier: None)


async def test_two_operators_cannot_overwrite_each_other() -> None:
    state = FakeState()
    number = await stored(state)
    async with state.uow() as first, state.uow() as second:
        mine, theirs = await first.tickets.get_by_number(number), await second.tickets.get_by_number(number)
        assert mine is not None and theirs is not None
        lc.claim(mine, L1, NOW)
        await first.tickets.save(mine)
        await first.commit()
        lc.claim(theirs, L1, NOW)
        with pytest.raises(ConcurrentUpdate):
            await second.tickets.save(theirs)


async def test_operator_contacts_replace_the_sample_and_are_removed_once() -> None:
    state = FakeState()
    sample = RegionalOperator("Пермский край", "Пример", "—", "x@example.ru", "—", True, NOW, "seed")
    state.operators[sample.region] = sample
    saved = await save_operator(
        state.uow(),
        region="Пермский край",
        organisation="ЦОПП Пермского края",
        contact_person="Иванова Анна",
        email="bilet@copp59.ru",
        phone="+7 342 000-00-00",
        by="admin",
        now=NOW,
    )
    assert state.operators["Пермский край"] == saved and not saved.is_sample
    assert await contacts_of(state.uow(), "Пермский край") == saved
    assert await remove_operator(state.uow(), "Пермский край") is True
    assert await remove_operator(state.uow(), "Пермский край") is False
    assert state.operators == {}


async def test_what_is_not_committed_is_not_kept() -> None:
    state = FakeState()
    async with state.uow() as uow:
        await uow.tickets.add_many([new_ticket()])
    assert state.tickets == {}


async def test_a_sample_row_is_no_contact_and_its_region_counts_as_missing() -> None:
    state = FakeState()
    sample = RegionalOperator("Пермский край", "Центр (пример)", "Пример", "perm@example.ru", "000", True, NOW, "seed")
    real = RegionalOperator("Москва", "МЦП", "Белова М. О.", "bvb@mcp.ru", "+7 495 123-45-67", False, NOW, "admin")
    state.operators.update({sample.region: sample, real.region: real})
    assert await contacts_of(state.uow(), "Пермский край") is None
    assert await contacts_of(state.uow(), "Москва") == real
    assert await contacts_of(state.uow(), "Чукотский автономный округ") is None
    regions = ["Москва", "Пермский край", "Чукотский автономный округ"]
    assert regions_without_contacts(regions, [sample, real]) == ["Пермский край", "Чукотский автономный округ"]
